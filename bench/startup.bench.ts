/**
 * Cold start on an empty PGlite directory (target ≤ 3 s, issue #3) and idle memory (RSS) on PGlite and on
 * PostgreSQL. Baseline in the same run: a bare Fastify process starting and answering.
 */
import fs from 'node:fs';
import { dropDatabase, freshDatabase, machine, rssOf, startBalie, startTs, tempDir } from './support/env';
import { fmt } from './support/load';

async function untilHealthy(url: string) {
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const runs = Number(process.env.BENCH_RUNS ?? 3);
const rows: string[] = [];

const baseTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = Date.now();
  const base = await startTs('bench/support/baseline-server.ts', { DATA_DIR: tempDir('balie-bench-base-') }, /baseline ready/);
  baseTimes.push(Date.now() - t);
  await base.stop();
}

const cold: number[] = [];
let pgliteRss = 0;
for (let i = 0; i < runs; i++) {
  const dir = tempDir('balie-bench-cold-');
  const t = Date.now();
  const b = await startBalie({ DATA_DIR: dir });
  await untilHealthy(b.url);
  cold.push(Date.now() - t);
  if (i === runs - 1) {
    await new Promise((r) => setTimeout(r, 10_000));
    pgliteRss = rssOf(b.child.pid!);
  }
  await b.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

const db = 'balie_bench_startup';
const pg = await startBalie({ DATABASE_URL: await freshDatabase(db) });
await untilHealthy(pg.url);
await new Promise((r) => setTimeout(r, 10_000));
const pgRss = rssOf(pg.child.pid!);
await pg.stop();
await dropDatabase(db);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
rows.push(`| baseline: bare Fastify + PGlite start | ${fmt(median(baseTimes), 0)} | — |`);
rows.push(`| Balie, empty PGlite directory → /healthz 200 | ${fmt(median(cold), 0)} | ${fmt(pgliteRss, 0)} MB |`);
rows.push(`| Balie on PostgreSQL (idle) | — | ${fmt(pgRss, 0)} MB |`);
console.log(`\nStart-up and memory — ${new Date().toISOString()} — ${machine()} — median of ${runs}`);
console.log('| run | start ms | idle RSS after 10 s |\n|---|---|---|');
console.log(rows.join('\n'));
console.log(`cold start ${fmt(median(cold) / median(baseTimes), 2)}× the bare process; target ≤ 3000 ms ${median(cold) <= 3000 ? 'PASS' : 'MISS'}`);
