import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * The kit's layers, each with the folders its sources may import from (its own included).
 * Tests may reach further (a suite's test runs the reference's mutants); sources may not.
 * Read bottom-up: common is the floor, cli the roof.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  common: ["common"],
  results: ["common", "results"],
  targets: ["common", "results", "targets"],
  "reference-server": ["common", "reference-server"],
  suites: ["common", "results", "targets", "suites"],
  runners: ["common", "results", "targets", "runners"],
  reports: ["common", "results", "reports"],
  dashboard: ["results", "dashboard"],
  cli: ["common", "results", "targets", "suites", "runners", "reports", "cli"],
};

export interface Violation {
  file: string;
  imports: string;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (["node_modules", "fixtures", "test-support", "test"].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !/\.check\.ts$/.test(name)) out.push(path);
  }
  return out;
}

/** Every relative import of a source file that lands in a folder its layer may not use. */
export function layerViolations(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const [layer, allowed] of Object.entries(LAYERS)) {
    for (const file of sources(join(root, layer))) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = relative(root, resolve(dirname(file), match[1] as string));
        const top = target.split(sep)[0] ?? "";
        if (!allowed.includes(top)) violations.push({ file: relative(root, file), imports: target });
      }
    }
  }
  return violations;
}

/** Which layer imports which: the graph the closing notes and docs show. */
export function layerGraph(root: string): Record<string, string[]> {
  const graph: Record<string, Set<string>> = {};
  for (const layer of Object.keys(LAYERS)) {
    graph[layer] = new Set();
    for (const file of sources(join(root, layer))) {
      for (const match of readFileSync(file, "utf8").matchAll(
        /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g,
      )) {
        const top = relative(root, resolve(dirname(file), match[1] as string)).split(sep)[0] ?? "";
        if (top !== layer) graph[layer]?.add(top);
      }
    }
  }
  return Object.fromEntries(Object.entries(graph).map(([k, v]) => [k, [...v].sort()]));
}

/** Import cycles among source files (type-only imports included), each as the files around the loop. */
export function importCycles(root: string): string[][] {
  const edges = new Map<string, string[]>();
  for (const layer of Object.keys(LAYERS)) {
    for (const file of sources(join(root, layer))) {
      const targets: string[] = [];
      for (const match of readFileSync(file, "utf8").matchAll(
        /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+\.ts)["']/g,
      ))
        targets.push(relative(root, resolve(dirname(file), match[1] as string)));
      edges.set(relative(root, file), targets);
    }
  }
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...edges.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

if (process.argv[1]?.endsWith("layers.ts")) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), "..");
  for (const [layer, uses] of Object.entries(layerGraph(root)))
    console.log(`${layer.padEnd(17)} -> ${uses.join(", ") || "-"}`);
  const bad = layerViolations(root);
  for (const v of bad) console.log(`VIOLATION ${v.file} -> ${v.imports}`);
  const cycles = importCycles(root);
  for (const cycle of cycles) console.log(`CYCLE ${cycle.join(" -> ")}`);
  process.exitCode = bad.length + cycles.length > 0 ? 1 : 0;
}
