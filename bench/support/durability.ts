/**
 * Durability of the inbound path: a stream of signed provider webhooks (WhatsApp, SMS, Telegram), part of them
 * redelivered, while the worker process is SIGKILLed and restarted and PostgreSQL itself is restarted. The
 * sender behaves like a provider: it retries until it gets a 200. At the end every acknowledged event must be
 * exactly one message: lost = acknowledged events without a message, duplicated = extra messages.
 *
 * PostgreSQL here is a throwaway cluster (initdb + pg_ctl in a temp dir on a free port), never a shared one.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, root } from './env';
import { signMeta } from '../../src/channels/meta/signature';
import { twilioSignature } from '../../src/channels/twilio/signature';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface DurabilityOptions {
  events: number;
  redeliveredShare: number;
  workerKills: number;
  pgRestarts: number;
  concurrency?: number;
  log?: (line: string) => void;
}
export interface DurabilityResult {
  events: number;
  deliveries: number;
  lost: number;
  duplicated: number;
  failedEvents: number;
  workerKills: number;
  pgRestarts: number;
  seconds: number;
  /** Non-200 answers (by status, or timeout/network) that made the sender try again. */
  retried: Record<string, number>;
}

/** Runs a command as the postgres user when we are root (initdb refuses to run as root). */
function asPostgres(cmd: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  return execFileSync(isRoot ? 'runuser' : cmd, isRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'pipe' }).toString();
}

