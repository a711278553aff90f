import type { LaunchCgroup } from "./cgroup.ts";
import type { Instance } from "./instance.ts";

/**
 * How a signal reaches a target, as the tools that stop servers deliver it:
 * - `process`: the started process alone (`kill PID`, `docker stop`, Kubernetes);
 * - `group`: every process of its process group at once (a terminal's Ctrl+C); the kit starts each
 *   target in a group of its own, so it never signals itself;
 * - `service`: every process of the launch at once (`systemctl stop` with KillMode=control-group):
 *   the members of its cgroup where the kit could make one, else every process found by its launch tag.
 */
export type Delivery = "process" | "group" | "service";

export interface Delivered {
  delivery: Delivery;
  /** How the processes were found, for `service`. */
  how: string;
  pids: number[];
}

export async function deliver(
  instance: Instance,
  signal: NodeJS.Signals,
  delivery: Delivery,
  cgroup?: LaunchCgroup,
): Promise<Delivered> {
  if (delivery === "process") {
    instance.proc.signal(signal);
    return { delivery, how: "kill PID", pids: [instance.pid] };
  }
  if (delivery === "group") {
    await instance.proc.recordDescendants();
    kill(-instance.pid, signal);
    return { delivery, how: `kill -${signal} -PGID (the started process's group)`, pids: [instance.pid] };
  }
  await instance.proc.recordDescendants();
  const pids = cgroup ? cgroup.members() : (await instance.proc.liveMembers()).map((m) => m.pid);
  // One pass, as systemd does: every process gets the signal before any has acted on it.
  for (const pid of pids) kill(pid, signal);
  return {
    delivery,
    how: cgroup ? `every pid of cgroup ${cgroup.dir}` : "every process carrying the launch's tag",
    pids,
  };
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone meanwhile
  }
}
