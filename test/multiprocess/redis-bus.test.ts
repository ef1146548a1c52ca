import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/db';
import { runTs, type Proc } from '../support/process';
import { connectRealtime } from '../support/ws-client';

/** The optional Redis transport for realtime events (REDIS_URL), between two real processes. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-redis-'));
const procs: Proc[] = [];
const urls: string[] = [];

beforeAll(async () => {
  const env = { DATABASE_URL: await createTestDatabase(), DATA_DIR: dataDir, BALIE_SECRET_KEY: 'shared-key-for-the-redis-test', REDIS_URL, SMTP_PORT: '0', DATABASE_POOL_SIZE: '5' };
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    urls.push(`http://127.0.0.1:${port}`);
    procs.push(runTs('src/main.ts', [], { ...env, PORT: String(port), PUBLIC_URL: urls[i]! }));
  }
  await Promise.all(procs.map((p) => p.waitFor(/Balie is running/, 150_000)));
}, 120_000);
afterAll(() => {
  for (const p of procs) p.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('realtime over Redis', () => {
  it('carries an event from process A to a client of process B', async () => {
    const post = (base: string, url: string, body: unknown, token?: string) =>
      fetch(base + url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as any }),
      );
    const setup = await post(urls[0]!, '/api/v1/setup', { workspaceName: 'R', name: 'R', email: 'r@example.com', password: 'correct-horse-battery' });
    const token = setup.body.apiToken;
    const inbox = await post(urls[0]!, '/api/v1/inboxes', { name: 'API', kind: 'api' }, token);
    const ws = await connectRealtime(urls[1]!, { token });
    await ws.ready;
    const r = await post(urls[0]!, `/api/v1/inboxes/${inbox.body.id}/inbound`, { externalId: 'redis-1', contact: { email: 'r@example.com' }, content: 'via Redis' }, token);
    const f = await ws.next((x) => x.type === 'event' && x.event.type === 'message.created' && x.event.data.message.id === r.body.messageId, 10_000);
    expect(f.event.data.message.content).toBe('via Redis');
    ws.close();
  });
});
