import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/db';
import { runTs, type Proc } from '../support/process';
import { connectRealtime } from '../support/ws-client';

/** Two real Balie processes on one PostgreSQL, as when scaled out behind a load balancer. */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-mp-'));
let a: Proc;
let b: Proc;
let urlA: string;
let urlB: string;
let env: Record<string, string>;

async function call(base: string, method: string, url: string, token?: string, body?: unknown) {
  const res = await fetch(base + url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  // Small pools: CI runs other PostgreSQL suites beside this one, and the server allows 100 connections.
  env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, BALIE_SECRET_KEY: 'a-shared-secret-key-for-both', WEBHOOK_ALLOW_PRIVATE: '1', SMTP_PORT: '0', DATABASE_POOL_SIZE: '5' };
  const [pa, pb] = [await freePort(), await freePort()];
  urlA = `http://127.0.0.1:${pa}`;
  urlB = `http://127.0.0.1:${pb}`;
  a = runTs('src/main.ts', [], { ...env, PORT: String(pa), PUBLIC_URL: urlA });
  b = runTs('src/main.ts', [], { ...env, PORT: String(pb), PUBLIC_URL: urlB });
  await Promise.all([a.waitFor(/Balie is running/, 150_000), b.waitFor(/Balie is running/, 150_000)]);
}, 120_000);
afterAll(async () => {
  for (const p of [a, b]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('two processes on one PostgreSQL', () => {
  let token: string;

  it('delivers an event ingested through process A to a client connected to process B', async () => {
    const setup = await call(urlA, 'POST', '/api/v1/setup', undefined, { workspaceName: 'Scale', name: 'Owner', email: 'scale@example.com', password: 'correct-horse-battery' });
    expect(setup.status).toBe(201);
    token = setup.body.apiToken;
    // The inbox made on B is usable on A: state lives in the database, secrets share one key.
    const inbox = await call(urlB, 'POST', '/api/v1/inboxes', token, { name: 'API', kind: 'api' });
    expect(inbox.status).toBe(201);
    const ws = await connectRealtime(urlB, { token });
    await ws.ready;
    const t0 = Date.now();
    const r = await call(urlA, 'POST', `/api/v1/inboxes/${inbox.body.id}/inbound`, token, { externalId: 'mp-1', contact: { email: 'mp@example.com' }, content: 'via A' });
    expect(r.status).toBe(201);
    const f = await ws.next((x) => x.type === 'event' && x.event.type === 'message.created' && x.event.data.message.id === r.body.messageId, 10_000);
    expect(f.event.data.message.content).toBe('via A');
    expect(Date.now() - t0).toBeLessThan(3000);
    ws.close();
  });

  it('finishes in-flight work on SIGTERM and takes no new work', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // A receiver that answers slowly, so the delivery is in flight when the process is told to stop.
    const slow = await import('node:http').then(
      (http) =>
        new Promise<{ url: string; close: () => void; got: () => number }>((resolve) => {
          let got = 0;
          const srv = http.createServer((req, res) => {
            got++;
            req.resume();
            void gate.then(() => res.end('ok'));
          });
          srv.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`, close: () => srv.close(), got: () => got }));
        }),
    );
    // Only process B runs jobs from now on, so we know who holds the delivery.
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    const hook = await call(urlB, 'POST', '/api/v1/webhooks', token, { url: `${slow.url}/hook`, events: ['contact.created'] });
    expect(hook.status).toBe(201);
    await call(urlB, 'POST', '/api/v1/contacts', token, { name: 'Graceful', email: 'graceful@example.com' });
    for (let i = 0; i < 100 && slow.got() === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(slow.got()).toBe(1);
    b.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    // Still running: it waits for the delivery.
    expect(b.child.exitCode).toBeNull();
    const refused = await fetch(`${urlB}/healthz`).then((r) => r.status).catch(() => 'refused');
    expect([503, 'refused']).toContain(refused);
    release();
    expect(await b.exited).toBe(0);
    // The delivery was recorded as delivered before the process exited.
    const { openStore } = await import('../../src/store/db');
    const store = await openStore({ dataDir: '', databaseUrl: env.DATABASE_URL });
    const rows = await store.pool!.query(`select status from webhook_deliveries where webhook_id = $1`, [hook.body.id]);
    expect(rows.rows.map((r) => r.status)).toEqual(['delivered']);
    await store.close();
    slow.close();
  }, 60_000);
});
