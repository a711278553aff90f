/**
 * The checks that mostly wait for what may never come (a replacement, a refusal, workers that outlive
 * their primary or a stop), side by side in one worker: see LONG_WAITS_FILE in ../registry.ts. The
 * first import sets that before the checks are declared.
 */
import "./side-by-side.ts";
import "../hang/stopped-worker-replaced.check.ts";
import "../input/port-in-use.check.ts";
import "../orphan/workers-stop.check.ts";
import "../respawn/dead-worker-replaced.check.ts";
import "../group/ctrl-c.check.ts";
import "../group/sigterm-to-group.check.ts";
import "../service/systemd-stop.check.ts";
import "../signal/in-flight-completes.check.ts";
