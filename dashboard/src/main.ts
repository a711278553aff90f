import type { BenchResult } from "../../results/bench.ts";
import { DATA_ELEMENT_ID, type ReportData } from "../../results/report-data.ts";
import { el, jsonDownload, section } from "./dom.ts";
import { headlines, runLabel } from "./model.ts";
import { renderBench } from "./views/bench.ts";
import { renderConformance } from "./views/conformance.ts";
import { renderHeadlines } from "./views/headlines.ts";
import { renderHistory } from "./views/history.ts";
import { renderLifecycle } from "./views/lifecycle.ts";

function readData(): ReportData {
  const text = document.getElementById(DATA_ELEMENT_ID)?.textContent ?? "{}";
  return JSON.parse(text) as ReportData;
}

function selector(
  id: string,
  label: string,
  options: Array<[string, string]>,
  value: string,
  onChange: (value: string) => void,
): HTMLElement {
  const select = el(
    "select",
    { attrs: { id, "data-testid": id } },
    options.map(([v, text]) => el("option", { text, attrs: { value: v } })),
  );
  select.value = value;
  select.addEventListener("change", () => onChange(select.value));
  return el("label", { class: "selector" }, [`${label} `, select]);
}

function render(root: HTMLElement, data: ReportData, state: { run: number; other: number }): void {
  const runs = data.bench;
  const current: BenchResult | undefined = runs[state.run]?.result;
  const other: BenchResult | undefined = state.other >= 0 ? runs[state.other]?.result : undefined;
  const options: Array<[string, string]> = runs.map((entry, i) => [
    String(i),
    runLabel(entry.result, entry.file),
  ]);
  const controls = runs.length
    ? el("div", { class: "controls" }, [
        selector("run-select", "Run", options, String(state.run), (v) =>
          render(root, data, { ...state, run: Number(v) }),
        ),
        selector(
          "compare-select",
          "Compare with",
          [["-1", "nothing"], ...options],
          String(state.other),
          (v) => render(root, data, { ...state, other: Number(v) }),
        ),
        current
          ? jsonDownload("raw JSON of this run", runs[state.run]?.file ?? "run.json", current, "raw-json")
          : null,
      ])
    : null;
  const skipped = data.skipped.length
    ? el(
        "div",
        { class: "warning", attrs: { "data-testid": "skipped" } },
        data.skipped.map((s) => el("p", { text: `Skipped ${s.file}: ${s.reason}` })),
      )
    : null;
  const bench = current
    ? renderBench(data, current, other)
    : section("Benchmark", "bench", [
        el("p", {
          text: "No benchmark results yet. Run `make bench` (it rebuilds this page at its end), or `make report` after copying result files into out/bench/.",
        }),
      ]);
  const parts: Array<Node | null> = [
    el("header", {}, [
      el("h1", { text: "bustbench" }),
      el("p", {
        class: "note",
        text: `Report generated ${data.generatedAt} by bustbench ${data.kitVersion}. Flagged figures are not the server's capacity: read the reason beside each.`,
      }),
    ]),
    skipped,
    renderHeadlines(headlines(data.bench, data.conformance)),
    controls,
    bench,
    renderLifecycle(data),
    renderConformance(data),
    renderHistory(data),
  ];
  root.replaceChildren(...parts.filter((part): part is Node => part !== null));
}

const root = document.getElementById("app");
if (root) render(root, readData(), { run: 0, other: -1 });
