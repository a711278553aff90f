import { UsageError } from "../common/errors.ts";

/**
 * Pure: the load hosts and target address of `bench --load-host` (load from
 * other hosts, see loaders/remote-wrk.ts), validated without touching the network.
 */
export interface LoadHost {
  /** As given: `user@host` or `user@host:port`. */
  spec: string;
  /** `user@host` for ssh. */
  destination: string;
  port: number | undefined;
}

/** `user@host[:port]`, `host`, or `user@[v6]:port`. */
export function parseLoadHost(spec: string): LoadHost {
  const match = /^(?:([^@\s]+)@)?(\[[0-9a-fA-F:.]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(spec.trim());
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (port !== undefined && (port < 1 || port > 65_535))) {
    throw new UsageError(`--load-host must be user@host or user@host:port, got '${spec}'`);
  }
  const host = (match[2] ?? "").replace(/^\[(.*)\]$/, "$1");
  return { spec: spec.trim(), destination: match[1] ? `${match[1]}@${host}` : host, port };
}

/** An IPv4 or IPv6 literal: the target binds it, so a name (which may resolve elsewhere) is refused. */
export function isIpLiteral(text: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255);
  return /^[0-9a-fA-F:]+$/.test(text) && text.includes(":") && text.split("::").length <= 2;
}
