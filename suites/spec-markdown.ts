import { REQUIREMENTS, type Requirement } from "./requirements.ts";

export const BEGIN = "<!-- requirements:begin (generated from suites/requirements.ts by `make spec`) -->";
export const END = "<!-- requirements:end -->";

/** The requirement list of SPEC.md, rendered from the one table in requirements.ts. */
export function renderRequirements(
  requirements: Readonly<Record<string, Requirement>> = REQUIREMENTS,
): string {
  const parts: string[] = [];
  let area = "";
  for (const [id, req] of Object.entries(requirements)) {
    if (req.area !== area) {
      area = req.area;
      parts.push(`### ${area}\n`);
    }
    const source =
      "quote" in req.source ? `"${req.source.quote}"` : `Not in the source: ${req.source.notInSource}`;
    parts.push(
      `#### ${id} (${req.level})\n\n${req.text}\n\n- Source: ${source}\n- Observed: ${req.observed}\n`,
    );
  }
  return parts.join("\n");
}

/** Replaces the generated block of SPEC.md; throws if the markers are missing. */
export function updateSpec(spec: string, block = renderRequirements()): string {
  const begin = spec.indexOf(BEGIN);
  const end = spec.indexOf(END);
  if (begin < 0 || end < begin) throw new Error("SPEC.md lacks the requirements markers");
  return `${spec.slice(0, begin + BEGIN.length)}\n\n${block}\n${spec.slice(end)}`;
}
