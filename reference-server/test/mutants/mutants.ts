/**
 * Deliberate faults of the reference, one or two requirements each, so that the conformance suite can
 * show that every one of its checks can fail, and fails for its own reason
 * (suites/conformance.integration.test.ts). Each is the reference composed differently at its named seams
 * (reference-server/src/seams.ts): nothing under src/ knows them, and the published package holds none.
 */
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { handleRequest, type RequestHandler } from "../../src/handler.ts";
import { messages } from "../../src/messages.ts";
import { resolveRunOptions } from "../../src/options.ts";
import { decideMode } from "../../src/platform.ts";
import { REFERENCE_SEAMS, type Seams } from "../../src/seams.ts";

export const MUTANTS = [
  "extra-worker",
  "no-start-line",
  "round-robin",
  "refusing-workers",
  "one-worker-500",
  "json-as-text",
  "catch-all",
  "per-worker-state",
  "no-shutdown-line",
  "orphan-worker",
  "exit-code-1",
  "drop-in-flight",
  "drop-queued",
  "no-fallback-line",
  "fork-on-fallback",
  "fallback-line-on-linux",
  "debug-ignored",
  "no-input-validation",
  "hang-on-bind-error",
  "no-respawn",
  "sigint-kills-workers",
  "sigterm-once",
  "exit-on-orphan",
] as const;

export type Mutant = (typeof MUTANTS)[number];

/**
 * What each mutant is for: the requirements it must break, and the others its faulty code path
 * reaches, which must still pass (proof that each check fails for its own reason, not by accident).
 * The mutant tests run exactly these requirements; a unit test keeps the table complete (every
 * mutant, and every MUST and SHOULD broken by one).
 */
export const MUTANT_EFFECTS = {
  "extra-worker": { breaks: ["SPAWN-1"], reaches: ["PORT-1", "DIST-1"] },
  "no-start-line": { breaks: ["SPAWN-2"], reaches: ["SIGNAL-1"] },
  "round-robin": { breaks: ["PORT-1", "PORT-2"], reaches: ["SPAWN-1", "DIST-1"] },
  // A worker that accepts and drops every connection serves nobody: spread and answers both fail.
  "refusing-workers": { breaks: ["DIST-1", "HTTP-1"], reaches: ["SPAWN-1", "PORT-1"] },
  "one-worker-500": { breaks: ["HTTP-1"], reaches: ["HTTP-2", "DIST-1"] },
  "json-as-text": { breaks: ["HTTP-2"], reaches: ["HTTP-1"] },
  "catch-all": { breaks: ["HTTP-3"], reaches: ["HTTP-1", "HTTP-2"] },
  "per-worker-state": { breaks: ["HTTP-4"], reaches: ["HTTP-1", "HTTP-2"] },
  "no-shutdown-line": { breaks: ["SIGNAL-1"], reaches: ["SIGNAL-3"] },
  "orphan-worker": { breaks: ["SIGNAL-2", "ORPHAN-1"], reaches: ["SIGNAL-3", "ORPHAN-2"] },
  "exit-code-1": { breaks: ["SIGNAL-3"], reaches: ["SIGNAL-1", "SIGNAL-2"] },
  "drop-in-flight": { breaks: ["SIGNAL-4", "SIGNAL-5"], reaches: ["SIGNAL-3"] },
  "drop-queued": { breaks: ["SIGNAL-6"], reaches: ["SIGNAL-3", "SIGNAL-4"] },
  "no-fallback-line": { breaks: ["PLATFORM-1"], reaches: ["PLATFORM-2"] },
  "fork-on-fallback": { breaks: ["PLATFORM-2"], reaches: ["PLATFORM-1"] },
  "fallback-line-on-linux": { breaks: ["PLATFORM-3"], reaches: ["SPAWN-2"] },
  "debug-ignored": { breaks: ["DEBUG-1"], reaches: ["SPAWN-1"] },
  "no-input-validation": { breaks: ["INPUT-1"], reaches: ["SPAWN-1"] },
  "hang-on-bind-error": { breaks: ["INPUT-2"], reaches: ["SPAWN-1"] },
  "no-respawn": { breaks: ["RESPAWN-1", "RESPAWN-2", "HANG-1"], reaches: ["SPAWN-1"] },
  "sigint-kills-workers": { breaks: ["GROUP-1"], reaches: ["SIGNAL-4", "GROUP-2"] },
  "sigterm-once": { breaks: ["GROUP-2", "SERVICE-1"], reaches: ["SIGNAL-4", "GROUP-1"] },
  "exit-on-orphan": { breaks: ["ORPHAN-2"], reaches: ["ORPHAN-1", "SIGNAL-4"] },
} as const satisfies Record<Mutant, { breaks: readonly string[]; reaches: readonly string[] }>;

/** The path of a request, without its query. */
const pathOf = (url: string | undefined) => (url ?? "/").split("?")[0] ?? "/";

/** Answers /json with `answer`, every other path as the reference does. */
function jsonAnsweredBy(answer: RequestHandler): RequestHandler {
  return (routes, req, res, closing) =>
    pathOf(req.url) === "/json"
      ? answer(routes, req, res, closing)
      : handleRequest(routes, req, res, closing);
}

