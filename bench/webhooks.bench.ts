/**
 * Provider webhooks (issue #7): signed WhatsApp webhooks at a fixed 1,000 requests/s against Balie on
 * PostgreSQL, acknowledgement latency next to a bare Fastify endpoint (one INSERT, and a no-op) paced the same
 * way in the same run. Target: ack p99 ≤ 20 ms. Then end to end: webhook → message.created on an agent's
 * WebSocket, p99 reported.
 */
import http from 'node:http';
import WebSocket from 'ws';
import { signMeta } from '../src/channels/meta/signature';
import { dropDatabase, freshDatabase, json, machine, startBalie, startTs } from './support/env';
import { fmt, summarize, type LoadResult } from './support/load';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const E2E_EVENTS = Number(process.env.BENCH_E2E_EVENTS ?? 300);
const APP_SECRET = 'bench-app-secret-1';

/** Open loop: requests leave on a fixed schedule whatever the server does, so slow answers cannot hide. */
async function paced(url: string, make: (i: number) => { headers: Record<string, string>; body: string }, warmupMs = 2000): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const u = new URL(url);
  const latencies: number[] = [];
  let errors = 0;
  const one = (i: number, record: boolean) =>
    new Promise<void>((resolve) => {
      const { headers, body } = make(i);
      const t = process.hrtime.bigint();
      const req = http.request({ agent, hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (record) {
            if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
            else errors++;
          }
          resolve();
        });
      });
      req.on('error', () => {
        if (record) errors++;
        resolve();
      });
      req.end(body);
    });
  const run = async (ms: number, record: boolean, offset: number) => {
    const inflight: Promise<void>[] = [];
    const start = performance.now();
    const total = Math.round((ms / 1000) * RATE);
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      inflight.push(one(offset + i, record));
    }
    await Promise.all(inflight);
    return performance.now() - start;
  };
  await run(warmupMs, false, 10_000_000);
  const ms = await run(durationMs, true, 0);
  agent.destroy();
  return summarize(latencies, errors, ms);
}

const row = (name: string, r: LoadResult) => `| ${name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.errors} |`;

console.log(`Webhooks benchmark — ${new Date().toISOString()} — ${machine()} — ${RATE} req/s for ${durationMs / 1000} s, PostgreSQL`);

const baseDb = 'balie_bench_webhooks_base';
const baseline = await startTs('bench/support/baseline-server.ts', { DATABASE_URL: await freshDatabase(baseDb) }, /baseline ready/);
const bareInsert = await paced(`${baseline.url}/insert`, (i) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: i, content: 'Waar blijft mijn pakket?' }) }));
await baseline.stop();
await dropDatabase(baseDb);

const dbName = 'balie_bench_webhooks';
const balie = await startBalie({ DATABASE_URL: await freshDatabase(dbName), WEBHOOK_ALLOW_PRIVATE: '1' });
const setup = await json(`${balie.url}/api/v1/setup`, 'POST', { workspaceName: 'Bench', name: 'Bench', email: 'bench@example.com', password: 'correct-horse-battery' });
const inbox = await json(`${balie.url}/api/v1/inboxes`, 'POST', { name: 'WhatsApp', kind: 'whatsapp', settings: { phoneNumberId: '106540352242922', accessToken: 'EAA-bench-token', appSecret: APP_SECRET, verifyToken: 'bench-verify' } }, setup.apiToken);
const run = Date.now().toString(36);
const webhook = (i: number, text = `Bericht ${i}: waar blijft mijn pakket?`) => {
  const customer = `3161${String(1_000_000 + (i % 2000))}`;
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '106540352242922' }, contacts: [{ profile: { name: `Klant ${i % 2000}` }, wa_id: customer }], messages: [{ from: customer, id: `wamid.${run}.${i}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }] } }] }],
  });
  return { headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(APP_SECRET, body) }, body };
};
const ack = await paced(`${balie.url}/webhooks/whatsapp/${inbox.id}`, (i) => webhook(i));

// Let the backlog of jobs drain before measuring end to end.
for (let i = 0; i < 120; i++) {
  const h = await fetch(`${balie.url}/metrics`).then((r) => r.text()).catch(() => '');
  const depth = /balie_job_queue_depth\{[^}]*queue="process-inbound-event"[^}]*\}\s+(\d+)/.exec(h)?.[1];
  if (depth === undefined || Number(depth) === 0) break;
  await new Promise((r) => setTimeout(r, 1000));
}
await new Promise((r) => setTimeout(r, 3000));

const ws = new WebSocket(`${balie.url.replace('http', 'ws')}/api/v1/realtime?token=${setup.apiToken}`);
const seen = new Map<string, number>();
ws.on('message', (data) => {
  const s = data.toString();
  const m = /"content":"e2e-(\d+)-/.exec(s);
  if (m && s.includes('message.created') && !seen.has(m[1]!)) seen.set(m[1]!, performance.now());
});
await new Promise<void>((resolve, reject) => {
  ws.once('open', () => resolve());
  ws.once('error', reject);
});
const sentAt = new Map<string, number>();
for (let i = 0; i < E2E_EVENTS; i++) {
  const w = webhook(20_000_000 + i, `e2e-${i}-hallo`);
  sentAt.set(String(i), performance.now());
  void fetch(`${balie.url}/webhooks/whatsapp/${inbox.id}`, { method: 'POST', headers: w.headers, body: w.body });
  await new Promise((r) => setTimeout(r, 20));
}
const deadline = Date.now() + 30_000;
while (seen.size < E2E_EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const e2e = summarize([...seen.entries()].map(([k, t]) => t - sentAt.get(k)!), E2E_EVENTS - seen.size, 1000);
ws.close();
await balie.stop();
await dropDatabase(dbName);

console.log(`\n| run | req/s | p50 ms | p95 ms | p99 ms | errors |\n|---|---|---|---|---|---|\n${row('baseline: bare Fastify + 1 INSERT', bareInsert)}\n${row('Balie: signed WhatsApp webhook ack', ack)}`);
console.log(`ratio: ack p99 ${fmt(ack.p99 / bareInsert.p99, 2)}× baseline; ack p99 ${fmt(ack.p99)} ms (target ≤ 20 ms) ${ack.p99 <= 20 ? 'PASS' : 'MISS'}`);
console.log(`end to end (webhook → message.created on the agent's WebSocket, ${E2E_EVENTS} events at 50/s): p50 ${fmt(e2e.p50)} ms, p95 ${fmt(e2e.p95)} ms, p99 ${fmt(e2e.p99)} ms, missing ${e2e.errors}`);
