import { connect, type Socket } from "node:net";
import * as hdr from "hdr-histogram-js";
import type { Percentiles, RateResult } from "../../results/bench.ts";

/**
 * The kit's own open-loop client: requests are sent on a fixed schedule
 * (request k is due at start + k / rate) whether or not earlier ones were
 * answered, and each one's latency is timed from when it was due, not from
 * when it could be sent. A server that stalls therefore shows the whole stall
 * in the percentiles (coordinated omission corrected), instead of the client
 * quietly waiting with it. No package on the registries this kit can reach
 * does this (wrk2, vegeta and k6 are not among them), so it is written here.
 *
 * How it schedules: due requests go to an idle keep-alive connection at once;
 * when none is idle, a new connection is opened (up to `connections`), and
 * until one is free they wait in a queue; that wait and the connect count in
 * their latency. Connections are opened on demand, never ahead: a server that
 * serves one connection at a time per worker would otherwise sit on an idle
 * one while requests queue behind it. A connection the server said it would
 * close is not replaced until a request needs it. The client's own delay (due
 * time to actual send) is measured apart as `sendLag`: when it is large, the
 * client did not keep the schedule, and the figures are the client's, not the
 * server's.
 */

export interface RateRequest {
  host: string;
  port: number;
  path: string;
  ratePerS: number;
  durationS: number;
  connections: number;
  /** Per request: a response not complete within this counts as a timeout. */
  timeoutMs?: number;
  /** When the schedule starts (Date.now() milliseconds), so that several clients share one; default now. */
  startAtEpochMs?: number;
  /** Return the raw histograms too, for a caller that merges several clients' results. */
  histograms?: boolean;
}

/** A client's raw histograms (HdrHistogram, compressed base64), in microseconds. */
export interface RateHistograms {
  latency: string;
  service: string;
  lag: string;
  queueWait: string;
}

/** Times are performance.now() milliseconds: plain numbers, no allocation per request (BigInt would be). */
interface Pending {
  dueMs: number;
  sentMs: number;
}

/** Microseconds, 3 significant digits. */
const histogram = () =>
  hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    useWebAssembly: false,
    numberOfSignificantValueDigits: 3,
  });

function percentilesMs(h: hdr.Histogram): Percentiles {
  const ms = (us: number) => us / 1000;
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
  };
}

/** Where a complete response ends in `buffer` (Content-Length or chunked framing), or -1. */
export function responseEnd(buffer: Buffer): number {
  const headEnd = buffer.indexOf("\r\n\r\n");
  if (headEnd < 0) return -1;
  const head = buffer.toString("latin1", 0, headEnd);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) {
    const end = headEnd + 4 + Number(length[1]);
    return buffer.length >= end ? end : -1;
  }
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
    const last = buffer.indexOf("\r\n0\r\n\r\n", headEnd);
    return last < 0 ? -1 : last + 7;
  }
  return headEnd + 4; // no body
}

class Lane {
  socket: Socket | undefined;
  busy: Pending | undefined;
  buffer: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  closes = false;
}

