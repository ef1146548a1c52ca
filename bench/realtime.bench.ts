/**
 * Realtime fan-out (issue #3): one event to 1,000 connected agents, p99 ≤ 50 ms, next to a bare `ws` broadcast
 * of a same-sized frame in the same run. Latency is measured at each client from the moment the event was
 * triggered (for Balie: the ingest call through the API channel, so it includes the ingest itself).
 */
import WebSocket from 'ws';
import { dropDatabase, freshDatabase, json, machine, startBalie, startTs } from './support/env';
import { fmt, percentile } from './support/load';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 30);

async function connectAll(url: string, isMatch: (data: string) => string | null) {
  const arrivals = new Map<string, number[]>();
  const sockets: WebSocket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const ws = new WebSocket(url);
    ws.on('message', (data) => {
      const key = isMatch(data.toString());
      if (!key) return;
      const now = performance.now();
      arrivals.set(key, [...(arrivals.get(key) ?? []), now]);
    });
    sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }
  return { sockets, arrivals };
}

async function fanout(trigger: (i: number) => Promise<string>, arrivals: Map<string, number[]>) {
  const samples: number[] = [];
  let missing = 0;
  for (let i = 0; i < EVENTS; i++) {
    const t0 = performance.now();
    const key = await trigger(i);
    const deadline = Date.now() + 5000;
    while ((arrivals.get(key)?.length ?? 0) < CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const got = arrivals.get(key) ?? [];
    missing += CLIENTS - got.length;
    for (const t of got) samples.push(t - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), max: samples[samples.length - 1]!, missing };
}

// Baseline: raw ws broadcast.
const raw = await startTs('bench/support/raw-ws-server.ts', {}, /raw ws ready/);
const rawClients = await connectAll(raw.url.replace('http', 'ws'), (d) => /"key":"([^"]+)"/.exec(d)?.[1] ?? null);
const padding = 'x'.repeat(1200);
const base = await fanout(async (i) => {
  const key = `raw-${i}`;
  await fetch(`${raw.url}/`, { method: 'POST', body: JSON.stringify({ type: 'event', key, padding }) });
  return key;
}, rawClients.arrivals);
rawClients.sockets.forEach((s) => s.close());
await raw.stop();

// Balie on PostgreSQL (the realtime path of a scaled-out deployment: LISTEN/NOTIFY).
const dbName = 'balie_bench_realtime';
const balie = await startBalie({ DATABASE_URL: await freshDatabase(dbName) });
const setup = await json(`${balie.url}/api/v1/setup`, 'POST', { workspaceName: 'RT', name: 'RT', email: 'rt@example.com', password: 'correct-horse-battery' });
const inbox = await json(`${balie.url}/api/v1/inboxes`, 'POST', { name: 'API', kind: 'api' }, setup.apiToken);
const wsUrl = `${balie.url.replace('http', 'ws')}/api/v1/realtime?token=${setup.apiToken}`;
const balieClients = await connectAll(wsUrl, (d) => (d.includes('"message.created"') ? (/"externalId":"([^"]+)"/.exec(d)?.[1] ?? null) : null));
const target = await fanout(async (i) => {
  const key = `rt-${i}`;
  await json(`${balie.url}/api/v1/inboxes/${inbox.id}/inbound`, 'POST', { externalId: key, contact: { email: `c${i}@example.com` }, content: 'Hallo, mijn internet ligt eruit.' }, setup.apiToken);
  return key;
}, balieClients.arrivals);
balieClients.sockets.forEach((s) => s.close());
await balie.stop();
await dropDatabase(dbName);

console.log(`\nRealtime fan-out — ${new Date().toISOString()} — ${machine()} — ${CLIENTS} clients, ${EVENTS} events`);
console.log('| run | p50 ms | p95 ms | p99 ms | max ms | missed |\n|---|---|---|---|---|---|');
console.log(`| baseline: raw ws broadcast | ${fmt(base.p50)} | ${fmt(base.p95)} | ${fmt(base.p99)} | ${fmt(base.max)} | ${base.missing} |`);
console.log(`| Balie: ingest → every agent's screen (PostgreSQL) | ${fmt(target.p50)} | ${fmt(target.p95)} | ${fmt(target.p99)} | ${fmt(target.max)} | ${target.missing} |`);
console.log(`ratio p99: ${fmt(target.p99 / base.p99, 2)}× baseline; target p99 ≤ 50 ms ${target.p99 <= 50 && target.missing === 0 ? 'PASS' : 'MISS'}`);
