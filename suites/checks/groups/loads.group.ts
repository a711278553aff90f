/**
 * The checks that load their target and count what it lost, side by side in one worker: see
 * LOADS_FILE in ../registry.ts. Their starts and loads still run one at a time (loadAlone); the
 * first import sets side by side before the checks are declared.
 */
import "./side-by-side.ts";
import "../respawn/under-load.check.ts";
import "../signal/under-load.check.ts";
import "../signal/shutdown-loss.check.ts";