export async function runConstantRate(
  request: RateRequest,
): Promise<RateResult & { histograms?: RateHistograms }> {
  if (request.startAtEpochMs !== undefined) {
    const wait = request.startAtEpochMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const latency = histogram();
  const service = histogram();
  const lag = histogram();
  const queueWait = histogram();
  const requestBytes = Buffer.from(
    `GET ${request.path} HTTP/1.1\r\nHost: ${request.host}:${request.port}\r\n\r\n`,
  );
  const intervalMs = 1000 / request.ratePerS;
  const total = Math.max(1, Math.round(request.ratePerS * request.durationS));
  const timeoutMs = request.timeoutMs ?? 10_000;
  const queue: number[] = [];
  const lanes = Array.from({ length: request.connections }, () => new Lane());
  // Stacks, so that no request searches the lanes: connected with nothing in flight; without a connection.
  const idle: Lane[] = [];
  const unopened: Lane[] = [...lanes];
  let scheduled = 0;
  let completed = 0;
  let errors = 0;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const us = (ms: number) => Math.max(1, Math.round(ms * 1000));

  const settle = () => {
    if (scheduled === total && completed + errors === total) finished();
  };
  let onTime = 0;
  /**
   * `direct`: sent as it was dispatched, a connection being free: any delay is the client's own
   * (its CPU, its timers): the lag. Otherwise it waited in the queue for one of the `connections` to
   * come free, because the server still held them all: that wait is the server's, part of the
   * latency (timed from the due time), and recorded apart.
   */
  const send = (lane: Lane, dueMs: number, direct: boolean) => {
    const sentMs = performance.now();
    lane.busy = { dueMs, sentMs };
    if (direct) lag.recordValue(us(sentMs - dueMs));
    else queueWait.recordValue(us(sentMs - dueMs));
    // Kept: not delayed a millisecond by the client itself (a wait for the server's connections is not its delay).
    if (!direct || sentMs - dueMs < 1) onTime++;
    lane.socket?.write(requestBytes);
  };
  /** A lane is free: it takes the oldest queued request, or waits on the idle stack. */
  const free = (lane: Lane) => {
    const next = queue.shift();
    if (next !== undefined) send(lane, next, false);
    else idle.push(lane);
  };
  /** A lane lost its connection: it opens a new one only if requests are waiting. */
  const release = (lane: Lane, retryMs: number) => {
    lane.socket = undefined;
    if (queue.length === 0) unopened.push(lane);
    else if (retryMs > 0) setTimeout(() => (queue.length > 0 ? open(lane) : unopened.push(lane)), retryMs);
    else open(lane);
  };
  const dispatch = (dueMs: number) => {
    const lane = idle.pop();
    if (lane) return send(lane, dueMs, true);
    queue.push(dueMs);
    const spare = unopened.pop();
    if (spare) open(spare);
  };
  const open = (lane: Lane) => {
    const socket = connect({ host: request.host, port: request.port });
    socket.setNoDelay(true);
    lane.socket = socket;
    lane.buffer = Buffer.alloc(0);
    lane.closes = false;
    socket.on("connect", () => {
      if (!lane.busy) free(lane);
    });
    socket.on("data", (chunk: Buffer) => {
      lane.buffer = lane.buffer.length === 0 ? chunk : Buffer.concat([lane.buffer, chunk]);
      const end = lane.busy ? responseEnd(lane.buffer) : -1;
      if (end < 0 || !lane.busy) return;
      const head = lane.buffer.toString("latin1", 0, Math.min(end, 512)).toLowerCase();
      lane.closes = head.includes("connection: close") || head.startsWith("http/1.0");
      lane.buffer = lane.buffer.subarray(end);
      const now = performance.now();
      latency.recordValue(us(now - lane.busy.dueMs));
      service.recordValue(us(now - lane.busy.sentMs));
      lane.busy = undefined;
      completed++;
      if (lane.closes) {
        // The server said it would close: not a loss; a new connection when a request needs one.
        socket.destroy();
        release(lane, 0);
      } else free(lane);
      settle();
    });
    const fail = () => {
      if (lane.socket !== socket) return;
      const at = idle.indexOf(lane);
      if (at >= 0) idle.splice(at, 1);
      if (lane.busy) {
        errors++;
        lane.busy = undefined;
      }
      socket.destroy();
      release(lane, 10);
      settle();
    };
    socket.on("error", fail);
    socket.on("close", () => {
      if (!lane.closes) fail();
    });
  };

  // The schedule: every due request is sent now or queued; timers are only woken, never trusted for timing.
  let lastTimeoutSweep = start;
  const tick = () => {
    const now = performance.now();
    while (scheduled < total && start + scheduled * intervalMs <= now) {
      const dueMs = start + scheduled * intervalMs;
      scheduled++;
      dispatch(dueMs);
    }
    // Responses overdue beyond the timeout count as errors, and their connection is replaced.
    if (now - lastTimeoutSweep < 100) return reschedule();
    lastTimeoutSweep = now;
    for (const lane of lanes) {
      if (lane.busy && now - lane.busy.sentMs > timeoutMs) {
        errors++;
        lane.busy = undefined;
        const socket = lane.socket;
        lane.socket = undefined; // its close event must not count a second error
        socket?.destroy();
        release(lane, 0);
      }
    }
    reschedule();
  };
  const reschedule = () => {
    settle();
    if (scheduled < total) {
      const waitMs = start + scheduled * intervalMs - performance.now();
      if (waitMs > 1) setTimeout(tick, Math.floor(waitMs));
      else setImmediate(tick);
    } else if (completed + errors < total) setTimeout(tick, 5);
  };
  tick();
  const deadline = setTimeout(finished, request.durationS * 1000 + (request.timeoutMs ?? 10_000) + 1000);
  await done;
  clearTimeout(deadline);
  for (const lane of lanes) {
    lane.closes = true;
    lane.socket?.destroy();
  }
  const cpu = process.cpuUsage(cpuBefore);
  // Requests never answered by the deadline (still queued or in flight) were due and not served: errors.
  const unserved = total - completed - errors;
  if (unserved > 0) errors += unserved;
  return {
    targetRatePerS: request.ratePerS,
    achievedRatePerS: completed / request.durationS,
    scheduled: total,
    completed,
    errors,
    latencyMs: percentilesMs(latency),
    serviceLatencyMs: percentilesMs(service),
    sendLagMs: percentilesMs(lag),
    queueWaitMs: percentilesMs(queueWait),
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
    keptRatePerS: onTime / request.durationS,
    threads: 1,
    ...(request.histograms
      ? {
          histograms: {
            latency: hdr.encodeIntoCompressedBase64(latency),
            service: hdr.encodeIntoCompressedBase64(service),
            lag: hdr.encodeIntoCompressedBase64(lag),
            queueWait: hdr.encodeIntoCompressedBase64(queueWait),
          },
        }
      : {}),
  };
}

/** Percentiles of merged client histograms (microseconds in, milliseconds out). */
export function mergedPercentiles(encoded: readonly string[]): Percentiles {
  const merged = histogram();
  for (const text of encoded) merged.add(hdr.decodeFromCompressedBase64(text, 64, false));
  return percentilesMs(merged);
}