/** Each mutant: the seams it replaces. */
const FAULTS: Record<Mutant, Partial<Seams>> = {
  "extra-worker": { forkCount: (workers) => workers + 1 },
  "no-start-line": { lines: { ...REFERENCE_SEAMS.lines, start: () => [] } },
  "round-robin": { listen: (options) => ({ ...options, reusePort: false }) },
  // Every worker but the first accepts and drops each connection.
  "refusing-workers": {
    serverReady: (server, workerId) => {
      if (workerId > 1) server.maxConnections = 0;
    },
  },
  "one-worker-500": {
    handler: (workerId) =>
      workerId === 2
        ? jsonAnsweredBy((_routes, _req, res) => {
            res.writeHead(500, { "content-type": "application/json" });
            res.end('{"error":"mutant"}');
          })
        : handleRequest,
  },
  "json-as-text": {
    handler: () =>
      jsonAnsweredBy((_routes, _req, res) => {
        const body = JSON.stringify({ hello: "world" });
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": body.length });
        res.end(body);
      }),
  },
  // Every unknown path answered as the root.
  "catch-all": {
    handler: () => (routes, req, res, closing) => {
      if (!routes.has(pathOf(req.url))) req.url = "/";
      handleRequest(routes, req, res, closing);
    },
  },
  // State made per process: each worker's /json says which worker it is; one process says 0.
  "per-worker-state": {
    handler: (workerId) =>
      jsonAnsweredBy((_routes, _req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ hello: "world", worker: workerId }));
      }),
  },
  "no-shutdown-line": { lines: { ...REFERENCE_SEAMS.lines, shutdown: [] } },
  // One worker is never told to stop and stays when its primary is gone.
  "orphan-worker": { stopWorkers: (workers) => workers.slice(1), orphan: "stay" },
  "exit-code-1": { exitCode: () => 1 },
  "drop-in-flight": {
    workerStop: ({ server }) => {
      server.closeAllConnections();
      process.exit(0);
    },
  },
  // Accept-and-drop for 300 ms before draining: every connection the kernel gives it meanwhile is lost.
  "drop-queued": {
    workerStop: ({ server, drain }) => {
      server.maxConnections = 0;
      setTimeout(drain, 300);
    },
  },
  "no-fallback-line": { lines: { ...REFERENCE_SEAMS.lines, fallback: () => [] } },
  "fork-on-fallback": {
    decideMode: (input) => {
      const mode = decideMode(input);
      return mode.fallback && input.workers > 1
        ? { ...mode, kind: "cluster", processes: input.workers }
        : mode;
    },
  },
  "fallback-line-on-linux": {
    lines: {
      ...REFERENCE_SEAMS.lines,
      start: (workers) => [messages.fallback("linux")[1] as string, messages.start(workers)],
    },
  },
  "debug-ignored": { decideMode: (input) => decideMode({ ...input, debug: false }) },
  // Any worker count is taken as it is (0, -1 and NaN fork nothing, and the primary waits).
  "no-input-validation": {
    resolveOptions: (raw, cpus) => ({
      ...resolveRunOptions({ ...raw, workers: 1 }, cpus),
      workers: Number(raw.workers),
    }),
  },
  "hang-on-bind-error": { onBindError: "hang" },
  "no-respawn": { respawnDelayMs: () => undefined },
  "sigint-kills-workers": { workerSignals: { sigint: "default", sigterm: "every" } },
  // The second SIGTERM a worker gets (from systemd, then its primary) finds the default action. The
  // primary forwards its copy once each worker has handled the first (two that arrive together are
  // one), so that this shows on any host: the shutdown line comes with the forward, and a client that
  // finishes its request on that line keeps the worker draining until the second has landed.
  "sigterm-once": {
    workerSignals: { sigint: "ignore", sigterm: "first" },
    passStop: (forward, workers) => whenSigtermHandled(workers, forward),
  },
  "exit-on-orphan": { orphan: "exit" },
};

/** Whether `pid` still catches SIGTERM (/proc's SigCgt); a process gone catches nothing. */
function catchesSigterm(pid: number): boolean {
  try {
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return mask !== undefined && (BigInt(`0x${mask}`) & (1n << BigInt(constants.signals.SIGTERM - 1))) !== 0n;
  } catch {
    return false;
  }
}

/**
 * Calls `then` once no worker catches SIGTERM any more (each has run its one handler), or after 2 s: a
 * stop sent to the primary alone (SIGNAL-4, GROUP-1) gave the workers no first SIGTERM to handle.
 */
function whenSigtermHandled(workers: readonly number[], then: () => void): void {
  const started = Date.now();
  const look = setInterval(() => {
    if (workers.some(catchesSigterm) && Date.now() - started < 2_000) return;
    clearInterval(look);
    then();
  }, 5);
}

/** The reference with `mutant`'s faults. */
export function mutantSeams(mutant: Mutant): Seams {
  return { ...REFERENCE_SEAMS, ...FAULTS[mutant] };
}

export function isMutant(name: string): name is Mutant {
  return (MUTANTS as readonly string[]).includes(name);
}
