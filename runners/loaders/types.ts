import type { LoaderName, LoadResult } from "../../results/bench.ts";

export interface LoadRequest {
  url: string;
  connections: number;
  durationS: number;
  pipelining: number;
  threads: number;
  /** Run the load generator on these CPUs only (taskset); undefined: anywhere. */
  cpus?: readonly number[] | undefined;
}

export interface Loader {
  name: LoaderName;
  version(): Promise<string>;
  run(request: LoadRequest): Promise<LoadResult>;
}
