import { afterAll, beforeAll, type TestContext, test } from "vitest";
import { errorLine } from "../../common/errors.ts";
import type { CaseResult, Evidence } from "../../results/conformance.ts";
import { Instance, NotReadyError, type StartOptions } from "../../targets/instance.ts";
import { reapAll } from "../../targets/launch.ts";
import type { Manifest } from "../../targets/manifest.ts";
import { START_CLOCK_CAP } from "../../targets/start-clock.ts";
import { LOADING_CASES_AT_MOST, LOADING_CHECKS } from "../checks/registry.ts";
import type { RequirementId } from "../requirements.ts";
import { hostSupport, type Need, unmetNeed } from "./host-support.ts";
import { loadsMayStart } from "./load-alone.ts";
import { notApplicable, type Outcome } from "./outcome.ts";
import { currentTarget, failedDependency, selected } from "./target.ts";

declare module "vitest" {
  interface TaskMeta {
    /** A check's result, read by the conformance reporter: never parsed from titles. */
    bustbench?: CaseResult;
    /** Set instead when the check was not run: a requirement it depends on had already failed so. */
    bustbenchNotRun?: string;
  }
}

export interface CheckContext {
  manifest: Manifest;
  /** Facts the check saw; saved with its result whatever the verdict. */
  evidence: Evidence;
  /** Starts the target and waits until it is ready; reaped when the case ends. */
  start(options: StartOptions): Promise<Instance>;
  /** Launches the target without waiting; reaped when the case ends. */
  launch(options: StartOptions): Promise<Instance>;
  /** Says what the check is doing or waiting for now: a check that runs out of time reports it. */
  step(text: string): void;
  /** Runs once the case's instances are reaped, whatever the verdict (a cgroup to remove). */
  onEnd(cleanup: () => void): void;
  /**
   * One observation of an event several checks judge (a stop: its lines, its exit, what is left):
   * in a group file, made by the first check that asks for `key` and handed to the others as it was;
   * elsewhere, made for this check alone.
   */
  seen<T>(key: string, observe: () => Promise<T>): Promise<T>;
  /**
   * Time spent waiting for other checks (their loads, see loadAlone), not on the target: the check's own
   * deadline moves by as much, so that a busy suite does not run a check out of time before it began.
   */
  notCounted(ms: number): void;
}

/** Left to the check's own deadline before vitest's: time to reap and record what was seen. */
const REAP_MARGIN_MS = 8_000;

export interface CheckSpec<C> {
  /** Read as `ID title [case]` in vitest's own output. */
  title: string;
  cases?: readonly C[];
  caseLabel?: (value: C) => string;
  /** What the host must offer (/proc, Linux, POSIX signals); without it the check is not applicable. */
  needs?: readonly Need[];
  /**
   * The check only looks at a running target (processes, sockets, lines, answers): it never stops,
   * kills, hangs or loads it. Run from a group file (`suites/checks/groups/`), it shares one start
   * per set of start options with the other such checks there.
   */
  observes?: boolean;
  /** The cases run side by side (they mostly wait on their own launches; none loads the target). */
  concurrent?: boolean;
  /**
   * The cases run one after another and a failing one decides the requirement: the later ones are not
   * run (reported as such). For cases that each cost a loaded stop, which can take seconds on a server
   * that kills its workers after a grace period, and only repeat what is already decided.
   */
  firstFailureDecides?: boolean;
}

/** Set by a file whose checks all run side by side (see sideBySide). */
let allSideBySide = false;

/**
 * Called by a file before it imports its checks: every case of every check it declares runs side by
 * side with the others (each waits on its own target), not one after another.
 */
export function sideBySide(): void {
  allSideBySide = true;
}

/** Per requirement marked firstFailureDecides: the end of its case declared last (see check). */
const lastCaseEnded = new Map<RequirementId, Promise<void>>();

/** Per requirement of this worker's checks marked firstFailureDecides: the case that failed first. */
const decided = new Map<RequirementId, string>();

/** The started instances of a group file, by their start options; undefined outside a group. */
let shared: Map<string, { instance: Promise<Instance>; startedBy: string }> | undefined;
/** The observations of a group file's events, by key (see CheckContext.seen). */
let observations: Map<string, { seen: Promise<unknown>; by: string }> | undefined;

/**
 * Called once by a group file: its observing checks share their instances (one start per set of
 * start options, in the file's order) instead of starting one each. An instance that has exited
 * (a check read the output to the end) is started again for the next check.
 */
export function shareInstances(): void {
  beforeAll(() => {
    shared = new Map();
    observations = new Map();
  });
  afterAll(async () => {
    const starts = [...(shared?.values() ?? [])];
    shared = undefined;
    observations = undefined;
    for (const start of starts) await (await start.instance.catch(() => undefined))?.dispose();
  });
}

