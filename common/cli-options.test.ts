import { describe, expect, it } from "vitest";
import { parseCli, renderHelp } from "./cli-options.ts";
import { UsageError } from "./errors.ts";

const table = {
  workers: { type: "string", valueName: "n", description: "worker processes", defaultText: "CPU count" },
  debug: { type: "boolean", description: "debug mode" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

function usageMessage(argv: string[]): string {
  try {
    parseCli(table, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseCli", () => {
  it("parses strings and booleans", () => {
    expect(parseCli(table, ["--workers", "4", "--debug"]).values).toEqual({ workers: "4", debug: true });
  });

  it("takes a negative number as the value of a string option", () => {
    expect(parseCli(table, ["--workers", "-1"]).values.workers).toBe("-1");
  });

  it("turns parse failures into one-line messages naming the flag", () => {
    expect(usageMessage(["--bogus"])).toBe("unknown option --bogus (see --help)");
    expect(usageMessage(["--workers"])).toBe("option --workers needs a value");
    expect(usageMessage(["--debug=yes"])).toBe("option --debug takes no value");
    expect(usageMessage(["stray"])).toBe("unexpected argument 'stray' (see --help)");
  });

  it("allows positionals only up to the stated count", () => {
    expect(parseCli(table, ["a.json"], { maxPositionals: 1 }).positionals).toEqual(["a.json"]);
    expect(() => parseCli(table, ["a.json", "b.json"], { maxPositionals: 1 })).toThrow(
      "unexpected argument 'b.json' (see --help)",
    );
  });
});

describe("renderHelp", () => {
  it("aligns every option and shows defaults", () => {
    expect(renderHelp("x [options]", "Does x.", table)).toBe(
      [
        "Usage: x [options]",
        "",
        "Does x.",
        "",
        "Options:",
        "      --workers <n>  worker processes (default: CPU count)",
        "      --debug        debug mode",
        "  -h, --help         show this help",
        "",
      ].join("\n"),
    );
  });
});
