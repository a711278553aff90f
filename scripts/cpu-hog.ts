import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";

/**
 * A CPU hog on every core, for as long as a test file runs (`BUSTBENCH_LOADED=1`): verdicts must not
 * depend on how busy the machine is (CI runners are shared). Each hog is a process that spins; all are
 * killed when the file ends, and by the leftover audit if the test process dies first.
 */
export function startCpuHogs(): () => void {
  if (process.env.BUSTBENCH_LOADED !== "1") return () => {};
  const hogs = Array.from({ length: availableParallelism() }, () =>
    // Each hog also ends itself once its parent is gone (a test process killed with SIGKILL runs no exit handler).
    spawn(
      process.execPath,
      ["-e", `for (let i = 0; ; i++) if (i % 1e7 === 0 && process.ppid !== ${process.pid}) process.exit(0);`],
      {
        stdio: "ignore",
        env: { ...process.env, BUSTBENCH_HOG: "1" },
      },
    ),
  );
  const stop = () => {
    for (const hog of hogs) hog.kill("SIGKILL");
  };
  process.once("exit", stop);
  return stop;
}
