import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Every temporary file of a test project's run in one folder, removed when the project ends. The tests
 * make folders for the suite's outputs, manifests and keys, and the servers they start make their own
 * (Python's multiprocessing, Chromium's profile); most tests never removed theirs, and a test killed at
 * its timeout cleans nothing. Left in /tmp, they were 9,700 folders after two days of
 * runs on this host. TMPDIR reaches the test workers, the CLIs they run and every process those start
 * (os.tmpdir(), Python's tempfile, mkdtemp(3)).
 */
export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), "bustbench-tests-"));
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
