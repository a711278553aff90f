import { UsageError } from "../common/errors.ts";

/**
 * What the kit needs to know to start and stop a target, whoever reads it (the
 * suite's manifest extends it with what only the suite needs, such as `expect`).
 */
export interface TargetDefinition {
  name: string;
  /** Absolute path of the file the definition came from (named in errors). */
  path: string;
  dir: string;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  debugArgs: string[] | undefined;
  platformEnv: string | undefined;
  /** JSON pointers to body fields that differ by design between processes or modes (a pid, a time). */
  differsByDesign: string[];
  /** `io`, when declared, holds a `{ms}` placeholder for how long the request waits. */
  routes: { root: string; json: string; io?: string };
  readyPath: string;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /** How soon a worker that stops answering must be replaced (HANG-1). */
  hangTimeoutMs: number;
}

export interface Placeholders {
  host: string;
  port: number;
  workers: number;
}

/** Replaces {host}, {port}, {workers} and {manifestDir}; any other {name} is an error. */
export function fill(
  text: string,
  target: Pick<TargetDefinition, "dir" | "path">,
  values: Placeholders,
  key: string,
): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
    switch (name) {
      case "host":
        return values.host;
      case "port":
        return String(values.port);
      case "workers":
        return String(values.workers);
      case "manifestDir":
        return target.dir;
      default:
        throw new UsageError(`${target.path}: ${key}: unknown placeholder ${whole}`);
    }
  });
}

/** The path a route is requested at: `io`'s `{ms}` becomes the wait asked for. */
export function routePath(
  target: Pick<TargetDefinition, "name" | "routes">,
  route: keyof TargetDefinition["routes"],
  ioMs: number,
): string {
  const path = target.routes[route];
  if (path === undefined) throw new UsageError(`${target.name} declares no ${route} route`);
  return path.replaceAll("{ms}", String(ioMs));
}
