import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store } from '../../src/store/db';

export const testDriver = (process.env.BALIE_TEST_DRIVER ?? 'pglite') as 'pglite' | 'postgres';

/** A fresh, migrated database for one test file, on the driver of the current project. */
export async function createTestStore(): Promise<Store & { url?: string }> {
  if (testDriver === 'pglite') {
    const blob = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
    return openStore({ dataDir: '', memory: true, loadDataDir: blob });
  }
  const url = await createTestDatabase();
  // Small: CI runs two files at once next to multi-process suites, all on one PostgreSQL (max_connections 100).
  const store = await openStore({ dataDir: '', databaseUrl: url, poolSize: 6 });
  return Object.assign(store, { url });
}

/** A fresh PostgreSQL database cloned from the migrated template; dropped by the global teardown. */
export async function createTestDatabase(): Promise<string> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `balie_t_${process.ppid}_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    // Two files cloning the template at the same instant can collide; the clone itself is quick, so retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
