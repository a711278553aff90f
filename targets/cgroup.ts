import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A control group of its own for one launch, where the host lets the kit make one (cgroup v2 and
 * write access, as root): every process the target forks stays in it whatever it does to its
 * process group or session, so "every process of the service" is what systemd would signal.
 */
export interface LaunchCgroup {
  dir: string;
  /** Pids in the group now (cgroup.procs). */
  members(): number[];
  /** Removes the group; its processes must be gone (the launch is reaped first). */
  remove(): void;
}

/** The cgroup v2 hierarchy: /sys/fs/cgroup itself, or /sys/fs/cgroup/unified on a hybrid host. */
function cgroup2Root(): string | undefined {
  for (const dir of ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]) {
    if (existsSync(join(dir, "cgroup.procs")) && existsSync(join(dir, "cgroup.controllers"))) return dir;
  }
  return undefined;
}

const made = new Set<string>();

/** A new cgroup for a launch, or the reason none can be made here. */
export function createCgroup(name: string): LaunchCgroup | { unavailable: string } {
  const root = cgroup2Root();
  if (!root) return { unavailable: "no cgroup v2 hierarchy on this host" };
  const dir = join(root, `bustbench-${name}`.replace(/[^A-Za-z0-9._-]/g, "-"));
  try {
    mkdirSync(dir);
    // Only a group we can move a process into is of use: try with nothing (an empty write is refused
    // for lack of a pid, not of permission, when we may write).
    writeFileSync(join(dir, "cgroup.procs"), "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL") {
      try {
        rmdirSync(dir);
      } catch {
        // never made
      }
      return { unavailable: `cannot make a cgroup under ${root} (${code ?? "error"})` };
    }
  }
  made.add(dir);
  return {
    dir,
    members: () => readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number),
    remove: () => removeCgroup(dir),
  };
}

function removeCgroup(dir: string): void {
  try {
    rmdirSync(dir);
    made.delete(dir);
  } catch {
    // still has members, or already gone: the exit handler tries again
  }
}

/** A command prefix that moves the started process into `dir` before it becomes the target (exec keeps its pid). */
export function joinCgroupPrefix(dir: string): string[] {
  return ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', dir];
}

process.once("exit", () => {
  for (const dir of made) removeCgroup(dir);
});
