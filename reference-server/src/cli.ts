import { runAsProgram } from "./main.ts";

runAsProgram(process.argv.slice(2));
