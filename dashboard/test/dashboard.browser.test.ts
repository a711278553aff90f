/// <reference lib="dom" />
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kitRoot } from "../../common/paths.ts";
import { buildReportPage } from "../../reports/html/build.ts";
import type { BenchResult } from "../../results/bench.ts";
import { formatNumber } from "../src/model.ts";
import { launchChromium } from "./browser.ts";

const FIXTURES = join(kitRoot(), "dashboard", "test", "fixtures");
const SCREENSHOTS = join(kitRoot(), "out", "screenshots");
const HOSTILE = "<img src=x onerror=alert(1)>";

/** What the page exposes for tests (dashboard/src/charts/draw.ts). */
interface ChartsWindow {
  bustbenchCharts?: Map<string, { data: { datasets: Array<{ label?: string; pointStyle?: unknown }> } }>;
}

let browser: Browser;
let page: Page;
const problems: string[] = [];
const dialogs: string[] = [];
let runA: BenchResult;

/** Builds a report from the fixture results into a fresh folder and returns the page's path. */
function buildFrom(fixtures: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), "bustbench-report-"));
  if (fixtures) cpSync(fixtures, dir, { recursive: true });
  else mkdirSync(join(dir, "bench"));
  const { html } = buildReportPage(dir, dir, "test");
  writeFileSync(join(dir, "index.html"), html);
  return join(dir, "index.html");
}

async function open(path: string, width = 1280, height = 800): Promise<Page> {
  const next = await browser.newPage({ viewport: { width, height } });
  next.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`${message.type()}: ${message.text()}`);
  });
  next.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  next.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await next.goto(`file://${path}`);
  await next.waitForSelector("#bench h2");
  return next;
}

/** Non-blank pixels of a canvas, counted in the page. */
/** The charts matching `selector` whose canvas ends past its card, or whose card ends past the window. */
function canvasesOutsideCards(target: Page, selector: string): Promise<string[]> {
  return target.evaluate(
    (cards) =>
      [...document.querySelectorAll(cards)].flatMap((figure) => {
        const card = figure.getBoundingClientRect();
        const canvas = figure.querySelector("canvas");
        const box = canvas?.getBoundingClientRect();
        const name = figure.getAttribute("data-chart") ?? canvas?.id;
        return box && (box.right > card.right + 0.5 || card.right > window.innerWidth)
          ? [`${name}: canvas ends at ${box.right}, card at ${card.right}`]
          : [];
      }),
    selector,
  );
}

function inkOf(target: Page, id: string): Promise<number> {
  return target.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement | null;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return -1;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) ink++;
    return ink;
  }, id);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  runA = JSON.parse(readFileSync(join(FIXTURES, "bench", "run-a.json"), "utf8")) as BenchResult;
  browser = await launchChromium();
  page = await open(buildFrom(FIXTURES));
});

afterAll(async () => {
  await browser?.close();
});

