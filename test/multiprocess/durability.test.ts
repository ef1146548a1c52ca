import { describe, expect, it } from 'vitest';
import { runDurability, type DurabilityOptions } from '../../bench/support/durability';

/**
 * The durability harness of bench/durability.bench.ts in reduced size: real Balie web and worker processes on
 * a throwaway PostgreSQL cluster, signed WhatsApp/SMS/Telegram webhooks with 30 % redelivered, the worker
 * SIGKILLed (the Node process itself, not a wrapper) and PostgreSQL restarted while events stream in. Every
 * acknowledged event is exactly one message.
 *
 * Always on: 240 events, 2 kills, 1 restart (about 2 minutes on a busy 2-core machine). The larger run
 * (600 events, 3 kills, 2 restarts, about 6 minutes there) is opt-in with BALIE_DURABILITY=1; sizes can be set
 * with DURABILITY_EVENTS, DURABILITY_KILLS and DURABILITY_RESTARTS.
 */
const full = process.env.BALIE_DURABILITY === '1';
const size = (fallback: Omit<DurabilityOptions, 'redeliveredShare' | 'log'>): DurabilityOptions => ({
  events: Number(process.env.DURABILITY_EVENTS ?? fallback.events),
  workerKills: Number(process.env.DURABILITY_KILLS ?? fallback.workerKills),
  pgRestarts: Number(process.env.DURABILITY_RESTARTS ?? fallback.pgRestarts),
  redeliveredShare: 0.3,
  log: (l) => console.log(l),
});

describe('inbound durability under worker kills and PostgreSQL restarts', () => {
  it(
    `loses nothing and duplicates nothing (${full ? 'full' : 'reduced'})`,
    async () => {
      const r = await runDurability(full ? size({ events: 600, workerKills: 3, pgRestarts: 2 }) : size({ events: 240, workerKills: 2, pgRestarts: 1 }));
      console.log(`durability: ${JSON.stringify(r)}`);
      expect(r.workerKills).toBeGreaterThan(0);
      expect(r.pgRestarts).toBeGreaterThan(0);
      expect({ lost: r.lost, duplicated: r.duplicated, failed: r.failedEvents }).toEqual({ lost: 0, duplicated: 0, failed: 0 });
    },
    full ? 900_000 : 400_000,
  );
});
