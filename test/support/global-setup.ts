import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openStore } from '../../src/store/db';
import { killLeftoverChildren } from './process';

/**
 * Migrates once per run: a PGlite data-dir tarball and/or a PostgreSQL template database. Every test file
 * then starts from a fresh copy in a fraction of a second.
 */
export default async function setup(project: TestProject) {
  const name = project.name;
  const driver = name === 'pglite' || (name === 'browser' && !process.env.TEST_DATABASE_URL) ? 'pglite' : 'postgres';
  if (driver === 'pglite') {
    const file = path.join(os.tmpdir(), `balie-test-template-${process.pid}.tar.gz`);
    if (!fs.existsSync(file)) {
      const store = await openStore({ dataDir: '', memory: true });
      await store.migrate();
      const blob = await store.pglite!.dumpDataDir('gzip');
      fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
      await store.close();
    }
    project.provide('pgliteTemplate', file);
    return () => {
      killLeftoverChildren(process.pid);
      fs.rmSync(file, { force: true });
    };
  }
  const url = new URL(process.env.TEST_DATABASE_URL!);
  const template = `balie_tpl_${process.pid}_${name}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await admin.end();
  const tplUrl = new URL(url);
  tplUrl.pathname = `/${template}`;
  const store = await openStore({ dataDir: '', databaseUrl: tplUrl.toString() });
  await store.migrate();
  await store.close();
  project.provide('pgTemplate', template);
  return async () => {
    killLeftoverChildren(process.pid);
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(
      `select datname from pg_database where datname like $1 or datname = $2`,
      [`balie_t_${process.pid}_%`, template],
    );
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
    await c.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}
