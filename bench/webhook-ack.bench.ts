/**
 * Webhook acknowledgement (issue #7): signed WhatsApp webhooks at a fixed 1,000 requests/s on PostgreSQL, from
 * the POST to our 200 — the signature checked on the raw body and the raw event committed before the answer —
 * against a bare Fastify route doing one INSERT, in the same run. Target: p99 ≤ 20 ms. Afterwards every
 * acknowledged webhook must be a stored event (an ack without a committed row would be a lost message).
 */
import pg from 'pg';
import { dropDatabase, freshDatabase, json, machine, startBalie, startTs } from './support/env';
import { fmt, paced, type LoadResult } from './support/load';
import { signMeta } from '../src/channels/meta/signature';

const rate = Number(process.env.BENCH_RATE ?? 1000);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const appSecret = 'bench-app-secret';

const whatsapp = (run: string, i: number) => {
  const from = `316${String(10_000_000 + (i % 2000))}`;
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1065403522' }, contacts: [{ profile: { name: `Klant ${i % 2000}` }, wa_id: from }], messages: [{ from, id: `wamid.${run}.${i}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: `Bericht ${i}: mijn modem knippert oranje.` } }] } }] }],
  });
};

console.log(`Webhook acknowledgement — ${new Date().toISOString()} — ${machine()} — ${rate} req/s for ${durationMs / 1000} s, PostgreSQL`);

const baseline = await startTs('bench/support/baseline-server.ts', { DATABASE_URL: await freshDatabase('balie_bench_ack_base') }, /baseline ready/);
const base = await paced({ url: `${baseline.url}/insert`, rate, durationMs, request: (i) => ({ headers: { 'content-type': 'application/json' }, body: whatsapp('base', i) }) });
await baseline.stop();

const url = await freshDatabase('balie_bench_ack');
const balie = await startBalie({ DATABASE_URL: url });
const setup = await json(`${balie.url}/api/v1/setup`, 'POST', { workspaceName: 'Bench', name: 'Bench', email: 'bench@example.com', password: 'correct-horse-battery' });
const inbox = await json(`${balie.url}/api/v1/inboxes`, 'POST', { name: 'WhatsApp', kind: 'whatsapp', settings: { phoneNumberId: '1065403522', accessToken: 'EAA-bench-access-token', appSecret, verifyToken: 'bench-verify' } }, setup.apiToken);
const run = Date.now().toString(36);
const request = (i: number, prefix = run) => {
  const body = whatsapp(prefix, i);
  return { headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(appSecret, body) }, body };
};
// Warm-up (JIT, pool, prepared plans) at a tenth of the rate, then the measured run.
await paced({ url: `${balie.url}/webhooks/whatsapp/${inbox.id}`, rate: rate / 10, durationMs: 2000, request: (i) => request(i, `${run}-warmup`) });
const target = await paced({ url: `${balie.url}/webhooks/whatsapp/${inbox.id}`, rate, durationMs, request, expect: (s) => s === 200 });
await balie.stop();

const db = new pg.Client({ connectionString: url });
await db.connect();
const stored = Number((await db.query(`select count(*)::int as n from inbound_events where provider_event_id like $1`, [`%wamid.${run}.%`])).rows[0].n);
await db.end();
await dropDatabase('balie_bench_ack');
await dropDatabase('balie_bench_ack_base');

const row = (name: string, r: LoadResult) => `| ${name} | ${r.requests} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${r.errors} |`;
console.log(`| run | acknowledged | req/s | p50 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|---|---|\n${row('baseline: Fastify + 1 INSERT', base)}\n${row('Balie WhatsApp webhook', target)}`);
console.log(`p99 ${fmt(target.p99)} ms (target ≤ 20 ms) ${target.p99 <= 20 ? 'PASS' : 'MISS'}; ${fmt(target.p99 / base.p99, 2)}× the baseline's p99`);
console.log(`acknowledged ${target.requests}, stored ${stored}: ${stored === target.requests ? 'every ack is a committed event' : 'MISMATCH'}`);
if (stored !== target.requests) process.exitCode = 1;
