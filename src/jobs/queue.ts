import crypto from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Store } from '../store/db';
import type { Metrics } from '../http/metrics';
import { createJobLeases, type JobLeases } from './job-leases';

/**
 * pg-boss on Balie's own database (PGlite or PostgreSQL): retries with exponential backoff and jitter,
 * scheduled jobs, and failed jobs kept visible. Queue settings live here, next to each other.
 */
export interface QueueSpec {
  retryLimit: number;
  retryDelay: number;
  expireInSeconds: number;
  /** Jobs that should never run twice at the same time for the same key. */
  policy?: 'standard' | 'singleton';
  /** Workers per process for this queue (default 1); each takes one job at a time. */
  concurrency?: number;
}

export const queues: Record<string, QueueSpec> = {
  'send-outbound': { retryLimit: 8, retryDelay: 5, expireInSeconds: 120 },
  'deliver-webhook': { retryLimit: 10, retryDelay: 10, expireInSeconds: 60 },
  'auto-assign': { retryLimit: 3, retryDelay: 5, expireInSeconds: 60 },
  // A job of a killed worker stays 'active' until it expires, so inbound work gets a short lease (media
  // downloads time out after 15 s each) and two workers, so a burst of webhooks is drained in parallel.
  'process-inbound-event': { retryLimit: 6, retryDelay: 2, expireInSeconds: 60, concurrency: 2 },
  'wake-snoozed': { retryLimit: 1, retryDelay: 30, expireInSeconds: 300 },
  maintenance: { retryLimit: 2, retryDelay: 60, expireInSeconds: 900 },
  // Three batches in flight per process: the database work of one overlaps the provider calls of the others.
  'send-batch': { retryLimit: 3, retryDelay: 5, expireInSeconds: 300, concurrency: 3 },
  'incident-broadcast': { retryLimit: 5, retryDelay: 5, expireInSeconds: 300 },
  'promise-stats': { retryLimit: 2, retryDelay: 60, expireInSeconds: 900 },
  'promise-watch': { retryLimit: 1, retryDelay: 30, expireInSeconds: 300 },
  'promise-ack': { retryLimit: 3, retryDelay: 10, expireInSeconds: 120 },
  'widget-email-copy': { retryLimit: 3, retryDelay: 10, expireInSeconds: 120 },
  'fetch-call-recording': { retryLimit: 8, retryDelay: 10, expireInSeconds: 300 },
  'email-poll': { retryLimit: 0, retryDelay: 30, expireInSeconds: 600, policy: 'singleton' },
  'phone-reminders': { retryLimit: 0, retryDelay: 30, expireInSeconds: 300, policy: 'singleton' },
};

export type JobHandler = (data: Record<string, unknown>, meta: { id: string; retryCount: number; retryLimit: number }) => Promise<void>;

export interface JobToSend {
  name: string;
  data: Record<string, unknown>;
  id?: string;
  startAfter?: Date;
  singletonKey?: string;
}

export interface JobQueue {
  boss: PgBoss;
  start(): Promise<void>;
  /** Starts workers for every registered handler in this process (BALIE_PROCESS all or worker). */
  work(handlers: Record<string, JobHandler>): Promise<void>;
  send(name: string, data: Record<string, unknown>, opts?: { id?: string; startAfter?: Date; singletonKey?: string }): Promise<string | null>;
  /**
   * Many jobs in one statement (pg-boss `insert`), for the outbox dispatcher: a burst of webhooks is one round trip
   * instead of one per job. Same dedupe as `send` with an id: a job whose id exists already is left alone.
   */
  sendMany(jobs: JobToSend[]): Promise<void>;
  /** Wakes the local worker of a queue instead of waiting for its next poll. */
  nudge(name: string): void;
  depths(): Promise<Record<string, number>>;
  /** Returns the jobs of stopped workers to the queue now (workers also do this every few seconds); how many. */
  reclaimOrphans(): Promise<number>;
  stop(): Promise<void>;
}

/** A job id derived from a key, so enqueueing the same thing twice is a no-op. */
export function jobIdFor(key: string): string {
  const h = crypto.createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * pg-boss fetches the next job with `ORDER BY priority desc, created_on, id LIMIT n`, but its only fetch index is
 * on (name, start_after): every fetch reads and sorts the queue's whole backlog (350 ms at 50,000 waiting jobs,
 * so two workers managed 6 jobs/s — the slower, the longer the queue). An index in exactly that order lets
 * PostgreSQL read the first waiting job and stop (0.4 ms at any backlog). Created on the partitioned job table,
 * so every queue's partition has it, including queues created later. Part of start-up (under the start-up lock);
 * `if not exists` makes it a no-op after the first start.
 */
