/**
 * The checks that judge one stop of the target (SIGINT, then SIGTERM, to the started process): each
 * signal is sent once, and what it did (the exit, the lines, what was left) is judged by all three.
 * SIGNAL-3 first: the checks that depend on an exit read its failure as soon as it is known.
 */
import { shareInstances } from "../../harness/check.ts";
import "../signal/exit-code.check.ts";
import "../signal/shutdown-line.check.ts";
import "../signal/nothing-left.check.ts";

shareInstances();
