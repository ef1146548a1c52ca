import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DomainEvent } from '../shared/events';
import type { EphemeralEvent } from './visibility';

/**
 * Carries realtime messages between Balie processes: PostgreSQL LISTEN/NOTIFY by default, Redis pub/sub when
 * REDIS_URL is set, in-process for the single-process embedded database.
 */
export type BusMessage =
  | { kind: 'event'; event: DomainEvent }
  /** An event too large for a NOTIFY payload: receivers read it from the outbox row. */
  | { kind: 'ref'; workspaceId: string; outboxId: number }
  | { kind: 'ephemeral'; event: EphemeralEvent }
  /** Several messages in one transport message (one NOTIFY for all events of a commit). */
  | { kind: 'batch'; messages: BusMessage[] };

export interface Bus {
  /** Largest message this transport carries; bigger events travel as a reference to their outbox row. */
  readonly maxInlineBytes: number;
  publish(message: BusMessage): Promise<void>;
  /** Publishes several messages, packed into as few transport messages as the size limit allows. */
  publishMany(messages: BusMessage[]): Promise<void>;
  subscribe(handler: (message: BusMessage) => void): void;
  /**
   * Resolves once this process receives messages (PostgreSQL: its LISTEN connection is up, after retries). A
   * process reports ready only after it, or the first events it should see would be lost.
   */
  listening(): Promise<void>;
  /**
   * Called after the transport lost its connection and got it back. Messages published in between are gone, so
   * receivers tell their clients to catch up (the agent app refetches, the widget syncs).
   */
  onResync(handler: () => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'balie_realtime';
/** PostgreSQL's NOTIFY payload limit is 8000 bytes. */
export const MAX_INLINE_BYTES = 7_800;

/** Packs messages into batches whose JSON stays under `limit` bytes (a message too big alone goes alone). */
export function packBatches(messages: BusMessage[], limit: number): BusMessage[] {
  const out: BusMessage[] = [];
  let current: BusMessage[] = [];
  let size = 40;
  for (const m of messages) {
    const len = Buffer.byteLength(JSON.stringify(m)) + 1;
    if (current.length && size + len > limit) {
      out.push(current.length === 1 ? current[0]! : { kind: 'batch', messages: current });
      current = [];
      size = 40;
    }
    current.push(m);
    size += len;
  }
  if (current.length) out.push(current.length === 1 ? current[0]! : { kind: 'batch', messages: current });
  return out;
}

export function createMemoryBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    maxInlineBytes: Infinity,
    async publish(message) {
      // A copy, as the network buses would deliver; receivers must not share objects with the sender.
      emitter.emit('m', JSON.parse(JSON.stringify(message)));
    },
    async publishMany(messages) {
      if (messages.length) await this.publish(messages.length === 1 ? messages[0]! : { kind: 'batch', messages });
    },
    subscribe(handler) {
      emitter.on('m', handler);
    },
    listening: () => Promise.resolve(),
    // In one process nothing is ever missed.
    onResync() {},
    async close() {
      emitter.removeAllListeners();
    },
  };
}

export function createPgBus(databaseUrl: string, notify: (channel: string, payload: string) => Promise<void>, log: Logger): Bus {
  const handlers: ((m: BusMessage) => void)[] = [];
  const resyncHandlers: (() => void)[] = [];
  let client: pg.Client | null = null;
  let closed = false;
  let listenedBefore = false;
  let retryMs = 250;
  let markListening!: () => void;
  const firstListen = new Promise<void>((resolve) => (markListening = resolve));

  const connect = async () => {
    if (closed) return;
    // Named so operators (and tests) can tell the listener apart in pg_stat_activity.
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'balie-realtime-listener' });
    c.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      try {
        const msg = JSON.parse(n.payload) as BusMessage;
        for (const h of handlers) h(msg);
      } catch (err) {
        log.warn({ err }, 'bad realtime payload');
      }
    });
    c.on('error', (err) => {
      log.warn({ err: err.message }, 'realtime listener lost its connection; reconnecting');
      client = null;
      c.end().catch(() => {});
      setTimeout(() => void connect(), retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
      retryMs = 250;
      markListening();
      if (listenedBefore) {
        log.info('realtime listener reconnected; clients are told to catch up');
        for (const h of resyncHandlers) h();
      }
      listenedBefore = true;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'realtime listener could not connect; retrying');
      c.end().catch(() => {});
      if (!closed) setTimeout(() => void connect(), retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    }
  };

  const ready = connect();
  return {
    maxInlineBytes: MAX_INLINE_BYTES,
    async publish(message) {
      await ready;
      await notify(CHANNEL, JSON.stringify(message));
    },
    async publishMany(messages) {
      for (const m of packBatches(messages, MAX_INLINE_BYTES)) await this.publish(m);
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    listening: () => firstListen,
    onResync(handler) {
      resyncHandlers.push(handler);
    },
    async close() {
      closed = true;
      await ready;
      await client?.end().catch(() => {});
    },
  };
}

export async function createRedisBus(url: string, log: Logger): Promise<Bus> {
  const { Redis } = await import('ioredis');
  const pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const sub = new Redis(url, { lazyConnect: false });
  const handlers: ((m: BusMessage) => void)[] = [];
  const resyncHandlers: (() => void)[] = [];
  for (const r of [pub, sub]) r.on('error', (err: Error) => log.warn({ err: err.message }, 'redis bus error'));
  await sub.subscribe(CHANNEL);
  // ioredis re-subscribes by itself after a reconnect; what was published while it was away is lost.
  sub.on('ready', () => {
    for (const h of resyncHandlers) h();
  });
  sub.on('message', (_channel: string, payload: string) => {
    try {
      const msg = JSON.parse(payload) as BusMessage;
      for (const h of handlers) h(msg);
    } catch (err) {
      log.warn({ err }, 'bad realtime payload');
    }
  });
  const publish = async (message: BusMessage) => {
    await pub.publish(CHANNEL, JSON.stringify(message));
  };
  return {
    maxInlineBytes: 64 * 1024 * 1024,
    publish,
    async publishMany(messages) {
      if (messages.length) await publish(messages.length === 1 ? messages[0]! : { kind: 'batch', messages });
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    // Subscribed before this bus was returned.
    listening: () => Promise.resolve(),
    onResync(handler) {
      resyncHandlers.push(handler);
    },
    async close() {
      sub.disconnect();
      pub.disconnect();
    },
  };
}
