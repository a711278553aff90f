import { gateText } from "../../../results/verdicts.ts";
import { el } from "../dom.ts";
import { formatNumber, type Headline } from "../model.ts";

/**
 * The first question first: one card per target with its gate, its 1-worker
 * capacity and cost per request, the scaling verdict and which side ran out of
 * CPU, before any chart or table.
 */
export function renderHeadlines(items: readonly Headline[]): HTMLElement | null {
  if (items.length === 0) return null;
  return el(
    "div",
    { class: "headlines", attrs: { "data-testid": "headlines" } },
    items.map((h) => {
      const gate = h.gate
        ? el("span", {
            class: `badge verdict-${h.gate.passed ? "pass" : "fail"}`,
            text: `gate ${gateText(h.gate)}`,
          })
        : el("span", { class: "badge verdict-none", text: "no conformance run" });
      // A partial run stands for a target only when no full run is there, and says what it checked.
      const scope = h.gate?.scope
        ? el("p", { class: "scope", attrs: { "data-testid": "scope" }, text: h.gate.scope })
        : null;
      const facts: Array<[string, string]> = h.bench
        ? [
            [
              "1-worker capacity",
              h.bench.capacity === null ? "not measured" : `${formatNumber(h.bench.capacity)} RPS`,
            ],
            [
              "cost per request",
              h.bench.cpuUsPerRequest === null ? "–" : `${formatNumber(h.bench.cpuUsPerRequest, 1)} µs CPU`,
            ],
            ["scaling", h.bench.scaling],
            ["ran out of CPU", describeLimit(h.bench.limit)],
          ]
        : [["benchmark", "no run"]];
      return el(
        "section",
        { class: "headline", attrs: { "data-testid": "headline", "data-target": h.target } },
        [
          el("h3", { text: h.target }),
          gate,
          ...(scope ? [scope] : []),
          el(
            "dl",
            {},
            facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]),
          ),
        ],
      );
    }),
  );
}

function describeLimit(limit: string): string {
  switch (limit) {
    case "server":
      return "the server (the figure is its capacity)";
    case "loader":
      return "the load generator (the figure is the client's)";
    case "host":
      return "the shared host";
    case "none":
      return "neither side";
    default:
      return limit;
  }
}