/** When the check's first start was ready, and how much of that it waited for a CPU. */
function recordReady(evidence: Evidence, instance: Instance): void {
  if (evidence.readyMs !== undefined) return;
  evidence.readyMs = Math.round(instance.readyMs ?? 0);
  const waited = Math.round(instance.readyCpuWaitMs ?? 0);
  if (waited > 0) evidence.readyCpuWaitMs = waited;
}

/** A started instance of the group for these options: the one already running, or a new one. */
async function sharedStart(
  manifest: Manifest,
  options: StartOptions,
  by: string,
): Promise<{ instance: Instance; startedBy: string }> {
  const group = shared as NonNullable<typeof shared>;
  const key = JSON.stringify(options);
  const running = group.get(key);
  if (running) {
    const instance = await running.instance;
    if (!instance.proc.exited) return { instance, startedBy: running.startedBy };
    await instance.dispose();
  }
  const start = { instance: Instance.start(manifest, options), startedBy: by };
  group.set(key, start);
  return { instance: await start.instance, startedBy: by };
}

/**
 * Declares one check: a vitest test per case, whose result (with its evidence)
 * travels to the reporter as task metadata. A failure also throws, so that
 * vitest's own output reads expected versus actual.
 */
export function check<C = undefined>(
  id: RequirementId,
  spec: CheckSpec<C>,
  body: (ctx: CheckContext, value: C) => Promise<Outcome>,
): void {
  // A group file declares several requirements' checks: only the selected ones run.
  if (!selected(id)) return;
  afterAll(async () => {
    await reapAll();
  });
  const manifest = currentTarget();
  const cases = spec.cases ?? ([undefined] as C[]);
  // Two starts and stops; a start may last START_CLOCK_CAP times its timeout on a host that keeps it from a CPU.
  const timeout = 2 * (START_CLOCK_CAP * manifest.startTimeoutMs + manifest.stopTimeoutMs) + 30_000;
  // vitest's own bound, for a harness that hangs: a loading check may first wait while each of the
  // others (LOADING_CASES_AT_MOST in all) loads its target, each within its own deadline.
  const vitestTimeout = LOADING_CHECKS.has(id) ? timeout * LOADING_CASES_AT_MOST : timeout;
  for (const value of cases) {
    const label = value === undefined ? "" : (spec.caseLabel?.(value) ?? String(value));
    const declare = spec.concurrent || allSideBySide ? test.concurrent : test;
    // Cases where the first failure decides run one after another even side by side with other
    // checks: each waits until the one declared before it has ended.
    const previousCase = spec.firstFailureDecides ? lastCaseEnded.get(id) : undefined;
    let caseEnded: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      caseEnded = resolve;
    });
    if (spec.firstFailureDecides) lastCaseEnded.set(id, ended);
    declare(
      `${id} ${spec.title}${label ? ` [${label}]` : ""}`,
      { timeout: vitestTimeout },
      async ({ task, skip }) => {
        try {
          await previousCase;
          await runCase(task, skip);
        } finally {
          caseEnded();
        }
      },
    );

    const runCase = async (task: TestContext["task"], skip: TestContext["skip"]): Promise<void> => {
      // A load starts once the other checks have ended (its dependencies with them):
      // that wait is the other checks' time, neither this case's duration nor against its deadline.
      const gateFrom = performance.now();
      if (LOADING_CHECKS.has(id)) await loadsMayStart();
      const waitedForGateMs = Math.round(performance.now() - gateFrom);
      // Its verdict can only be "not judged": no need to wait out the timeouts that decided the root's.
      const failed = failedDependency(id);
      if (failed) {
        task.meta.bustbenchNotRun = `${failed.id} had already failed (${failed.cause})`;
        skip(`not run: ${task.meta.bustbenchNotRun}`);
        return;
      }
      const failedCase = spec.firstFailureDecides ? decided.get(id) : undefined;
      if (failedCase !== undefined) {
        const summary = `not run: the ${failedCase} case had already failed, which decides ${id}`;
        task.meta.bustbench = {
          requirement: id,
          case: label,
          status: "not-applicable",
          summary,
          evidence: { notRunAfter: failedCase },
          durationMs: 0,
        };
        skip(summary);
        return;
      }
      const started = performance.now();
      const evidence: Evidence = waitedForGateMs > 0 ? { waitedForOtherChecksMs: waitedForGateMs } : {};
      const instances: Instance[] = [];
      /** Shared instances the check looked at: the group reaps them, the check keeps their output. */
      const viewed: Instance[] = [];
      const result: CaseResult = {
        requirement: id,
        case: label,
        status: "error",
        summary: "the check did not finish (timed out or crashed)",
        evidence,
        durationMs: 0,
      };
      task.meta.bustbench = result;
      const track = (instance: Instance) => {
        instances.push(instance);
        evidence.command ??= instance.argv;
        return instance;
      };
      let waitingFor = "starting";
      const cleanups: Array<() => void> = [];
      const ctx: CheckContext = {
        manifest,
        evidence,
        start: async (options) => {
          waitingFor = `waiting for ${manifest.readyPath} to answer 200 (workers=${options.workersText ?? options.workers})`;
          if (spec.observes && shared) {
            const { instance, startedBy } = await sharedStart(
              manifest,
              options,
              `${id}${label ? ` [${label}]` : ""}`,
            );
            viewed.push(instance);
            evidence.command ??= instance.argv;
            recordReady(evidence, instance);
            // Kept apart per check, but the processes it looked at were started once for several.
            evidence.sharedInstance = { startedBy, pid: instance.pid };
            return instance;
          }
          const instance = await Instance.startTracked(manifest, options, track);
          recordReady(evidence, instance);
          return instance;
        },
        launch: async (options) => track(await Instance.launch(manifest, options)),
        step: (text) => {
          waitingFor = text;
        },
        onEnd: (cleanup) => {
          cleanups.push(cleanup);
        },
        seen: <T>(key: string, observe: () => Promise<T>): Promise<T> => {
          if (!observations) return observe();
          const made = observations.get(key);
          if (made) {
            // The evidence of the observation is the first check's; this one says where it came from.
            evidence.sharedObservation = { key, madeBy: made.by };
            return made.seen as Promise<T>;
          }
          const seen = observe();
          observations.set(key, { seen, by: `${id}${label ? ` [${label}]` : ""}` });
          return seen;
        },
        notCounted: (ms) => {
          notCountedMs += ms;
          armDeadline();
        },
      };
      let outcome: Outcome | { status: "error"; summary: string };
      const unmet = unmetNeed(spec.needs ?? [], hostSupport());
      let timer: NodeJS.Timeout | undefined;
      let notCountedMs = 0;
      let outOfTimeNow: (outcome: { status: "error"; summary: string }) => void = () => {};
      // The check's own deadline, before vitest's: it keeps the evidence and says what it waited for.
      // Time spent waiting for other checks moves it (notCounted).
      const outOfTime = new Promise<{ status: "error"; summary: string }>((resolve) => {
        outOfTimeNow = resolve;
      });
      const armDeadline = () => {
        clearTimeout(timer);
        const left = started + timeout - REAP_MARGIN_MS + notCountedMs - performance.now();
        timer = setTimeout(
          () => {
            evidence.waitingFor = waitingFor;
            const besides =
              notCountedMs > 0
                ? ` (besides ${Math.round(notCountedMs / 1000)} s waiting for other checks)`
                : "";
            outOfTimeNow({
              status: "error",
              summary: `harness error: the check ran out of time after ${Math.round((timeout - REAP_MARGIN_MS) / 1000)} s${besides} while ${waitingFor}`,
            });
          },
          Math.max(0, left),
        );
      };
      armDeadline();
      try {
        outcome =
          unmet !== undefined ? notApplicable(unmet) : await Promise.race([body(ctx, value as C), outOfTime]);
      } catch (error) {
        if (error instanceof NotReadyError) {
          evidence.outputTail = error.tail;
          outcome = {
            status: "fail",
            summary: error.message,
            expected: `${manifest.readyPath} answers 200 within ${manifest.startTimeoutMs} ms (waits for a CPU not counted)`,
            actual: error.message,
          };
        } else {
          outcome = { status: "error", summary: `harness error: ${errorLine(error)}` };
        }
      } finally {
        clearTimeout(timer);
        for (const instance of instances) {
          const survivors = await instance.dispose();
          if (survivors.length > 0) evidence.reapedAfterCheck = survivors;
          evidence.outputTail ??= instance.proc.tail(8);
        }
        for (const instance of viewed) evidence.outputTail ??= instance.proc.tail(8);
        for (const cleanup of cleanups) cleanup();
      }
      Object.assign(result, outcome, { durationMs: Math.round(performance.now() - started) });
      task.meta.bustbench = result;
      if (spec.firstFailureDecides && outcome.status === "fail") decided.set(id, label || id);
      if (outcome.status === "fail") {
        throw new Error(
          `${id}: ${outcome.summary}\n  expected: ${outcome.expected}\n  actual:   ${outcome.actual}`,
        );
      }
      if (outcome.status === "error") throw new Error(`${id}: ${outcome.summary}`);
      if (outcome.status === "not-applicable") skip(outcome.summary);
    };
  }
}
