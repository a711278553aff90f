import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * The texts the kit can print: every string literal in the sources that produce console lines,
 * verdicts, hints, reasons, Markdown or the page. A user reads these, so none may name an issue,
 * a source file of the kit, or an identifier of its code.
 */
const USER_FACING = [
  "cli",
  "reports",
  "results",
  "runners",
  "suites/checks",
  "suites/harness",
  "suites/assemble",
  "targets",
  "dashboard/src",
  "common",
];

export interface Finding {
  file: string;
  text: string;
  why: string;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (["node_modules", "fixtures", "test-support", "golden"].includes(name)) continue;
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

/**
 * The text of a source's string literals, comments and import specifiers left out; in a template
 * literal only its text, each `${…}` (code) replaced by a space. A small tokenizer: strings, template
 * literals nested through their substitutions, comments, and regular expressions after an operator.
 */
export function literals(source: string): string[] {
  const found: string[] = [];
  let i = 0;
  const n = source.length;
  /** Reads a template literal from just after its backtick; returns its text, substitutions skipped. */
  const template = (): string => {
    let text = "";
    while (i < n) {
      const c = source[i];
      if (c === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (c === "`") {
        i++;
        return text;
      } else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        code(1);
        text += " ";
      } else {
        text += c;
        i++;
      }
    }
    return text;
  };
  /** Skips code until its braces close (depth > 0) or to the end, collecting the literals in it. */
  const code = (depth: number): void => {
    let last = "";
    while (i < n) {
      const c = source[i] as string;
      if (c === "/" && source[i + 1] === "/") {
        while (i < n && source[i] !== "\n") i++;
      } else if (c === "/" && source[i + 1] === "*") {
        const end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < n && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
        const text = source.slice(i + 1, j);
        if (!/\b(?:from|import)\s*\(?\s*$/.test(source.slice(Math.max(0, i - 12), i))) found.push(text);
        i = j + 1;
        last = "x";
      } else if (c === "`") {
        i++;
        found.push(template());
        last = "x";
      } else if (c === "/" && (last === "" || /[=(,:;!&|?{}[+\-*%<>~^]/.test(last))) {
        // A regular expression: skip it, classes and escapes included.
        let j = i + 1;
        let inClass = false;
        while (j < n && source[j] !== "\n") {
          const d = source[j];
          if (d === "\\") j++;
          else if (d === "[") inClass = true;
          else if (d === "]") inClass = false;
          else if (d === "/" && !inClass) break;
          j++;
        }
        i = j + 1;
        last = "x";
      } else {
        if (c === "{") depth > 0 && depth++;
        if (c === "}" && depth > 0 && --depth === 0) {
          i++;
          return;
        }
        if (!/\s/.test(c)) last = c;
        i++;
      }
    }
  };
  code(0);
  return found.filter((text) => /\s/.test(text.trim()));
}

/** camelCase identifiers the kit exports: names of its code, not words. */
export function kitIdentifiers(root: string): Set<string> {
  const names = new Set<string>();
  for (const dir of USER_FACING) {
    for (const file of sources(join(root, dir))) {
      for (const match of readFileSync(file, "utf8").matchAll(
        /export (?:async )?(?:function|const|class|interface|type) ([a-z]+[A-Z]\w*)/g,
      ))
        names.add(match[1] as string);
    }
  }
  return names;
}

const RULES: Array<{ why: string; test: (text: string, names: Set<string>) => boolean }> = [
  { why: "names an issue", test: (text) => /\bissues?\b/i.test(text) },
  {
    why: "names a source file of the kit",
    test: (text) =>
      /\b(?:common|targets|results|runners|reports|suites|dashboard|cli|scripts|reference-server)\/[\w./-]+\.ts\b/.test(
        text,
      ),
  },
  {
    why: "names an identifier of the kit's code",
    test: (text, names) => [...text.matchAll(/\b[a-z]+[A-Z]\w*\b/g)].some((m) => names.has(m[0])),
  },
];

export function userWordFindings(root: string): Finding[] {
  const names = kitIdentifiers(root);
  const findings: Finding[] = [];
  for (const dir of USER_FACING) {
    for (const file of sources(join(root, dir))) {
      for (const text of literals(readFileSync(file, "utf8"))) {
        for (const rule of RULES)
          if (rule.test(text, names)) findings.push({ file: relative(root, file), text, why: rule.why });
      }
    }
  }
  return findings;
}

/** The same rules on a rendered text (console, Markdown): each offending line. */
export function renderedFindings(root: string, text: string): string[] {
  const names = kitIdentifiers(root);
  return text.split("\n").filter((line) => RULES.some((rule) => rule.test(line, names)));
}

if (process.argv[1]?.endsWith("user-words.ts")) {
  const root = new URL("..", import.meta.url).pathname;
  for (const f of userWordFindings(root))
    console.log(`${f.file}: ${f.why}: ${JSON.stringify(f.text.slice(0, 140))}`);
}
