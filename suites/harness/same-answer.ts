/**
 * Pure: what two answers to the same request must share in every mode (HTTP-4): the status, the
 * media type, and the body (JSON compared as values, without the fields the manifest says differ by
 * design). Each answer is reduced to one comparable line.
 */
export interface AnswerLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** "200 application/json {"hello":"world"}": the parts of an answer that must not depend on the mode. */
export function comparableAnswer(answer: AnswerLike, differsByDesign: readonly string[] = []): string {
  const contentType = answer.headers["content-type"];
  const media = (Array.isArray(contentType) ? contentType[0] : contentType)
    ?.split(";")[0]
    ?.trim()
    .toLowerCase();
  return `${answer.status} ${media || "(no content type)"} ${comparableBody(answer.body, differsByDesign)}`;
}

function comparableBody(body: string, differsByDesign: readonly string[]): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return JSON.stringify(body);
  }
  for (const pointer of differsByDesign) value = withoutPointer(value, pointer);
  return canonicalJson(value);
}

/** A JSON value with keys sorted at every depth: two equal values print the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** `value` without the member an RFC 6901 pointer names (unchanged when it names nothing). */
export function withoutPointer(value: unknown, pointer: string): unknown {
  const path = pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  const remove = (node: unknown, i: number): unknown => {
    if (node === null || typeof node !== "object") return node;
    const key = path[i] as string;
    if (Array.isArray(node)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return node;
      return i === path.length - 1
        ? node.filter((_, j) => j !== index)
        : node.map((item, j) => (j === index ? remove(item, i + 1) : item));
    }
    const record = node as Record<string, unknown>;
    if (!(key in record)) return node;
    if (i === path.length - 1) {
      const { [key]: _, ...rest } = record;
      return rest;
    }
    return { ...record, [key]: remove(record[key], i + 1) };
  };
  return path.length === 0 ? value : remove(value, 0);
}

/**
 * Two differing lines with the first difference marked in both (`…"n":[1]}`), shortened around it:
 * what a person compares, side by side.
 */
export function markDifference(a: string, b: string, context = 40): [string, string] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const mark = (text: string, end: number) => {
    const from = Math.max(0, start - context);
    const to = Math.min(text.length, end + context);
    return `${from > 0 ? "…" : ""}${text.slice(from, start)}[${text.slice(start, end)}]${text.slice(end, to)}${to < text.length ? "…" : ""}`;
  };
  return [mark(a, endA), mark(b, endB)];
}
