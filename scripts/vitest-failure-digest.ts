import { appendFileSync } from "node:fs";
import { relative } from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { Reporter, TestModule } from "vitest/node";

/**
 * A digest of what failed, for the end of `make test`'s output: CI keeps only the last lines of a run,
 * and a failure's explanation (a verdict's evidence, a load's counters) sits far above them, under the
 * diffs and the summaries of later phases. A SIGNAL-6 loss in CI once showed only "421 lost" that way,
 * and what caused it could not be read. make test-phases names the file in DIGEST_ENV and prints it
 * after its last phase.
 */
export const DIGEST_ENV = "BUSTBENCH_FAILURE_DIGEST";

/** Per failure: its message's first lines, each cut, so that several failures fit one screen. */
const MAX_LINES = 12;
const MAX_LINE_CHARS = 400;

export interface Failure {
  /** The test file, relative to the project's root. */
  file: string;
  /** The test's full name, or empty for an error outside any test (a file that failed to load). */
  test: string;
  message: string;
  /**
   * Where it failed: the innermost frames of the error's stack in the project
   * ("runners/bench.integration.test.ts:70"). A message such as "expected 0 to be greater than 0"
   * names no figure: only the line says which of a test's assertions it was.
   */
  where?: readonly string[];
}

/** The digest's lines for these failures: a header each, then the message shortened. */
export function digestLines(failures: readonly Failure[]): string[] {
  return failures.flatMap(({ file, test, message, where }) => {
    const lines = stripVTControlCharacters(message)
      .split("\n")
      .map((line) => line.trimEnd())
      .filter((line) => line !== "");
    const shown = lines
      .slice(0, MAX_LINES)
      .map((line) => `    ${line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)} …` : line}`);
    const more =
      lines.length > MAX_LINES
        ? [`    … ${lines.length - MAX_LINES} more line(s) in the full output above`]
        : [];
    const at = where && where.length > 0 ? [`    at ${where.join(", called from ")}`] : [];
    return [`FAIL ${file}${test ? ` > ${test}` : ""}`, ...shown, ...more, ...at];
  });
}

/** Frames are source-mapped by vitest: lines of the TypeScript source. */
interface Frame {
  file: string;
  line: number;
  method: string;
}

const MAX_FRAMES = 3;

/** The project's innermost frames of a stack, as "path:line (function)", paths relative to `root`. */
export function whereOf(stacks: readonly Frame[] | undefined, root: string): string[] {
  return (stacks ?? [])
    .map((frame) => ({ ...frame, path: relative(root, frame.file.replace(/^file:\/\//, "")) }))
    .filter(({ path }) => !path.startsWith("..") && !path.includes("node_modules"))
    .slice(0, MAX_FRAMES)
    .map(({ path, line, method }) => `${path}:${line}${method ? ` (${method})` : ""}`);
}

function failuresOf(modules: ReadonlyArray<TestModule>, root: string): Failure[] {
  return modules.flatMap((module) => {
    const file = relative(root, module.moduleId);
    const ofModule = module.errors().map((error) => ({
      file,
      test: "",
      message: error.message ?? "",
      where: whereOf(error.stacks, root),
    }));
    const ofTests = [...module.children.allTests("failed")].flatMap((test) =>
      (test.result().errors ?? []).map((error) => ({
        file,
        test: test.fullName,
        message: error.message ?? "",
        where: whereOf(error.stacks, root),
      })),
    );
    return [...ofModule, ...ofTests];
  });
}

export default class FailureDigest implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<{ message?: string }>): void {
    const path = process.env[DIGEST_ENV];
    if (!path) return;
    const failures = [
      ...failuresOf(modules, process.cwd()),
      ...unhandled.map((error) => ({ file: "(unhandled)", test: "", message: error.message ?? "" })),
    ];
    if (failures.length > 0) appendFileSync(path, `${digestLines(failures).join("\n")}\n`);
  }
}
