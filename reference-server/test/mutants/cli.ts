/**
 * The reference with one deliberate fault, for the mutant tests only (built to dist/test/, never
 * published): `reference-mutant.js --mutant NAME [the reference's options]`. Its workers are forked from
 * this same program with the same arguments, so every process of the instance has the same fault.
 */
import { runAsProgram } from "../../src/main.ts";
import { isMutant, MUTANTS, mutantSeams } from "./mutants.ts";

const argv = process.argv.slice(2);
const at = argv.indexOf("--mutant");
const name = at >= 0 ? argv[at + 1] : undefined;
if (name === undefined || !isMutant(name)) {
  process.stderr.write(`error: --mutant must be one of ${MUTANTS.join(", ")}, got '${name ?? ""}'\n`);
  process.exit(2);
}
runAsProgram([...argv.slice(0, at), ...argv.slice(at + 2)], mutantSeams(name));