describe("the HTML report, in Chromium", () => {
  it("shows a hostile target name as text and runs nothing", async () => {
    // The newest run is the default: its target is named like an HTML injection.
    const host = await page.getByTestId("host").textContent();
    expect(host).toContain(HOSTILE);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => document.body.innerHTML.includes("<img"))).toBe(false);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, "report-hostile-name.png"), fullPage: true });
  });

  it("names the result file it skipped, and why", async () => {
    const skipped = await page.getByTestId("skipped").textContent();
    expect(skipped).toContain("future-version.json");
    expect(skipped).toContain("schema version 99 are not supported");
  });

  it("switches runs with the selector and shows the figures of the JSON", async () => {
    const options = await page.getByTestId("run-select").locator("option").allTextContents();
    const index = options.findIndex((text) => text.includes("run-a.json"));
    await page.getByTestId("run-select").selectOption(String(index));
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="host"]')?.textContent?.includes("bustbench-reference"),
    );
    for (const point of runA.points) {
      const cell = page.locator(`[data-figure="rps-${point.role}-${point.workers}-${point.route}"]`);
      expect(await cell.textContent()).toBe(formatNumber(point.summary.rps.median));
      const cost = page.locator(`[data-figure="cpu-${point.role}-${point.workers}-${point.route}"]`);
      expect(await cost.textContent()).toBe(formatNumber(point.summary.cpuUsPerRequest?.median, 1));
    }
    expect(await page.getByTestId("host").textContent()).toContain("loader pinned to CPU 0, target to CPU 1");
    const fixedRows = runA.points.flatMap((p) => p.fixedRate ?? []).length;
    expect(fixedRows).toBeGreaterThan(0);
    expect(await page.getByTestId("fixed-rate-table").locator("tbody tr").count()).toBe(fixedRows);
    // Rows where the kit's client fell behind its schedule say so instead of showing its figures.
    expect(await page.getByTestId("fixed-rate-table").textContent()).toContain(
      "not measured: the client fell 2.40 ms behind (p99)",
    );
    expect(await page.getByTestId("shutdown-loss-table").locator("tbody tr").count()).toBe(
      runA.shutdownLoss?.runs.length,
    );
    expect(await page.getByTestId("recommendations").textContent()).toContain(
      `Workers for this host, root: ${runA.recommendations?.[0]?.workers} worker(s).`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, "report-1280x800.png") });
    await page.screenshot({ path: join(SCREENSHOTS, "report-full.png"), fullPage: true });
  });

  it("draws every chart", async () => {
    for (const id of ["rps-root", "rps-json", "speedup", "latency", "cpu", "rss"]) {
      expect(await inkOf(page, id), id).toBeGreaterThan(2_000);
    }
  });

  it("marks flagged points in the chart and lists them with their reasons", async () => {
    const styles = await page.evaluate(() => {
      const charts = (window as unknown as ChartsWindow).bustbenchCharts;
      return charts?.get("rps-root")?.data.datasets[0]?.pointStyle as string[] | undefined;
    });
    const targets = runA.points
      .filter((p) => p.role === "target" && p.route === "root")
      .sort((a, b) => a.workers - b.workers);
    expect(styles?.slice(0, targets.length)).toEqual(
      targets.map((p) => (p.flags.length ? "triangle" : "circle")),
    );
    const flagged = runA.points.filter((p) => p.flags.length > 0);
    expect(await page.getByTestId("flags-table").locator("tbody tr").count()).toBe(flagged.length);
    const text = await page.getByTestId("flags-table").textContent();
    expect(text).toContain("client-bound");
    expect(text).toContain("not the server's capacity");
  });

  it("compares two runs side by side", async () => {
    const options = await page.getByTestId("compare-select").locator("option").allTextContents();
    const index = options.findIndex((text) => text.includes("run-b-hostile-name.json")) - 1;
    await page.getByTestId("compare-select").selectOption(String(index));
    const comparison = await page.getByTestId("comparison").textContent();
    expect(comparison).toContain("Compared with");
    expect(comparison).toContain(HOSTILE);
    const datasets = await page.evaluate(() =>
      (window as unknown as ChartsWindow).bustbenchCharts?.get("rps-root")?.data.datasets.map((d) => d.label),
    );
    expect(datasets).toContain(`${HOSTILE} (compared run)`);
  });

  it("shows the conformance matrix with verdicts in words", async () => {
    const matrix = page.getByTestId("conformance-matrix");
    const portRow = await matrix.locator("tr", { hasText: "PORT-1" }).textContent();
    expect(portRow).toContain("✓ PASS");
    expect(portRow).toContain("✗ FAIL");
    // One row per requirement any report holds: the page reads them from the results, not from the kit.
    const ids = new Set(
      ["reference", "round-robin-control"].flatMap((name) =>
        (
          JSON.parse(readFileSync(join(FIXTURES, "conformance", `${name}.json`), "utf8")) as {
            requirements: Array<{ id: string }>;
          }
        ).requirements.map((r) => r.id),
      ),
    );
    expect(await matrix.locator("tbody tr").count()).toBe(ids.size);
  });

  it("answers the first question first: a headline card per target", async () => {
    const cards = page.getByTestId("headline");
    const targets = await cards.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-target")));
    expect(targets).toEqual(expect.arrayContaining(["reference", HOSTILE, "round-robin-control"]));
    const reference = page.locator('[data-testid="headline"][data-target="reference"]');
    const text = await reference.textContent();
    expect(text).toContain("gate PASS");
    const one = runA.points.find((p) => p.role === "target" && p.workers === 1 && p.route === "root");
    expect(text).toContain(`${formatNumber(one?.summary.rps.median)} RPS`);
    expect(text).toContain(`${formatNumber(one?.summary.cpuUsPerRequest?.median, 1)} µs CPU`);
    expect(
      await page.locator('[data-testid="headline"][data-target="round-robin-control"]').textContent(),
    ).toContain("gate FAIL (PORT-1, PORT-2)");
    // The strip comes before the run selector and the charts.
    const order = await page.evaluate(() => {
      const strip = document.querySelector('[data-testid="headlines"]');
      const charts = document.getElementById("rps-root");
      return strip && charts ? strip.compareDocumentPosition(charts) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeTruthy();
  });

  it("keeps every headline card's content inside the card, at 1280 and at 390 px", async () => {
    const long = "python-primary-serves-with-a-long-name";
    for (const width of [1280, 390]) {
      const view = await open(buildFrom(FIXTURES), width, 844);
      expect(await view.locator(`[data-testid="headline"][data-target="${long}"]`).textContent()).toContain(
        "gate FAIL (SPAWN-1, SPAWN-2, PORT-1, PORT-2, DIST-1, HTTP-1, SIGNAL-1, SIGNAL-2, SIGNAL-3, SIGNAL-4)",
      );
      const outside = await view.evaluate(() =>
        [...document.querySelectorAll('[data-testid="headline"]')].flatMap((card) => {
          const box = card.getBoundingClientRect();
          return [...card.querySelectorAll("*")]
            .filter((node) => node.getBoundingClientRect().right > box.right + 0.5)
            .map(
              (node) =>
                `${card.getAttribute("data-target")}: ${node.tagName} "${node.textContent?.slice(0, 40)}"`,
            );
        }),
      );
      expect(outside, `at ${width} px`).toEqual([]);
      await view.screenshot({ path: join(SCREENSHOTS, `headlines-${width}.png`) });
      await view.close();
    }
  });

  it("shows what each way of stopping, killing or hanging the server cost, as a chart and a table", async () => {
    const box = page.getByTestId("lifecycle");
    expect(await box.count()).toBe(1);
    const fixture = JSON.parse(readFileSync(join(FIXTURES, "lifecycle", "reference.json"), "utf8")) as {
      events: Array<{ label: string }>;
    };
    const rows = page.getByTestId("lifecycle-table-0").locator("tbody tr");
    expect(await rows.count()).toBe(fixture.events.length);
    expect(await rows.first().textContent()).toContain("SIGINT to the started process");
    expect(await inkOf(page, "lifecycle-0")).toBeGreaterThan(1000);
  });

  it("overlays the other targets measured on the same host", async () => {
    // The default run is the newest (the hostile-named target); the reference ran on the same host.
    const fresh = await open(buildFrom(FIXTURES));
    const labels = await fresh.evaluate(() =>
      (window as unknown as ChartsWindow).bustbenchCharts?.get("rps-root")?.data.datasets.map((d) => d.label),
    );
    expect(labels).toContain("reference (same host, 2026-11-27)");
    expect(await fresh.locator("#rps-root").getAttribute("aria-label")).toContain(
      "median (the runs' min–max; a 95% interval needs 5 runs)",
    );
    await fresh.close();
  });

  it("says where the load came from when it came from other hosts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bustbench-remote-report-"));
    mkdirSync(join(dir, "bench"));
    const remote: BenchResult = {
      ...runA,
      startedAt: "2026-11-28T10:00:00.000Z",
      options: { ...runA.options, targetAddress: "198.18.7.1", loadHosts: ["root@198.18.7.2"] },
      loadHosts: [
        {
          host: "root@198.18.7.2",
          cpuModel: "Test CPU",
          cpus: 4,
          kernel: "Linux 6.1",
          wrkVersion: "4.1.0",
          rttMs: 0.042,
          path: "198.18.7.1 dev eth0 src 198.18.7.2",
        },
      ],
      points: runA.points.map((p) => ({ ...p, placement: null })),
    };
    writeFileSync(join(dir, "bench", "remote.json"), JSON.stringify(remote));
    const { html } = buildReportPage(dir, dir, "test");
    writeFileSync(join(dir, "index.html"), html);
    const remotePage = await open(join(dir, "index.html"));
    const host = await remotePage.getByTestId("host").textContent();
    expect(host).toContain(
      "Load from1 host(s) over ssh, 50 connection(s) each, to 198.18.7.1: root@198.18.7.2 (4 CPU(s), Test CPU, Linux 6.1, wrk 4.1.0, rtt 0.042 ms, via 198.18.7.1 dev eth0 src 198.18.7.2)",
    );
    await remotePage.close();
  });

  it("works as a lone file: the raw JSON downloads from the data in the page", async () => {
    const alone = mkdtempSync(join(tmpdir(), "bustbench-alone-"));
    copyFileSync(buildFrom(FIXTURES), join(alone, "report.html"));
    const lone = await open(join(alone, "report.html"));
    const [download] = await Promise.all([
      lone.waitForEvent("download"),
      lone.getByTestId("raw-json").click(),
    ]);
    const saved = join(alone, "saved.json");
    await download.saveAs(saved);
    const json = JSON.parse(readFileSync(saved, "utf8")) as BenchResult;
    expect(json.kind).toBe("bench");
    expect(json.target.name).toBe(HOSTILE);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    await lone.close();
  });

  it("stays readable on a narrow screen, every chart inside its card", async () => {
    // Opened wide, then narrowed (a phone turned, a window resized): the charts must shrink with it.
    const narrow = await open(buildFrom(FIXTURES), 1280, 844);
    await narrow.setViewportSize({ width: 390, height: 844 });
    await narrow.waitForFunction(
      () => (document.getElementById("rps-root")?.getBoundingClientRect().right ?? 9e9) <= 390,
    );
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await canvasesOutsideCards(narrow, "figure.chart")).toEqual([]);
    await narrow.screenshot({ path: join(SCREENSHOTS, "report-390x844.png"), fullPage: true });
    await narrow.close();
  });

  it("says how to produce results when there are none", async () => {
    const empty = await open(buildFrom(null));
    const text = await empty.locator("#app").textContent();
    expect(text).toContain("No benchmark results yet. Run `make bench`");
    expect(text).toContain("No conformance results yet. Run `make conformance`");
    await empty.close();
  });

  it("logged no error or warning", () => {
    expect(problems).toEqual([]);
  });
});