export async function startThrowawayPostgres() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-durability-pg-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  asPostgres(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200`;
  const ctl = (action: 'start' | 'restart' | 'stop', extra: string[] = []) =>
    asPostgres(`${PG_BIN}/pg_ctl`, [action, '-D', data, '-w', '-t', '60', ...(action === 'stop' ? ['-m', 'fast'] : ['-o', opts, '-l', path.join(dir, 'log')]), ...extra]);
  ctl('start');
  const isRoot = process.getuid?.() === 0;
  const restartArgs = ['restart', '-D', data, '-w', '-t', '60', '-m', 'fast', '-o', opts, '-l', path.join(dir, 'log')];
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // Asynchronous, so the providers keep sending (and retrying) while the database is down.
    restart: () => promisify(execFile)(isRoot ? 'runuser' : `${PG_BIN}/pg_ctl`, isRoot ? ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, ...restartArgs] : restartArgs),
    stop: () => {
      try {
        ctl('stop');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

interface Proc {
  child: ChildProcess;
  out: string;
}

export async function runDurability(o: DurabilityOptions): Promise<DurabilityResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  const db = await startThrowawayPostgres();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-durability-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    BALIE_SECRET_KEY: 'durability-shared-secret-key-0123456789',
    PUBLIC_URL: base,
    PORT: String(port),
    SMTP_PORT: '0',
    LOG_LEVEL: process.env.DURABILITY_LOG_LEVEL ?? 'error',
    WEBHOOK_ALLOW_PRIVATE: '1',
  };
  const spawnBalie = (role: 'web' | 'worker'): Proc => {
    // Node loads tsx itself, so the child IS Balie: a SIGKILL must hit the worker, not a tsx wrapper around it.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], { cwd: root, env: { ...env, BALIE_PROCESS: role }, stdio: ['ignore', 'pipe', 'pipe'] });
    const p: Proc = { child, out: '' };
    child.stdout!.on('data', (d: Buffer) => (p.out = (p.out + d.toString()).slice(-20_000)));
    child.stderr!.on('data', (d: Buffer) => (p.out = (p.out + d.toString()).slice(-20_000)));
    return p;
  };
  const ready = async (p: Proc, re: RegExp) => {
    const deadline = Date.now() + 120_000;
    while (!re.test(p.out)) {
      if (Date.now() > deadline) throw new Error(`Balie did not start:\n${p.out}`);
      if (p.child.exitCode !== null) throw new Error(`Balie exited:\n${p.out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  let stopping = false;
  // A supervisor, as systemd or Kubernetes would be: whatever exits is started again.
  const supervise = (role: 'web' | 'worker') => {
    const holder = { proc: spawnBalie(role), restarts: 0 };
    const watch = (p: Proc) =>
      p.child.on('exit', () => {
        if (stopping) return;
        holder.restarts++;
        holder.proc = spawnBalie(role);
        watch(holder.proc);
      });
    watch(holder.proc);
    return holder;
  };

  const web = supervise('web');
  await ready(web.proc, /is running on/);
  const worker = supervise('worker');
  await ready(worker.proc, /worker is running/);

  const call = async (method: string, url: string, body?: unknown, token?: string) => {
    const res = await fetch(base + url, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const setup = await call('POST', '/api/v1/setup', { workspaceName: 'Durability', name: 'Owner', email: 'durability@example.com', password: 'correct-horse-battery' });
  const token = setup.body.apiToken as string;
  const secrets = { appSecret: 'dur-app-secret-1', authToken: 'dur-twilio-auth-token-0123', secretToken: 'dur-telegram-secret-0123456789' };
  const wa = await call('POST', '/api/v1/inboxes', { name: 'WhatsApp', kind: 'whatsapp', settings: { phoneNumberId: '1065403522', accessToken: 'EAA-durability-token', appSecret: secrets.appSecret, verifyToken: 'dur-verify-1' } }, token);
  const sms = await call('POST', '/api/v1/inboxes', { name: 'SMS', kind: 'sms', settings: { accountSid: `AC${'0'.repeat(31)}1`, phoneNumber: '+3197010200300', authToken: secrets.authToken } }, token);
  const tg = await call('POST', '/api/v1/inboxes', { name: 'Telegram', kind: 'telegram', settings: { botToken: '7012345678:AAHdurabilityBotToken_0123456789', secretToken: secrets.secretToken } }, token);
  if (wa.status !== 201 || sms.status !== 201 || tg.status !== 201) throw new Error(`inbox creation failed: ${JSON.stringify([wa.body, sms.body, tg.body])}`);

  const run = crypto.randomBytes(4).toString('hex');
  const expected = new Set<string>();
  const request = (i: number): { path: string; headers: Record<string, string>; body: string; externalId: string } => {
    const customer = i % 500;
    const ts = Math.floor(Date.now() / 1000);
    switch (i % 3) {
      case 0: {
        const id = `wamid.${run}.${i}`;
        const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1065403522' }, contacts: [{ profile: { name: `Klant ${customer}` }, wa_id: `316${String(10_000_000 + customer)}` }], messages: [{ from: `316${String(10_000_000 + customer)}`, id, timestamp: String(ts), type: 'text', text: { body: `Bericht ${i}` } }] } }] }] });
        return { path: `/webhooks/whatsapp/${wa.body.id}`, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(secrets.appSecret, body) }, body, externalId: id };
      }
      case 1: {
        const sid = `SM${run}${String(i).padStart(24, '0')}`;
        const params = new URLSearchParams({ MessageSid: sid, SmsSid: sid, SmsStatus: 'received', AccountSid: `AC${'0'.repeat(31)}1`, From: `+316${String(20_000_000 + customer)}`, To: '+3197010200300', Body: `SMS ${i}`, NumMedia: '0' });
        const body = params.toString();
        const url = `${base}/webhooks/sms/${sms.body.id}`;
        return { path: `/webhooks/sms/${sms.body.id}`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(secrets.authToken, url, [...params.entries()]) }, body, externalId: sid };
      }
      default: {
        const updateId = 1_000_000 + i;
        const body = JSON.stringify({ update_id: updateId, message: { message_id: i, from: { id: 5_000_000 + customer, is_bot: false, first_name: `Klant${customer}` }, chat: { id: 5_000_000 + customer, type: 'private' }, date: ts, text: `Telegram ${i}` } });
        return { path: `/webhooks/telegram/${tg.body.id}`, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secrets.secretToken }, body, externalId: `${5_000_000 + customer}:${i}` };
      }
    }
  };

  // The provider side: every event until acknowledged with 200, and a share of them once more afterwards.
  let deliveries = 0;
  // Why deliveries had to be retried: status codes, or the network error, per attempt that was not a 200.
  const retried: Record<string, number> = {};
  const deliver = async (r: ReturnType<typeof request>) => {
    for (let attempt = 0; ; attempt++) {
      deliveries++;
      try {
        const res = await fetch(base + r.path, { method: 'POST', headers: r.headers, body: r.body, signal: AbortSignal.timeout(15_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
        if (res.status === 401 || res.status === 403) throw new Error(`rejected ${res.status}`);
        retried[res.status] = (retried[res.status] ?? 0) + 1;
      } catch (err) {
        if ((err as Error).message.startsWith('rejected')) throw err;
        const why = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
        retried[why] = (retried[why] ?? 0) + 1;
      }
      await new Promise((res) => setTimeout(res, Math.min(2000, 50 * 2 ** Math.min(attempt, 5))));
    }
  };

  const queue = Array.from({ length: o.events }, (_, i) => i);
  const redeliver: ReturnType<typeof request>[] = [];
  let acked = 0;
  const killEvery = Math.max(1, Math.floor(o.events / (o.workerKills + 1)));
  const restartEvery = Math.max(1, Math.floor(o.events / (o.pgRestarts + 1)));
  let kills = 0;
  let restarts = 0;
  let chaos = Promise.resolve();
  const maybeChaos = () => {
    if (kills < o.workerKills && acked >= killEvery * (kills + 1)) {
      kills++;
      worker.proc.child.kill('SIGKILL');
      log(`  killed worker (${kills}/${o.workerKills}) after ${acked} acknowledged events at ${new Date().toISOString()}`);
    }
    if (restarts < o.pgRestarts && acked >= restartEvery * (restarts + 1)) {
      restarts++;
      const n = restarts;
      const at = acked;
      chaos = chaos.then(async () => {
        await db.restart();
        log(`  restarted PostgreSQL (${n}/${o.pgRestarts}) after ${at} acknowledged events, done at ${new Date().toISOString()}`);
      });
    }
  };
  const sender = async () => {
    for (;;) {
      const i = queue.shift();
      if (i === undefined) return;
      const r = request(i);
      expected.add(r.externalId);
      await deliver(r);
      acked++;
      if ((i * 7919) % 100 < o.redeliveredShare * 100) redeliver.push(r);
      maybeChaos();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 16 }, sender));
  await chaos;
  log(`  ${acked} events acknowledged; redelivering ${redeliver.length}`);
  await Promise.all(
    Array.from({ length: o.concurrency ?? 16 }, async () => {
      for (;;) {
        const r = redeliver.shift();
        if (!r) return;
        await deliver(r);
      }
    }),
  );

  // Wait for the workers to finish (a job killed mid-way is picked up again when its lease expires).
  const client = new pg.Pool({ connectionString: db.url, max: 2 });
  const deadline = Date.now() + Number(process.env.DURABILITY_SETTLE_MS ?? 300_000);
  let pending = -1;
  for (;;) {
    try {
      const r = await client.query(`select count(*)::int as n from inbound_events where status = 'pending'`);
      pending = r.rows[0].n;
    } catch {
      pending = -1;
    }
    if (pending === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (pending !== 0) {
    for (const line of await diagnose(client)) log(`  stuck: ${line}`);
    log(`  worker output (tail):\n${worker.proc.out.slice(-4000)}`);
    // Investigating by hand: keep the processes and the database up for a while.
    if (process.env.DURABILITY_HOLD_MS) {
      log(`  holding for ${process.env.DURABILITY_HOLD_MS} ms: ${db.url}, worker pid ${worker.proc.child.pid}`);
      await new Promise((r) => setTimeout(r, Number(process.env.DURABILITY_HOLD_MS)));
    }
  }
  const found = await client.query(`select external_id, count(*)::int as n from messages where direction = 'inbound' group by external_id`);
  const failed = await client.query(`select count(*)::int as n from inbound_events where status in ('failed', 'quarantined')`);
  await client.end();
  stopping = true;
  for (const h of [web, worker]) h.proc.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  for (const h of [web, worker]) if (h.proc.child.exitCode === null) h.proc.child.kill('SIGKILL');
  db.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const counts = new Map<string, number>(found.rows.map((r: { external_id: string; n: number }) => [r.external_id, r.n]));
  const lost = [...expected].filter((id) => !counts.has(id)).length;
  const duplicated = [...counts.values()].reduce((s, n) => s + (n - 1), 0) + [...counts.keys()].filter((k) => !expected.has(k)).length;
  return { events: expected.size, deliveries, lost, duplicated, failedEvents: failed.rows[0].n + (pending > 0 ? pending : 0), workerKills: kills, pgRestarts: restarts, retried, seconds: Math.round((Date.now() - started) / 1000) };
}

/** Where unprocessed events are stuck: their job's state in pg-boss, and outbox rows not yet turned into jobs. */
async function diagnose(client: pg.Pool): Promise<string[]> {
  const q = async (text: string) => {
    try {
      return JSON.stringify((await client.query(text)).rows);
    } catch (err) {
      return `(${(err as Error).message})`;
    }
  };
  return [
    `inbound events by status ${await q(`select status, count(*)::int as n from inbound_events group by status`)}`,
    `their jobs by state ${await q(`select coalesce(j.state::text, a.state::text, 'no job') as state, count(*)::int as n from inbound_events e left join pgboss.job j on j.name = 'process-inbound-event' and j.data->>'eventId' = e.id::text left join pgboss.archive a on a.name = 'process-inbound-event' and a.data->>'eventId' = e.id::text where e.status = 'pending' group by 1`)}`,
    `undispatched outbox rows ${await q(`select name, count(*)::int as n, max(attempts) as attempts, max(last_error) as error from outbox where dispatched_at is null group by name`)}`,
    `stuck jobs ${await q(`select min(created_on) as first_created, max(created_on) as last_created, min(start_after) as first_start, max(start_after) as last_start, now() from pgboss.job where name = 'process-inbound-event' and state = 'created'`)}`,
    `completed jobs ${await q(`select min(created_on) as first_created, max(created_on) as last_created, max(completed_on) as last_completed from pgboss.job where name = 'process-inbound-event' and state = 'completed'`)}`,
    `connections ${await q(`select application_name, state, wait_event_type, wait_event, backend_start, xact_start, left(query, 120) as query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)}`,
    `process-inbound-event jobs by state ${await q(`select state, count(*)::int as n, max(retry_count) as retries from pgboss.job where name = 'process-inbound-event' group by state`)}`,
  ];
}
