import http from 'node:http';

/**
 * A small closed-loop HTTP load generator: `connections` keep-alive clients each send the next request as soon
 * as the previous one answered, for `durationMs`. The server under test runs in another process.
 */
export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarize(latencies: number[], errors: number, ms: number): LoadResult {
  const s = [...latencies].sort((a, b) => a - b);
  return { requests: s.length, errors, rps: (s.length / ms) * 1000, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

export async function load(opts: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body: (i: number) => string | undefined;
  connections: number;
  durationMs: number;
  warmupMs?: number;
  expect?: (status: number) => boolean;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const u = new URL(opts.url);
  let i = 0;
  const one = () =>
    new Promise<{ ms: number; ok: boolean }>((resolve) => {
      const body = opts.body(i++);
      const t = process.hrtime.bigint();
      const req = http.request(
        {
          agent,
          hostname: u.hostname,
          port: u.port,
          path: u.pathname + u.search,
          method: opts.method ?? 'POST',
          headers: { ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...opts.headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, ok: (opts.expect ?? ((s) => s < 400))(res.statusCode ?? 0) }));
        },
      );
      req.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, ok: false }));
      if (body) req.write(body);
      req.end();
    });
  const run = async (ms: number, record: boolean) => {
    const latencies: number[] = [];
    let errors = 0;
    const end = Date.now() + ms;
    await Promise.all(
      Array.from({ length: opts.connections }, async () => {
        while (Date.now() < end) {
          const r = await one();
          if (!record) continue;
          if (r.ok) latencies.push(r.ms);
          else errors++;
        }
      }),
    );
    return { latencies, errors };
  };
  if (opts.warmupMs) await run(opts.warmupMs, false);
  const started = Date.now();
  const { latencies, errors } = await run(opts.durationMs, true);
  const result = summarize(latencies, errors, Date.now() - started);
  agent.destroy();
  return result;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/**
 * Open loop at a fixed rate, as providers send webhooks: request i starts at i / rate seconds whatever the
 * server is doing, and its latency counts from that planned start, so a stalled server cannot hide its queue
 * (no coordinated omission).
 */
export async function paced(opts: {
  url: string;
  request: (i: number) => { headers: Record<string, string>; body: string };
  rate: number;
  durationMs: number;
  expect?: (status: number) => boolean;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const u = new URL(opts.url);
  const total = Math.round((opts.rate * opts.durationMs) / 1000);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const planned = started + (i * 1000) / opts.rate;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { headers, body } = opts.request(i);
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request({ agent, hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => {
            if ((opts.expect ?? ((s) => s < 400))(res.statusCode ?? 0)) latencies.push(performance.now() - planned);
            else errors++;
            resolve();
          });
        });
        req.on('error', () => {
          errors++;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(pending);
  const result = summarize(latencies, errors, performance.now() - started);
  agent.destroy();
  return result;
}
