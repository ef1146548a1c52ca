import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { withOutbox } from '../../src/app/outbox';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';

/**
 * The outbox dispatcher and pg-boss singleton keys. Use cases mark jobs that must run once per key (one send
 * per message, the next page of a broadcast); when such a use case is repeated — its job retried after it had
 * committed, because the worker died before pg-boss heard "done" — it writes the follow-up row a second time.
 * Both rows must end up as ONE job. (pg-boss itself ignores singletonKey on standard-policy queues.)
 */
let app: TestApp;
let ws: string;
beforeAll(async () => {
  // No workers: the jobs stay in pg-boss where the test can count them.
  app = await createTestApp({ workers: false });
  ws = (await setupWorkspace(app)).workspaceId;
});
afterAll(async () => {
  await app?.close();
});

const jobsFor = async (name: string, marker: string) =>
  app.balie.services.store.rows<{ id: string; singleton_key: string | null }>(
    sql`select id, singleton_key from pgboss.job where name = ${name} and data->>'marker' = ${marker}`,
  );

async function writeJob(name: string, marker: string, singletonKey?: string) {
  await withOutbox(app.balie.services, ws, async (_tx, out) => {
    out.job(name, { workspaceId: ws, marker }, { startAfter: new Date(Date.now() + 3_600_000), ...(singletonKey ? { singletonKey } : {}) });
  });
  await app.balie.dispatcher.drain();
}

describe('outbox dispatcher and singleton keys', () => {
  it('turns two outbox rows with the same singleton key into one job, carrying the key', async () => {
    await writeJob('incident-broadcast', 'page-2', 'incident-broadcast:b1:after-100');
    await writeJob('incident-broadcast', 'page-2', 'incident-broadcast:b1:after-100');
    const jobs = await jobsFor('incident-broadcast', 'page-2');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.singleton_key).toBe('incident-broadcast:b1:after-100');
  });

  it('keeps jobs with different keys, or without a key, apart', async () => {
    await writeJob('send-outbound', 'm1', 'send:m1');
    await writeJob('send-outbound', 'm1', 'send:m1-other');
    expect(await jobsFor('send-outbound', 'm1')).toHaveLength(2);
    await writeJob('send-outbound', 'manual', undefined);
    await writeJob('send-outbound', 'manual', undefined);
    expect(await jobsFor('send-outbound', 'manual')).toHaveLength(2);
  });

  it('does not merge the same key across queues or workspaces', async () => {
    await writeJob('send-batch', 'k', 'shared-key');
    await writeJob('send-outbound', 'k', 'shared-key');
    expect(await jobsFor('send-batch', 'k')).toHaveLength(1);
    expect(await jobsFor('send-outbound', 'k')).toHaveLength(1);
  });
});