/**
 * Results of version 3 from real runs (a quick bench and the lifecycle matrix of the reference, the
 * matrix of a server that loses its queue at a stop, a full and a partial conformance run): timelines,
 * a partial run beside a full one, and a target's history.
 */
describe("timelines, partial runs and history, in Chromium", () => {
  const V3 = join(kitRoot(), "dashboard", "test", "fixtures-v3");
  const json = <T>(path: string) => JSON.parse(readFileSync(join(V3, path), "utf8")) as T;
  let v3: Page;

  beforeAll(async () => {
    v3 = await open(buildFrom(V3));
  });

  afterAll(async () => {
    await v3?.close();
  });

  it("draws every timeline from its run's own buckets, one per lifecycle event and per shutdown run", async () => {
    type Timeline = { buckets: number[][] };
    const lifecycles = ["reference", "python-drops-queue"].map((name) =>
      json<{ events: Array<{ runs: Array<{ timeline?: Timeline }> }>; target: { name: string } }>(
        `lifecycle/${name}.json`,
      ),
    );
    const bench = json<{ shutdownLoss: { runs: Array<{ timeline?: Timeline }> } }>("bench/reference.json");
    // The page lists the newest lifecycle of each target in its own order: read which box is which.
    const boxes = await v3
      .getByTestId("lifecycle")
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-target")));
    const expected = new Map<string, Timeline>();
    boxes.forEach((target, i) => {
      const result = lifecycles.find((l) => l.target.name === target);
      result?.events.forEach((event, k) => {
        const timeline = event.runs[0]?.timeline;
        if (timeline) expected.set(`lifecycle-${i}-timeline-${k}`, timeline);
      });
    });
    bench.shutdownLoss.runs.forEach((run, k) => {
      if (run.timeline) expected.set(`shutdown-timeline-${k}`, run.timeline);
    });
    const drawn = await v3.evaluate(() =>
      [...document.querySelectorAll('[data-testid="timeline"]')].map((figure) => {
        const id = figure.getAttribute("data-chart") ?? "";
        const chart = (
          window as unknown as {
            bustbenchCharts?: Map<string, { data: { datasets: Array<{ data: number[] }> } }>;
          }
        ).bustbenchCharts?.get(id);
        return { id, datasets: chart?.data.datasets.map((d) => d.data) ?? [] };
      }),
    );
    expect(drawn.map((d) => d.id).sort()).toEqual([...expected.keys()].sort());
    for (const { id, datasets } of drawn) {
      const buckets = expected.get(id)?.buckets ?? [];
      // Dataset k is outcome k of every bucket: answered, refused, lost, hung.
      expect(datasets, id).toEqual([0, 1, 2, 3].map((k) => buckets.map((bucket) => bucket[k])));
      expect(await inkOf(v3, id), id).toBeGreaterThan(1_000);
    }
    // The server that loses its queue shows losses in time, the reference none.
    const lost = (target: string) =>
      lifecycles
        .find((l) => l.target.name === target)
        ?.events.flatMap((e) => e.runs[0]?.timeline?.buckets ?? [])
        .reduce((sum, bucket) => sum + (bucket[2] ?? 0), 0);
    expect(lost("python-drops-queue")).toBeGreaterThan(0);
    await v3.locator("#lifecycle").screenshot({ path: join(SCREENSHOTS, "timelines-1280.png") });
  });

  it("lets a partial run stand for nothing a full run says, and says what it checked", async () => {
    const card = v3.locator('[data-testid="headline"][data-target="reference"]');
    // The newest conformance file is the partial one; the card is the full run's, and has no scope line.
    expect(await card.locator(".badge").first().textContent()).toBe("gate PASS");
    expect(await card.getByTestId("scope").count()).toBe(0);
    const matrix = await v3.getByTestId("conformance-matrix").locator("thead").textContent();
    expect(matrix).toContain("reference (partial)");
    expect(await v3.locator(".gates").textContent()).toContain("partial run: 2 of 32 requirements checked");
  });

  it("lists the target's runs, newest first", async () => {
    const rows = v3.locator('[data-testid="history"][data-target="reference"] tbody tr');
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1]?.textContent ?? ""));
    expect(kinds.sort()).toEqual(["bench", "conformance", "conformance", "lifecycle"]);
    const when = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[0]?.textContent ?? ""));
    expect(when).toEqual([...when].sort().reverse());
    expect(await rows.first().textContent()).toContain("partial run: 2 of 32 requirements checked");
  });

  it("keeps every timeline inside its card at 390 px", async () => {
    const narrow = await open(buildFrom(V3), 390, 844);
    await narrow.waitForFunction(
      () => document.querySelectorAll('[data-testid="timeline"] canvas').length > 0,
    );
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await canvasesOutsideCards(narrow, '[data-testid="timeline"]')).toEqual([]);
    await narrow.locator("#lifecycle").screenshot({ path: join(SCREENSHOTS, "timelines-390.png") });
    await narrow.close();
  });
});
