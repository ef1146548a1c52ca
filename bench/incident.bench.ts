/**
 * Incident mode on PostgreSQL: (1) declare → every surface updated (public banner JSON, IVR text, the banner on
 * a case-status page); goal ≤ 60 s. (2) The proactive notice to 10,000 affected contacts through the outbox and
 * the normal send path to the API channel's signed webhook on a local sink; goal ≥ 200 messages/s. Baseline in
 * the same run: the same 10,000 signed webhook POSTs sent straight to the sink (16 in flight), no Balie at all.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { dropDatabase, freshDatabase, json, machine, startBalie } from './support/env';
import { fmt } from './support/load';

const CONTACTS = Number(process.env.BENCH_INCIDENT_CONTACTS ?? 10_000);

async function sinkServer() {
  let count = 0;
  let last = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      last = Date.now();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, count: () => count, last: () => last, reset: () => (count = 0), close: () => new Promise((r) => server.close(r)) };
}

async function baseline(url: string, n: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const started = Date.now();
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ event: 'message.outbound', message: { id: `m${i}`, content: 'Kabelbreuk in Utrecht-Oost. Verwacht herstel vrijdag 18:00.' } });
      const sig = `sha256=${crypto.createHmac('sha256', 'secret').update(body).digest('hex')}`;
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-balie-signature': sig } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  await Promise.all(Array.from({ length: 16 }, async () => { while (next < n) await one(next++); }));
  agent.destroy();
  return n / ((Date.now() - started) / 1000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

console.log(`Incident benchmark — ${new Date().toISOString()} — ${machine()} — ${CONTACTS} contacts, PostgreSQL`);
const dbName = 'balie_bench_incident';
const dbUrl = await freshDatabase(dbName);
const sink = await sinkServer();
const base = await baseline(`${sink.url}/hook`, CONTACTS);
sink.reset();

const balie = await startBalie({ DATABASE_URL: dbUrl, WEBHOOK_ALLOW_PRIVATE: '1' });
try {
  const setup = await json(`${balie.url}/api/v1/setup`, 'POST', { workspaceName: 'Bench', name: 'Bench', email: 'bench@example.com', password: 'correct-horse-battery' });
  const tokenH = setup.apiToken as string;
  const ws = setup.workspaceId as string;
  // The bench measures how fast Balie can send, so the broadcast pace is set to its maximum (the default is 100/s).
  await json(`${balie.url}/api/v1/certainty/settings`, 'PATCH', { broadcastPerSecond: 1000 }, tokenH);
  const inbox = await json(`${balie.url}/api/v1/inboxes`, 'POST', { name: 'API', kind: 'api', settings: { webhookUrl: `${sink.url}/hook` } }, tokenH);
  // One real conversation through the API (for a case-status link), the other contacts seeded in bulk.
  const first = await json(`${balie.url}/api/v1/inboxes/${inbox.id}/inbound`, 'POST', { externalId: 'seed-0', contact: { email: 'klant0@example.nl', name: 'Klant 0' }, content: 'Hallo' }, tokenH);
  await json(`${balie.url}/api/v1/contacts/${first.contactId}`, 'PATCH', { attributes: { postcode: '3512AB' } }, tokenH);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const seq = `conversation_number_${ws.replaceAll('-', '')}`;
  await db.query(
    `with c as (
       insert into contacts (workspace_id, id, name, email, attributes, last_activity_at)
       select $1, gen_random_uuid(), 'Klant ' || g, 'klant' || g || '@example.nl', jsonb_build_object('postcode', (3500 + g % 100)::text || 'AB'), now()
       from generate_series(1, $3::int) g returning id, email)
     , i as (insert into contact_identities (workspace_id, id, contact_id, kind, value, verified) select $1, gen_random_uuid(), id, 'email', email, true from c)
     insert into conversations (workspace_id, id, number, inbox_id, contact_id, status, last_activity_at)
     select $1, gen_random_uuid(), nextval($4::regclass), $2, id, 'resolved', now() from c`,
    [ws, inbox.id, CONTACTS - 1, seq],
  );
  await db.end();
  const link = await json(`${balie.url}/api/v1/conversations/${first.conversationId}/status-link`, 'POST', undefined, tokenH);

  const t0 = Date.now();
  const declared = await json(
    `${balie.url}/api/v1/incidents`,
    'POST',
    { scenario: 'cable_break', segment: { postcodeFrom: 3500, postcodeTo: 3599 }, variables: { area: 'Utrecht-Oost', expected: 'vrijdag 18:00' } },
    tokenH,
  );
  let surfacesMs = -1;
  for (;;) {
    const pub = await json(`${balie.url}/api/v1/public/workspaces/${ws}/incidents`, 'GET');
    const page = await (await fetch(link.url)).text();
    if (pub.items.length && pub.ivr.nl && page.includes('data-incident')) {
      surfacesMs = Date.now() - t0;
      break;
    }
    if (Date.now() - t0 > 120_000) break;
    await sleep(20);
  }
  while (sink.count() < CONTACTS && Date.now() - t0 < 600_000) await sleep(100);
  const broadcastS = (sink.last() - t0) / 1000;
  const rate = sink.count() / broadcastS;
  console.log(`\n| measure | value | goal |\n|---|---|---|`);
  console.log(`| declare → banner JSON, IVR text and case-status banner | ${fmt(surfacesMs / 1000, 2)} s | ≤ 60 s ${surfacesMs >= 0 && surfacesMs <= 60_000 ? 'PASS' : 'MISS'} |`);
  console.log(`| notices delivered to the sink | ${sink.count()} / ${CONTACTS} in ${fmt(broadcastS, 1)} s | all |`);
  console.log(`| broadcast throughput (declare → last webhook) | ${fmt(rate, 0)} msg/s | ≥ 200 msg/s ${rate >= 200 ? 'PASS' : 'MISS'} |`);
  console.log(`| baseline: same signed POSTs straight to the sink | ${fmt(base, 0)} msg/s | — |`);
  console.log(`ratio: Balie broadcast ${fmt((rate / base) * 100, 1)} % of the bare-HTTP baseline (incident ${declared.incident.id})`);
} finally {
  await balie.stop();
  await sink.close();
  await dropDatabase(dbName);
}
