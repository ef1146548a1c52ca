import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgBus, type Bus, type BusMessage } from '../../src/realtime/bus';
import { createTestDatabase } from '../support/db';
import { createTcpProxy } from '../support/tcp-proxy';

/**
 * The PostgreSQL bus between a database connection that drops and comes back: the LISTEN is re-established and
 * receivers are told to catch up, because what was published meanwhile never reached this process.
 */
let url: URL;
let proxy: Awaited<ReturnType<typeof createTcpProxy>>;
let publisher: pg.Pool;
let bus: Bus;

beforeAll(async () => {
  url = new URL(await createTestDatabase());
  proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  publisher = new pg.Pool({ connectionString: url.toString(), max: 1 });
  const viaProxy = new URL(url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  bus = createPgBus(viaProxy.toString(), async (channel, payload) => void (await publisher.query('select pg_notify($1, $2)', [channel, payload])), pino({ level: 'silent' }));
  await bus.listening();
});
afterAll(async () => {
  await bus.close();
  await publisher.end();
  await proxy.close();
});

describe('PostgreSQL realtime bus', () => {
  it('re-LISTENs after its connection dropped and asks receivers to resync; not before', async () => {
    const received: BusMessage[] = [];
    let resyncs = 0;
    bus.subscribe((m) => received.push(m));
    bus.onResync(() => resyncs++);

    const event = (n: number): BusMessage => ({ kind: 'ephemeral', event: { type: 'presence', workspaceId: 'w', inboxId: 'i', conversationId: String(n), userId: 'u', userName: 'U', state: 'viewing', at: new Date().toISOString() } });
    await bus.publish(event(1));
    await expect.poll(() => received.length).toBe(1);
    expect(resyncs).toBe(0);

    proxy.cut();
    // Published while the listener is away: lost for this process, which is what the resync is for.
    await bus.publish(event(2));
    await new Promise((r) => setTimeout(r, 300));
    proxy.restore();
    await expect.poll(() => resyncs, { timeout: 15_000 }).toBe(1);

    await bus.publish(event(3));
    await expect.poll(() => received.map((m) => (m.kind === 'ephemeral' ? m.event.conversationId : '?'))).toEqual(['1', '3']);
  });
});
