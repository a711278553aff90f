import { Agent } from "node:http";
import { type HttpResponse, httpGet } from "../http-client.ts";
import { acceptedByMany } from "./procfs.ts";

export interface ConnectionSample {
  clientPort: number;
  /** 0 when the request failed (refused, reset, timed out): see `error`. */
  status: number;
  error?: string;
  /** The pids holding the server side of this connection; empty if it was already gone. */
  acceptedBy: number[];
}

/**
 * Sends `count` requests, each on a fresh connection, and finds which process
 * accepted each one. The connection is kept open (a keep-alive agent of its
 * own) until /proc has been read, then closed by the client: this works for
 * servers that accept lazily (TCP_DEFER_ACCEPT) as well as eager ones.
 */
export async function sampleConnections(
  host: string,
  port: number,
  path: string,
  count: number,
  { batch = 25, timeoutMs = 5_000 }: { batch?: number; timeoutMs?: number } = {},
): Promise<ConnectionSample[]> {
  const samples: ConnectionSample[] = [];
  for (let done = 0; done < count; done += batch) {
    const size = Math.min(batch, count - done);
    const agents = Array.from({ length: size }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    try {
      const settled = await Promise.allSettled(
        agents.map((agent) => httpGet(host, port, path, { agent, timeoutMs })),
      );
      const responses = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const owners = await acceptedByMany(
        port,
        responses.map((r: HttpResponse) => r.clientPort),
      );
      for (const outcome of settled) {
        if (outcome.status === "rejected") {
          samples.push({
            clientPort: 0,
            status: 0,
            error: String(outcome.reason?.message ?? outcome.reason),
            acceptedBy: [],
          });
          continue;
        }
        const response = outcome.value;
        samples.push({
          clientPort: response.clientPort,
          status: response.status,
          acceptedBy: owners.get(response.clientPort) ?? [],
        });
      }
    } finally {
      for (const agent of agents) agent.destroy();
    }
  }
  return samples;
}

/** How many of the samples each pid accepted. */
export function countByAcceptor(samples: readonly ConnectionSample[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const sample of samples) {
    for (const pid of sample.acceptedBy) counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  return counts;
}
