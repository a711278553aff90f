/**
 * The checks that only look at the target running with 2 and 4 workers: one start for each count
 * serves them all, in this order. The ones that may stop it to read its output to the end come last.
 */
import { shareInstances } from "../../harness/check.ts";
import "../spawn/worker-count.check.ts";
import "../port/one-listener-per-worker.check.ts";
import "../port/parent-holds-no-listener.check.ts";
import "../info/worker-rss.check.ts";
import "../http/routes-answer.check.ts";
import "../http/content-types.check.ts";
import "../http/unknown-path.check.ts";
import "../dist/connections-spread.check.ts";
import "../security/foreign-socket.check.ts";
import "../spawn/start-line.check.ts";
import "../platform/no-fallback-on-linux.check.ts";

shareInstances();
