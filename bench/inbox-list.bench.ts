/**
 * Inbox list and text search at scale on PostgreSQL (issue #3): 1,000,000 conversations and 10,000,000 messages.
 * Targets: list p95 ≤ 20 ms (50 newest open conversations of an inbox; with an assignee filter; with a label
 * filter), text search p95 ≤ 100 ms. Queries go through the same code the API uses (listConversations).
 * Baseline in the same run: a primary-key lookup of one conversation.
 * Scale with BENCH_CONVERSATIONS (default 1,000,000; messages are 10 per conversation).
 * Generating 1M/10M takes the better part of an hour: BENCH_KEEP=1 keeps the database afterwards, and BENCH_REUSE=1
 * measures again on a kept database (migrated to the current schema) without generating it anew.
 */
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../src/store/db';
import { listConversations } from '../src/app/conversation-list';
import type { Actor } from '../src/app/context';
import { conversationSequence } from '../src/app/ingest-inbound';
import { databaseUrlOf, dropDatabase, freshDatabase, machine } from './support/env';
import { fmt, percentile } from './support/load';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1_000_000);
const MESSAGES_PER = 10;
const CONTACTS = Math.max(1000, Math.round(CONVERSATIONS * 0.3));
const INBOXES = 50;
const AGENTS = 200;
const LABELS = ['storing', 'factuur', 'verhuizing', 'glasvezel', 'monteur', 'zakelijk', 'opzegging', 'tv', 'wifi', 'modem'];
const ws = '11111111-1111-4111-8111-111111111111';
const log = pino({ level: 'info' });

const phrases = [
  'Mijn internet valt steeds weg sinds vrijdag',
  'De monteur is niet gekomen vandaag',
  'Ik heb een vraag over mijn factuur van maart',
  'Kan ik mijn abonnement meenemen naar mijn nieuwe adres',
  'Het modem knippert oranje en er is geen verbinding',
  'Wanneer wordt glasvezel aangelegd in onze straat',
  'Ik wil mijn abonnement opzeggen per volgende maand',
  'De tv-ontvanger geeft geen signaal in de slaapkamer',
  'My invoice shows a charge I do not recognise',
  'The technician did not show up for the appointment',
  'Can I change the name of my wifi network',
  'Our office needs a business subscription with fixed IP addresses',
  'Dank je wel, het werkt weer',
  'Ik heb al drie keer gebeld en niemand belt terug',
  'Hoe lang duurt het voordat de storing is opgelost',
  'Graag een nieuwe afspraak voor donderdagochtend',
];

