/**
 * How console lines are matched (SPEC.md, "Console lines"): ANSI sequences and
 * decoration are removed, then the substance is matched case-insensitively
 * anywhere in the line, from a word's start: whatever precedes it (an emoji, a
 * tag, a logger's timestamp and level) is decoration.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
/** Leading emoji, pictographs, symbols, punctuation and spaces (not letters, digits or '['). */
const LEADING_DECORATION = /^[^\p{L}\p{N}[]+/u;
const LEADING_TAG = /^\[[^\]]{1,40}\]\s*/;

export function normalizeLine(line: string): string {
  let text = line.replace(ANSI, "").trim();
  text = text.replace(LEADING_DECORATION, "");
  text = text.replace(LEADING_TAG, "");
  text = text.replace(LEADING_DECORATION, "");
  return text.replace(/[\s.…]+$/u, "");
}

export interface LineMatcher {
  /** What a person reads in an expected-versus-actual message. */
  description: string;
  pattern: RegExp;
}

export const LINES = {
  start: (workers: number): LineMatcher => ({
    description: `Starting ${workers} worker processes (Linux SO_REUSEPORT)`,
    pattern: new RegExp(`\\bstarting ${workers} worker processes \\(linux so_reuseport\\)`, "i"),
  }),
  /** Any start line, whatever count it announces (to report a wrong count). */
  anyStart: {
    description: "Starting <N> worker processes (Linux SO_REUSEPORT)",
    pattern: /\bstarting (\d+) worker processes \(linux so_reuseport\)/i,
  },
  shutdown: { description: "Shutting down workers", pattern: /\bshutting down workers/i },
  fallbackStart: (platformName: string): LineMatcher => ({
    description: `Starting server on ${platformName} (single process mode)`,
    pattern: new RegExp(`\\bstarting server on ${platformName} \\(single process mode\\)`, "i"),
  }),
  anyFallback: {
    description: "Starting server on <platform> (single process mode)",
    pattern:
      /\bstarting server on .+ \(single process mode\)|\bnote: multi-worker mode requires so_reuseport/i,
  },
  fallbackNote: {
    description: "Note: Multi-worker mode requires SO_REUSEPORT (Linux only)",
    pattern: /\bnote: multi-worker mode requires so_reuseport \(linux only\)/i,
  },
} as const;

/** The first line whose substance matches, in its original form. */
export function findLine(lines: readonly string[], matcher: LineMatcher): string | undefined {
  return lines.find((line) => matcher.pattern.test(normalizeLine(line)));
}
