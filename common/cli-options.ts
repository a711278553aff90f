import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

/**
 * One table per command describes its options; the parser and `--help` are both
 * derived from it, so the help text can never drift from what is accepted.
 */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Shown in help as `--name <valueName>`. */
  readonly valueName?: string;
  readonly description: string;
  /** Shown in help only; defaults are applied by the command's resolver. */
  readonly defaultText?: string;
  /** May be given several times; the values arrive as a list. */
  readonly multiple?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

export type ParsedValues<T extends OptionTable> = {
  [K in keyof T]?: T[K]["type"] extends "boolean"
    ? boolean
    : T[K] extends { multiple: true }
      ? string[]
      : string;
};

export interface ParsedCli<T extends OptionTable> {
  values: ParsedValues<T>;
  positionals: string[];
}

/**
 * Parses argv strictly. Every parse failure becomes a one-line UsageError that
 * names the flag, instead of util.parseArgs' multi-line advice.
 */
export function parseCli<T extends OptionTable>(
  table: T,
  argv: readonly string[],
  { maxPositionals = 0 }: { maxPositionals?: number } = {},
): ParsedCli<T> {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(table)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(table, argv),
      options,
      strict: true,
      allowPositionals: maxPositionals > 0,
    }) as typeof parsed;
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals];
    throw new UsageError(`unexpected argument '${extra}' (see --help)`);
  }
  return { values: parsed.values as ParsedValues<T>, positionals: parsed.positionals };
}

/** `--workers -1` means the value -1, not a missing value: rewrite it as `--workers=-1`. */
function joinNegativeValues(table: OptionTable, argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (name && table[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? "";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${flag} (see --help)`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument '${/'([^']*)'/.exec(message)?.[1] ?? ""}' (see --help)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (message.includes("does not take an argument")) return `option ${flag} takes no value`;
      return `option ${flag} needs a value`;
    default:
      return message.split("\n")[0] ?? message;
  }
}

/** Help text generated from the same table the parser uses; columns aligned. */
export function renderHelp(usage: string, summary: string, table: OptionTable): string {
  const rows = Object.entries(table).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` <${spec.valueName ?? "value"}>` : ""}`;
    const repeat = spec.multiple ? " (repeatable)" : "";
    const text = spec.defaultText
      ? `${spec.description}${repeat} (default: ${spec.defaultText})`
      : `${spec.description}${repeat}`;
    return [flag, text] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${lines.join("\n")}\n`;
}

/** A whole-number option: `fallback` when absent, else a one-line UsageError naming `flag` unless in [min, max]. */
export function wholeNumber(
  flag: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${value}'`);
  }
  return Number(value);
}
