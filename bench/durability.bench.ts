/**
 * Durability at full size (issue #7): 50,000 mixed inbound webhooks, 30 % redelivered, the worker killed 50
 * times and PostgreSQL restarted 5 times. Goal: 0 lost, 0 duplicated. The same harness runs reduced in CI
 * (test/multiprocess/durability.test.ts). Sizes can be overridden with DURABILITY_EVENTS, _KILLS, _RESTARTS.
 */
import { runDurability } from './support/durability';
import { machine } from './support/env';

const events = Number(process.env.DURABILITY_EVENTS ?? 50_000);
const kills = Number(process.env.DURABILITY_KILLS ?? 50);
const restarts = Number(process.env.DURABILITY_RESTARTS ?? 5);
console.log(`Durability — ${new Date().toISOString()} — ${machine()} — ${events} events, 30 % redelivered, ${kills} worker kills, ${restarts} PostgreSQL restarts`);
const r = await runDurability({ events, redeliveredShare: 0.3, workerKills: kills, pgRestarts: restarts });
console.log(`| events | deliveries | worker kills | PG restarts | lost | duplicated | failed events | seconds |\n|---|---|---|---|---|---|---|---|\n| ${r.events} | ${r.deliveries} | ${r.workerKills} | ${r.pgRestarts} | ${r.lost} | ${r.duplicated} | ${r.failedEvents} | ${r.seconds} |`);
console.log(`result: lost ${r.lost}, duplicated ${r.duplicated} (goal 0/0) ${r.lost === 0 && r.duplicated === 0 ? 'PASS' : 'MISS'}`);
if (r.lost || r.duplicated) process.exitCode = 1;