export const FETCH_ORDER_INDEX = 'job_fetch_order_idx';
async function ensureFetchOrderIndex(store: Store) {
  await store.adapter.executeSql(
    `create index if not exists ${FETCH_ORDER_INDEX} on pgboss.job (name, priority desc, created_on, id) where state < 'active'`,
  );
}

export function createJobQueue(store: Store, log: Logger, metrics: Metrics): JobQueue {
  const boss = new PgBoss({
    db: store.adapter,
    schema: 'pgboss',
    migrate: true,
    supervise: true,
    schedule: true,
    // Keep completed and failed jobs for a week so failures can be inspected.
    deleteAfterDays: 7,
    archiveCompletedAfterSeconds: 3600,
    monitorStateIntervalSeconds: 60,
    // Maintenance is what returns the jobs of a crashed (SIGKILLed, OOM-killed) worker to the queue once their
    // lease ran out; every 20 s instead of pg-boss's 2 minutes bounds that delay to lease + 20 s.
    maintenanceIntervalSeconds: 20,
  });
  boss.on('error', (err: Error) => log.warn({ err: err.message }, 'job queue error'));
  const workers = new Map<string, string[]>();
  let started = false;
  let leases: JobLeases | null = null;

  return {
    boss,
    async start() {
      await boss.start();
      await ensureFetchOrderIndex(store);
      for (const [name, spec] of Object.entries(queues)) {
        const existing = await boss.getQueue(name);
        const options = { name, retryLimit: spec.retryLimit, retryDelay: spec.retryDelay, retryBackoff: true, expireInSeconds: spec.expireInSeconds };
        if (existing) await boss.updateQueue(name, options);
        else await boss.createQueue(name, options);
      }
      started = true;
    },
    async work(handlers) {
      // Jobs left active by a worker that died go back to the queue first, then every few seconds.
      leases = createJobLeases(store, boss, log, Object.keys(queues));
      await leases.start();
      const held = leases;
      for (const [name, handler] of Object.entries(handlers)) {
        for (let n = 0; n < (queues[name]?.concurrency ?? 1); n++) {
          let id = '';
          id = await boss.work(name, { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true }, async (jobs) => {
            try {
              for (const job of jobs) {
                await held.hold(job.id);
                try {
                  await handler(job.data as Record<string, unknown>, { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit });
                  metrics.jobs.inc({ queue: name, result: 'completed' });
                } catch (err) {
                  metrics.jobs.inc({ queue: name, result: 'failed' });
                  log.warn({ queue: name, jobId: job.id, retry: job.retryCount, err: (err as Error).message }, 'job failed');
                  throw err;
                } finally {
                  held.release(job.id);
                }
              }
            } finally {
              // pg-boss's worker sleeps a full polling interval after every batch, even with jobs waiting, which
              // caps a queue at one job per second per worker. Waking it makes it fetch the next job at once;
              // it sleeps only after a fetch that came back empty.
              boss.notifyWorker(id);
            }
          });
          workers.set(name, [...(workers.get(name) ?? []), id]);
        }
      }
      await boss.schedule('wake-snoozed', '* * * * *', {});
      await boss.schedule('maintenance', '17 3 * * *', {});
      await boss.schedule('promise-stats', '7 * * * *', {});
      await boss.schedule('promise-watch', '* * * * *', {});
      await boss.schedule('email-poll', '* * * * *', {});
      await boss.schedule('phone-reminders', '* * * * *', {});
    },
    async send(name, data, opts = {}) {
      return boss.send(name, data, {
        ...(opts.id ? { id: opts.id } : {}),
        ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
        ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      });
    },
    async sendMany(jobs) {
      if (jobs.length === 0) return;
      await boss.insert(
        jobs.map((j) => ({
          name: j.name,
          data: j.data,
          ...(j.id ? { id: j.id } : {}),
          ...(j.startAfter ? { startAfter: j.startAfter.toISOString() } : {}),
          ...(j.singletonKey ? { singletonKey: j.singletonKey } : {}),
        })),
      );
    },
    nudge(name) {
      for (const id of workers.get(name) ?? []) boss.notifyWorker(id);
    },
    async depths() {
      const out: Record<string, number> = {};
      for (const name of Object.keys(queues)) out[name] = await boss.getQueueSize(name);
      return out;
    },
    reclaimOrphans: () => leases?.reclaimOrphans() ?? Promise.resolve(0),
    async stop() {
      if (!started) return;
      started = false;
      // Finish what is running, take nothing new.
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
      await leases?.stop();
    },
  };
}