async function generate(store: Store) {
  const t0 = Date.now();
  const run = (q: string) => store.pool!.query(q);
  await run('set synchronous_commit = off');
  await run(`insert into workspaces (id, name) values ('${ws}', 'Bench')`);
  await run(`create sequence "${conversationSequence(ws)}"`);
  await run(`insert into users (id, email, name) select md5('u'||g)::uuid, 'agent'||g||'@example.com', 'Agent '||g from generate_series(1, ${AGENTS}) g`);
  await run(`insert into memberships (workspace_id, user_id, role) select '${ws}', md5('u'||g)::uuid, case when g = 1 then 'owner' else 'agent' end from generate_series(1, ${AGENTS}) g`);
  await run(`insert into inboxes (workspace_id, id, name, kind) select '${ws}', md5('i'||g)::uuid, 'Inbox '||g, 'api' from generate_series(1, ${INBOXES}) g`);
  await run(`insert into inbox_members (workspace_id, inbox_id, user_id) select '${ws}', md5('i'||(g % ${INBOXES} + 1))::uuid, md5('u'||g)::uuid from generate_series(2, ${AGENTS}) g`);
  await run(`insert into labels (workspace_id, id, name) select '${ws}', gen_random_uuid(), l from unnest(array[${LABELS.map((l) => `'${l}'`).join(',')}]) l`);

  // Bulk load without secondary indexes, then build them once (as one would for an import).
  const indexes = (await store.pool!.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes where tablename in ('contacts', 'contact_identities', 'conversations', 'messages') and indexname not like '%_pk' and indexname not like '%pkey'`,
  )).rows;
  for (const i of indexes) await run(`drop index "${i.indexname}"`);

  await run(`insert into contacts (workspace_id, id, name, email, created_at, updated_at, last_activity_at)
    select '${ws}', md5('c'||g)::uuid, 'Klant '||g, 'klant'||g||'@example.nl', now() - (g % 700) * interval '1 day', now(), now() - (g % 700) * interval '1 day'
    from generate_series(1, ${CONTACTS}) g`);
  await run(`insert into contact_identities (workspace_id, id, contact_id, kind, value)
    select '${ws}', md5('ci'||g)::uuid, md5('c'||g)::uuid, 'email', 'klant'||g||'@example.nl' from generate_series(1, ${CONTACTS}) g`);
  log.info({ ms: Date.now() - t0 }, 'contacts loaded');

  const statuses = `(array['open','open','pending','snoozed','resolved','resolved','resolved','resolved','closed','open'])[1 + (g * 7) % 10]`;
  const labelsExpr = `case when g % 3 = 0 then array[]::text[] when g % 3 = 1 then array[(array[${LABELS.map((l) => `'${l}'`).join(',')}])[1 + g % ${LABELS.length}]] else array[(array[${LABELS.map((l) => `'${l}'`).join(',')}])[1 + g % ${LABELS.length}], (array[${LABELS.map((l) => `'${l}'`).join(',')}])[1 + (g / 7) % ${LABELS.length}]] end`;
  const batch = 250_000;
  for (let from = 1; from <= CONVERSATIONS; from += batch) {
    const to = Math.min(CONVERSATIONS, from + batch - 1);
    await run(`insert into conversations (workspace_id, id, number, inbox_id, contact_id, status, priority, priority_rank, assignee_id, labels,
        message_count, preview, last_message_at, last_inbound_at, last_activity_at, waiting_since, created_at, updated_at)
      select '${ws}', md5('v'||g)::uuid, g, md5('i'||(g % ${INBOXES} + 1))::uuid, md5('c'||(g % ${CONTACTS} + 1))::uuid, ${statuses},
        'none', 0, case when g % 4 = 0 then null else md5('u'||(g % ${AGENTS - 1} + 2))::uuid end, ${labelsExpr},
        ${MESSAGES_PER}, 'laatste bericht', ts, ts, ts, case when g % 2 = 0 then ts else null end, ts - interval '2 days', ts
      from (select g, now() - (g::float / ${CONVERSATIONS}) * interval '730 days' as ts from generate_series(${from}, ${to}) g) s`);
  }
  await run(`select setval('"${conversationSequence(ws)}"', ${CONVERSATIONS})`);
  log.info({ ms: Date.now() - t0 }, 'conversations loaded');

  const phraseArray = `array[${phrases.map((p) => `'${p.replace(/'/g, "''")}'`).join(',')}]`;
  const convBatch = 100_000;
  for (let from = 1; from <= CONVERSATIONS; from += convBatch) {
    const to = Math.min(CONVERSATIONS, from + convBatch - 1);
    await run(`insert into messages (workspace_id, id, conversation_id, inbox_id, kind, direction, sender_type, content, status, created_at, updated_at)
      select '${ws}', md5('m'||g||'-'||m)::uuid, md5('v'||g)::uuid, md5('i'||(g % ${INBOXES} + 1))::uuid, 'message',
        case when m % 2 = 1 then 'inbound' else 'outbound' end, case when m % 2 = 1 then 'contact' else 'user' end,
        (${phraseArray})[1 + (g * 7 + m * 13) % ${phrases.length}] || ' (zaak ' || g || ', bericht ' || m || ')',
        'received', ts, ts
      from (select g, now() - (g::float / ${CONVERSATIONS}) * interval '730 days' as base from generate_series(${from}, ${to}) g) s,
           lateral (select m, s.base - (${MESSAGES_PER} - m) * interval '1 hour' as ts from generate_series(1, ${MESSAGES_PER}) m) mm`);
    if ((to / convBatch) % 2 === 0) log.info({ ms: Date.now() - t0, conversations: to }, 'messages loading');
  }
  log.info({ ms: Date.now() - t0 }, 'messages loaded; building indexes');
  await run(`set maintenance_work_mem = '512MB'`);
  for (const i of indexes) await run(i.indexdef);
  await run('analyze');
  return Date.now() - t0;
}

async function timeQueries(name: string, fn: (i: number) => Promise<unknown>, n = 200) {
  for (let i = 0; i < 20; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { name, p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples[samples.length - 1]! };
}

const dbName = 'balie_bench_scale';
const reuse = !!process.env.BENCH_REUSE;
const url = reuse ? databaseUrlOf(dbName) : await freshDatabase(dbName);
const store = await openStore({ dataDir: '', databaseUrl: url, poolSize: 4 });
await store.migrate();
const genMs = reuse ? null : await generate(store);
if (reuse) await store.pool!.query('analyze');
const [size] = (await store.pool!.query(`select pg_size_pretty(pg_database_size(current_database())) as s`)).rows;

const admin: Actor = { workspaceId: ws, userId: '00000000-0000-4000-8000-000000000001', role: 'owner' };
const inboxOf = (i: number) => `md5('i'||${(i % INBOXES) + 1})::uuid`;
const inboxIds = (await store.pool!.query<{ id: string }>(`select id from inboxes order by name`)).rows.map((r) => r.id);
const agentIds = (await store.pool!.query<{ id: string }>(`select user_id as id from memberships where role = 'agent' limit 50`)).rows.map((r) => r.id);
void inboxOf;
const words = ['storing', 'factuur', 'monteur', 'glasvezel', 'invoice', 'technician', 'wifi', 'opzeggen', 'modem oranje', 'abonnement verhuizen'];

const results = [
  await timeQueries('baseline: conversation by primary key', (i) =>
    store.rows(sql`select * from conversations where workspace_id = ${ws} and id = md5(${`v${(i * 7919) % CONVERSATIONS}`})::uuid`),
  ),
  await timeQueries('50 newest open of an inbox', (i) => listConversations(store.db, admin, { status: 'open', inboxId: inboxIds[i % inboxIds.length], sort: 'newest', limit: 50 })),
  await timeQueries('… with assignee filter', (i) =>
    listConversations(store.db, admin, { status: 'open', inboxId: inboxIds[i % inboxIds.length], assigneeId: agentIds[i % agentIds.length], sort: 'newest', limit: 50 }),
  ),
  await timeQueries('… with label filter', (i) =>
    listConversations(store.db, admin, { status: 'open', inboxId: inboxIds[i % inboxIds.length], label: LABELS[i % LABELS.length], sort: 'newest', limit: 50 }),
  ),
  await timeQueries('agent view: mine, open', (i) =>
    listConversations(store.db, { ...admin, userId: agentIds[i % agentIds.length]!, role: 'agent' }, { status: 'open', assigneeId: 'me', sort: 'newest', limit: 50 }),
  ),
  await timeQueries('text search (all statuses)', (i) => listConversations(store.db, admin, { status: 'all', q: words[i % words.length], sort: 'newest', limit: 50 }), 100),
];

const baseline = results[0]!.p95;
console.log(`\nInbox list at scale — ${new Date().toISOString()} — ${machine()}`);
console.log(`${CONVERSATIONS.toLocaleString('en')} conversations, ${(CONVERSATIONS * MESSAGES_PER).toLocaleString('en')} messages, ${CONTACTS.toLocaleString('en')} contacts; ${genMs === null ? 'database reused (BENCH_REUSE)' : `generated in ${fmt(genMs / 1000, 0)} s (incl. indexes)`}; database ${size.s}`);
console.log('| query | p50 ms | p95 ms | max ms | p95 / baseline | target |\n|---|---|---|---|---|---|');
for (const r of results) {
  const target = r.name.startsWith('text') ? 100 : r.name.startsWith('baseline') ? null : 20;
  console.log(`| ${r.name} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.max)} | ${fmt(r.p95 / baseline)}× | ${target ? `≤ ${target} ms ${r.p95 <= target ? 'PASS' : 'MISS'}` : '—'} |`);
}
await store.close();
if (!process.env.BENCH_KEEP && !reuse) await dropDatabase(dbName);
