import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Store } from '../store/db';

/**
 * Gives the jobs of a crashed worker back in seconds instead of when their pg-boss lease (expireInSeconds plus
 * the next maintenance run) ends — a minute or more, during which a SIGKILLed or OOM-killed worker's jobs sit
 * 'active' and nobody works on them.
 *
 * PostgreSQL: while a job runs, its process holds a session advisory lock on the job id on one connection of
 * its own. When the process dies, PostgreSQL drops that connection and with it the lock. Every worker process
 * sweeps now and then: an active job (older than a grace period, so a job just fetched by a live worker whose
 * lock is on its way is never touched) whose lock it can take has no living owner, and is failed, so pg-boss
 * retries it after its retry delay. When in doubt the job runs twice, never zero times: a lock lost with a live
 * process (PostgreSQL restarted) means a second run, and every job handler is idempotent (design.md).
 *
 * PGlite: one process owns the data directory, so at start every active job belongs to a process that died.
 */
const LOCK_NAMESPACE = 727276;
/** A job fetched this recently may still be taking its lock. */
export const ORPHAN_GRACE_SECONDS = 10;
const SWEEP_EVERY_MS = 5_000;
/** The lock outlives the handler a little, so pg-boss's completion (sent after it) commits first. */
const RELEASE_DELAY_MS = 1_000;

export interface JobLeases {
  /** Marks a job as running in this process (until `release`). Never throws: a job without lease only loses the fast return. */
  hold(jobId: string): Promise<void>;
  release(jobId: string): void;
  /** Fails active jobs whose process is gone; returns how many. */
  reclaimOrphans(): Promise<number>;
  /** Reclaims once now (before this process works on jobs), then every few seconds (PostgreSQL). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createJobLeases(store: Store, boss: PgBoss, log: Logger, queueNames: string[]): JobLeases {
  const postgres = store.driver === 'postgres' && !!store.databaseUrl;
  // One connection, never closed while idle (closing it would drop the locks); replaced after a restart.
  const lockPool = postgres ? new pg.Pool({ connectionString: store.databaseUrl, max: 1, idleTimeoutMillis: 0 }) : null;
  lockPool?.on('error', () => {});
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<number> | null = null;
  const releases = new Set<NodeJS.Timeout>();

  let working = false;
  async function reclaimOrphans(): Promise<number> {
    // PGlite is one session: its own running jobs would look ownerless, so it only reclaims before working.
    if (!postgres && working) return 0;
    const orphans = await store.adapter.executeSql(
      postgres
        ? `with candidates as materialized (
             select name, id from pgboss.job
             where name = any($1::text[]) and state = 'active' and started_on < now() - make_interval(secs => $2))
           select name, id from candidates where pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(id::text))`
        : `select name, id from pgboss.job where name = any($1::text[]) and state = 'active' and $2::int >= 0`,
      [queueNames, ORPHAN_GRACE_SECONDS],
    );
    const byQueue = new Map<string, string[]>();
    for (const row of orphans.rows as { name: string; id: string }[]) byQueue.set(row.name, [...(byQueue.get(row.name) ?? []), row.id]);
    for (const [name, ids] of byQueue) {
      for (const id of ids) await boss.fail(name, id, { message: 'the worker running this job stopped (crashed or was killed); retrying' });
      log.warn({ queue: name, jobs: ids.length }, 'jobs of a stopped worker returned to the queue');
    }
    return orphans.rows.length;
  }

  const sweep = () => {
    sweeping ??= reclaimOrphans()
      .catch((err: Error) => {
        log.warn({ err: err.message }, 'reclaiming jobs of stopped workers failed; their leases will expire');
        return 0;
      })
      .finally(() => (sweeping = null));
    return sweeping;
  };

  return {
    async hold(jobId) {
      if (!lockPool) return;
      await lockPool.query('select pg_advisory_lock($1, hashtext($2))', [LOCK_NAMESPACE, jobId]).catch((err: Error) => {
        log.warn({ jobId, err: err.message }, 'job lease not taken; the job is retried only when its lease expires if this worker dies');
      });
    },
    release(jobId) {
      if (!lockPool) return;
      const t = setTimeout(() => {
        releases.delete(t);
        lockPool.query('select pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, jobId]).catch(() => {});
      }, RELEASE_DELAY_MS);
      releases.add(t);
    },
    reclaimOrphans: sweep,
    async start() {
      await sweep();
      working = true;
      if (!postgres) return;
      timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await sweeping;
      for (const t of releases) clearTimeout(t);
      releases.clear();
      // Ending the connection releases every lock this process still holds.
      await lockPool?.end().catch(() => {});
    },
  };
}
