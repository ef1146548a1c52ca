/**
 * Ingest through the API channel vs a bare Fastify route doing one plain INSERT, on PostgreSQL and on PGlite.
 * Target (issue #3): throughput ≥ 50 % of the baseline and p99 ≤ 2× the baseline's.
 */
import { dropDatabase, freshDatabase, json, machine, startBalie, startTs, tempDir } from './support/env';
import { fmt, load, type LoadResult } from './support/load';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
// Few enough customers that after the warm-up most messages continue an open conversation (the common case),
// and every customer's first message (a new contact and conversation) still shows in the figures.
const customers = Number(process.env.BENCH_CUSTOMERS ?? 200);

async function measure(driver: 'postgres' | 'pglite') {
  const dbName = `balie_bench_ingest_${driver}`;
  const env = (kind: string): Record<string, string> =>
    driver === 'postgres' ? { DATABASE_URL: '' } : { DATA_DIR: tempDir(`balie-bench-${kind}-`) };

  const baselineEnv = env('baseline');
  if (driver === 'postgres') baselineEnv.DATABASE_URL = await freshDatabase(`${dbName}_base`);
  const baseline = await startTs('bench/support/baseline-server.ts', baselineEnv, /baseline ready/);
  const base = await load({ url: `${baseline.url}/insert`, body: (i) => JSON.stringify({ n: i, content: 'Mijn modem knippert oranje' }), connections, durationMs, warmupMs: 2000 });
  await baseline.stop();

  const balieEnv = env('balie');
  if (driver === 'postgres') balieEnv.DATABASE_URL = await freshDatabase(dbName);
  const balie = await startBalie(balieEnv);
  const setup = await json(`${balie.url}/api/v1/setup`, 'POST', { workspaceName: 'Bench', name: 'Bench', email: 'bench@example.com', password: 'correct-horse-battery' });
  const inbox = await json(`${balie.url}/api/v1/inboxes`, 'POST', { name: 'API', kind: 'api' }, setup.apiToken);
  const run = Date.now();
  const target = await load({
    url: `${balie.url}/api/v1/inboxes/${inbox.id}/inbound`,
    headers: { authorization: `Bearer ${setup.apiToken}` },
    body: (i) => JSON.stringify({ externalId: `bench-${run}-${i}`, contact: { email: `klant${i % customers}@example.nl`, name: `Klant ${i % customers}` }, content: `Bericht ${i}: mijn modem knippert oranje sinds vanochtend.` }),
    connections,
    durationMs,
    warmupMs: 2000,
    expect: (s) => s === 201,
  });
  await balie.stop();
  if (driver === 'postgres') {
    await dropDatabase(dbName);
    await dropDatabase(`${dbName}_base`);
  }
  return { base, target };
}

function row(name: string, r: LoadResult) {
  return `| ${name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.errors} |`;
}

console.log(`Ingest benchmark — ${new Date().toISOString()} — ${machine()} — ${connections} connections, ${durationMs / 1000} s, ${customers} customers`);
for (const driver of ['postgres', 'pglite'] as const) {
  const { base, target } = await measure(driver);
  const tput = target.rps / base.rps;
  const p99 = target.p99 / base.p99;
  console.log(`\n${driver}\n| run | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n${row('baseline: Fastify + 1 INSERT', base)}\n${row('Balie API-channel ingest', target)}`);
  console.log(`ratio: throughput ${fmt(tput * 100, 0)} % of baseline (target ≥ 50 %) ${tput >= 0.5 ? 'PASS' : 'MISS'}; p99 ${fmt(p99, 2)}× baseline (target ≤ 2×) ${p99 <= 2 ? 'PASS' : 'MISS'}`);
}
