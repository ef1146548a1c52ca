import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobQueue, type JobQueue } from '../../src/jobs/queue';
import { createMetrics } from '../../src/http/metrics';
import type { Store } from '../../src/store/db';
import { createTestStore } from '../support/db';

/**
 * The job queue itself, without a Balie around it: jobs enqueued by another process (no local nudge) must be
 * worked off back to back, not one per polling interval — the defect that left a separate worker process
 * hundreds of webhook events behind.
 */
let store: Store;
let queue: JobQueue;
const done: string[] = [];
beforeAll(async () => {
  store = await createTestStore();
  queue = createJobQueue(store, pino({ level: 'silent' }), createMetrics());
  await queue.start();
  await queue.work({
    'auto-assign': async (data) => {
      done.push(String(data.n));
    },
  });
});
afterAll(async () => {
  await queue.stop();
  await store.close();
});

describe('job queue', () => {
  it('works off a backlog without sleeping a polling interval between jobs', async () => {
    const count = 30;
    // Sent through pg-boss directly: what a web process does, whose nudge cannot reach this worker.
    for (let n = 0; n < count; n++) await queue.boss.send('auto-assign', { n });
    const started = Date.now();
    while (done.length < count && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 50));
    const seconds = (Date.now() - started) / 1000;
    expect(new Set(done).size).toBe(count);
    // One job per 1 s poll would take 30 s; back to back it takes a fraction of that even on a busy machine.
    expect(seconds).toBeLessThan(count / 3);
  });
});
