import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrationsDir, pgliteTemplatePath } from '../paths';
import * as schema from './schema';
import { lockDataDir } from './lock';

export type Schema = typeof schema;
/** One type for both drivers: use cases never know which database they run on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface SqlAdapter {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Store {
  readonly driver: 'pglite' | 'postgres';
  readonly db: Db;
  /** Runs `fn` in one transaction; everything a use case writes goes through here. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Raw rows of a drizzle `sql` query (same shape on both drivers). */
  rows<T = Record<string, unknown>>(query: SQL, tx?: Db): Promise<T[]>;
  /**
   * Bookkeeping whose loss in a crash is harmless (NOTIFYs, "dispatched" marks — both are redone): committed
   * without waiting for the WAL flush. Matters because a NOTIFY's commit holds a global lock, so NOTIFYs that
   * each wait for an fsync would serialize every process to one NOTIFY per disk flush.
   */
  relaxed(query: SQL): Promise<void>;
  /** For pg-boss and other libraries that want plain SQL. */
  readonly adapter: SqlAdapter;
  readonly pool?: pg.Pool;
  readonly pglite?: PGlite;
  readonly databaseUrl?: string;
  migrate(): Promise<void>;
  /** Runs start-up work (migrations, job-queue install) one process at a time across the cluster. */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface StoreOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** In-memory PGlite (tests). */
  memory?: boolean;
  /** A PGlite data-dir tarball to start from instead of running initdb (tests, first start). */
  loadDataDir?: Blob;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 20) : openPglite(options);
}

// node-postgres returns int8 as string; our bigint ids and counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/**
 * pg-boss records a job's outcome without awaiting it, and a job it fetched just before shutting down can finish
 * after the store closed. That late bookkeeping is dropped (a promise that never settles, so nothing rejects
 * unhandled): the job stays active in the database, expires and is retried on the next start — at least once,
 * as every job is meant to run.
 */
const afterClose = () => new Promise<never>(() => {});

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, idleTimeoutMillis: 30_000 });
  // An idle client that loses its connection (PostgreSQL restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  let closed = false;
  // Relaxed statements get their own connection with synchronous_commit off. A pool of one, not a bare client:
  // callers (the realtime bus's NOTIFYs, the dispatcher's "dispatched" marks) run concurrently, and a pg.Client
  // given a query while one is running queues it itself — deprecated in pg 8 ("Calling client.query() when the
  // client is already executing a query") and removed in pg 9. The pool queues them in order instead, and
  // replaces the connection after a PostgreSQL restart.
  const relaxedPool = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 30_000, options: '-c synchronous_commit=off' });
  relaxedPool.on('error', () => {});
  const store: Store = {
    driver: 'postgres',
    async relaxed(query) {
      const compiled = new PgDialect().sqlToQuery(query);
      await relaxedPool.query(compiled.sql, compiled.params as unknown[]);
    },
    db,
    pool,
    databaseUrl,
    transaction: (fn) => db.transaction((tx) => fn(tx as unknown as Db)),
    rows: async <T>(query: SQL, tx?: Db) => ((await (tx ?? db).execute(query)) as unknown as { rows: T[] }).rows,
    adapter: { executeSql: (text, values) => (closed ? afterClose() : pool.query(text, values as unknown[])) },
    async migrate() {
      // Several processes may start at once: one migrates, the others wait for it.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(727274)');
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: migrationsDir });
      } finally {
        await client.query('select pg_advisory_unlock(727274)').catch(() => {});
        client.release();
      }
    },
    async withStartupLock(fn) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(727275)');
        return await fn();
      } finally {
        await client.query('select pg_advisory_unlock(727275)').catch(() => {});
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      closed = true;
      await relaxedPool.end().catch(() => {});
      await pool.end();
    },
  };
  return store;
}

async function openPglite(options: StoreOptions): Promise<Store> {
  let release = () => {};
  let dataDir: string | undefined;
  let loadDataDir = options.loadDataDir;
  if (!options.memory) {
    release = lockDataDir(options.dataDir);
    dataDir = path.join(options.dataDir, 'pgdata');
    const empty = !fs.existsSync(dataDir) || fs.readdirSync(dataDir).length === 0;
    // initdb in WASM takes seconds; a fresh install starts from the migrated template the build made.
    if (empty && !loadDataDir && fs.existsSync(pgliteTemplatePath)) {
      loadDataDir = new Blob([fs.readFileSync(pgliteTemplatePath)]);
    }
  }
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      extensions: { pg_trgm, unaccent },
    });
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const store: Store = {
    driver: 'pglite',
    async relaxed(query) {
      await db.execute(query);
    },
    db,
    pglite: client,
    transaction: (fn) => db.transaction((tx) => fn(tx as unknown as Db)),
    rows: async <T>(query: SQL, tx?: Db) => ((await (tx ?? db).execute(query)) as unknown as { rows: T[] }).rows,
    adapter: {
      async executeSql(text, values) {
        if (client.closed) return afterClose();
        // PGlite's extended protocol takes one statement; parameterless scripts (pg-boss install) go through exec.
        if (!values || values.length === 0) {
          const results = await client.exec(text);
          return { rows: results[results.length - 1]?.rows ?? [] };
        }
        return client.query(text, values);
      },
    },
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: migrationsDir });
    },
    withStartupLock: (fn) => fn(),
    async ping() {
      try {
        await client.query('select 1');
        return !client.closed;
      } catch {
        return false;
      }
    },
    async close() {
      try {
        if (!client.closed) await client.close();
      } finally {
        release();
      }
    },
  };
  return store;
}

/** `select 1` style helper used by health checks and tests. */
export async function now(store: Store): Promise<Date> {
  const [row] = await store.rows<{ now: Date }>(sql`select now() as now`);
  return new Date(row!.now);
}
