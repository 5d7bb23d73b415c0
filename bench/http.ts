import http from 'node:http';
import { BENCH_TOKEN } from './cache.js';

/** One keep-alive connection, like one agent's browser tab: latency without queueing behind other clients. */
export function client(base: string) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: {
            authorization: `Bearer ${BENCH_TOKEN}`,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    request,
    async json<T>(method: string, path: string, body?: unknown, expect = [200, 201]): Promise<T> {
      const res = await request(method, path, body);
      if (!expect.includes(res.status))
        throw new Error(`${method} ${path}: ${res.status} ${res.body.slice(0, 500)}`);
      return JSON.parse(res.body) as T;
    },
    close: () => agent.destroy(),
  };
}

export type Client = ReturnType<typeof client>;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export type LatencyRepeat = { p50: number; p95: number; mean: number; requests: number };

/**
 * Sequential requests, each timed from send to the last byte of the response. After a warm-up, `repeats`
 * rounds of `requests` each; every round gives its own p50/p95, and the figure is their median.
 */
export async function measureLatency(
  one: (i: number) => Promise<void>,
  options: { warmup: number; requests: number; repeats: number },
): Promise<{ p50: number; p95: number; repeats: LatencyRepeat[] }> {
  let i = 0;
  for (let w = 0; w < options.warmup; w++) await one(i++);
  const repeats: LatencyRepeat[] = [];
  for (let r = 0; r < options.repeats; r++) {
    const times: number[] = [];
    for (let n = 0; n < options.requests; n++) {
      const t = performance.now();
      await one(i++);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    repeats.push({
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      mean: times.reduce((a, b) => a + b, 0) / times.length,
      requests: times.length,
    });
  }
  return { p50: median(repeats.map((r) => r.p50)), p95: median(repeats.map((r) => r.p95)), repeats };
}
