import { readFileSync, writeFileSync } from "node:fs";
import { updateSpec } from "../suites/spec-markdown.ts";

/** Regenerates the requirement list in SPEC.md from suites/requirements.ts. */
const path = new URL("../SPEC.md", import.meta.url);
writeFileSync(path, updateSpec(readFileSync(path, "utf8")));
