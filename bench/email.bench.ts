/**
 * SMTP inbound to committed conversation message on PostgreSQL, vs a baseline of smtp-server + mailparser doing
 * nothing else, in the same run. Target (issue #5): ≥ 500 messages/s. A message counts when the listener answered
 * 250, which Balie does only after the raw mail and the ingested message are committed. The mail is sent by
 * BENCH_SENDERS separate client processes (default 2), so the client's CPU is not charged to the server measured.
 * DNS for SPF/DKIM/DMARC answers "not found" at once (this machine has no internet).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { spawn } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { createBalie } from '../src/balie';
import { loadConfig } from '../src/config';
import { dropDatabase, freshDatabase, machine } from './support/env';

const total = Number(process.env.BENCH_EMAIL_MESSAGES ?? 3000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);

const senders = Number(process.env.BENCH_SENDERS ?? 2);

/** Starts the sender processes, lets them warm up, then times from "go" until every one has sent its share. */
async function blast(port: number, label: string) {
  const script = path.join(import.meta.dirname, 'support/email-sender.mjs');
  const share = Math.ceil(total / senders);
  const children = Array.from({ length: senders }, (_, k) =>
    spawn(process.execPath, [script, String(port), label, String(k * share), String(Math.min(share, total - k * share)), String(Math.max(1, Math.round(connections / senders)))], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const line = (child: (typeof children)[number], word: string) =>
    new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(`${word}\n`)) resolve();
      });
      child.once('exit', (code) => (code === 0 && out.includes(`${word}\n`) ? resolve() : reject(new Error(`sender exited with ${code} before "${word}"`))));
    });
  await Promise.all(children.map((c) => line(c, 'ready')));
  const started = process.hrtime.bigint();
  const done = Promise.all(children.map((c) => line(c, 'done')));
  for (const c of children) c.stdin!.write('go\n');
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total / seconds;
}

async function baseline() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      simpleParser(stream).then(() => cb(), cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const rate = await blast((server.server.address() as { port: number }).port, 'base');
  await new Promise<void>((r) => server.close(() => r()));
  return rate;
}

async function balie() {
  const dbName = 'balie_bench_email';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-bench-email-'));
  const config = loadConfig({ DATABASE_URL: await freshDatabase(dbName), DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
  const b = await createBalie({ config, log: pino({ level: 'silent' }) });
  b.services.dnsResolver = async () => {
    throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
  };
  await b.start();
  const setup = await b.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { workspaceName: 'Bench', name: 'Bench', email: 'bench@example.com', password: 'correct-horse-battery' } });
  const token = (JSON.parse(setup.body) as { apiToken: string }).apiToken;
  await b.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: { authorization: `Bearer ${token}` }, payload: { name: 'Mail', kind: 'email', settings: { address: 'support@acme.test', senderLimitPerHour: 10_000 } } });
  const port = await b.listenSmtp(0, '127.0.0.1');
  const rate = await blast(port, 'balie');
  const [row] = await b.services.store.rows<{ n: number }>((await import('drizzle-orm')).sql`select count(*)::int as n from messages where direction = 'inbound'`);
  await b.stop();
  await dropDatabase(dbName);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { rate, committed: Number(row?.n ?? 0) };
}

const base = await baseline();
const ours = await balie();
console.log(`machine: ${machine()}`);
console.log(`messages: ${total} (+20 warm-up per sender), SMTP connections: ${connections} from ${senders} sender processes`);
console.log(`baseline smtp-server + mailparser: ${base.toFixed(0)} msg/s`);
console.log(`Balie SMTP → committed conversation (PostgreSQL): ${ours.rate.toFixed(0)} msg/s (${ours.committed} messages committed)`);
console.log(`ratio: ${(ours.rate / base).toFixed(2)} of baseline; target ≥ 500 msg/s: ${ours.rate >= 500 ? 'met' : 'NOT met'}`);
