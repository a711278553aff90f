/**
 * The checks that only look at the target's one-process modes (debug, the macOS and Windows
 * fallbacks) and compare answers across modes: one start per mode serves them all, in this order.
 * The one that may stop a mode to read its output to the end comes last.
 */
import { shareInstances } from "../../harness/check.ts";
import "../debug/one-process.check.ts";
import "../platform/one-process.check.ts";
import "../http/same-answers.check.ts";
import "../platform/fallback-lines.check.ts";

shareInstances();
