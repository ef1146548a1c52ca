import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addMember, createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';

/**
 * Per-channel first-response targets in the inbox list: every waiting conversation carries its channel's target
 * and when it runs out, `sort=speed` puts breached first and then those at risk (also across pages), an admin
 * changes the targets, and bad targets are refused without changing anything.
 */
let app: TestApp;
let token: string;
let workspaceId: string;
let inboxId: string;
const ids: Record<string, string> = {};

type Item = { id: string; speed: { targetMinutes: number; dueAt: string; state: string } | null };

beforeAll(async () => {
  app = await createTestApp();
  const ws = await setupWorkspace(app);
  token = ws.apiToken;
  workspaceId = ws.workspaceId;
  inboxId = (await createApiInbox(app, token)).id;
  // Waiting 2, 8 and 15 minutes, and one the customer has to answer (pending).
  for (const [name, minutes] of [['fresh', 2], ['risky', 8], ['late', 15], ['pending', 30]] as const) {
    const r = await inbound(app, token, inboxId, { externalId: name, contact: { email: `${name}@klant.nl`, name }, content: 'Hallo, een vraag' });
    ids[name] = r.body.conversationId;
    await app.balie.services.store.rows(sql`update conversations set waiting_since = now() - ${`${minutes} minutes`}::interval where id = ${r.body.conversationId}`);
  }
  expect((await app.call('POST', `/api/v1/conversations/${ids.pending}/status`, { token, body: { status: 'pending' } })).status).toBeLessThan(300);
});
afterAll(() => app.close());

const list = async (query: string) => {
  const res = await app.call('GET', `/api/v1/conversations?status=all&${query}`, { token });
  expect(res.status).toBe(200);
  return res.body as { items: Item[]; nextCursor: string | null };
};
const nameOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0];

describe('per-channel speed targets', () => {
  it('uses the channel default, and sorts breached and at-risk conversations first after an admin sets a target', async () => {
    const before = await list('sort=speed');
    // The API channel's default is hours: nobody is late yet.
    expect(before.items.find((i) => i.id === ids.late)!.speed).toMatchObject({ targetMinutes: 240, state: 'ok' });

    const saved = await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { speedTargets: { api: 10 } } });
    expect(saved.status).toBe(200);
    expect(saved.body.speedTargets).toEqual({ api: 10 });

    const after = await list('sort=speed');
    expect(after.items.map((i) => nameOf(i.id))).toEqual(['late', 'risky', 'fresh', 'pending']);
    const byName = Object.fromEntries(after.items.map((i) => [nameOf(i.id), i.speed]));
    expect(byName.late).toMatchObject({ targetMinutes: 10, state: 'breached' });
    expect(byName.risky).toMatchObject({ targetMinutes: 10, state: 'warning' });
    expect(byName.fresh).toMatchObject({ targetMinutes: 10, state: 'ok' });
    // Waiting for the customer, not for us: no target.
    expect(byName.pending).toBeNull();
    const lateWaiting = (await app.call('GET', `/api/v1/conversations/${ids.late}`, { token })).body.waitingSince as string;
    expect(Date.parse(byName.late!.dueAt) - Date.parse(lateWaiting)).toBe(10 * 60_000);

    // Page by page, the same order with nothing twice.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`sort=speed&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items.map((i) => nameOf(i.id)!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['late', 'risky', 'fresh', 'pending']);
  });

  it('refuses targets for unknown channels or out of range, and keeps the ones it had', async () => {
    for (const speedTargets of [{ fax: 5 }, { api: 0 }, { api: 1.5 }, { email: 20_000 }, { api: '10' }]) {
      const res = await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { speedTargets } });
      expect(res.status, JSON.stringify(speedTargets)).toBe(422);
      expect(res.body.error.code).toBeTruthy();
    }
    const unknown = await app.call('PATCH', '/api/v1/certainty/settings', { token, body: { speedTargets: { fax: 5 } } });
    expect(JSON.stringify(unknown.body.error)).toContain('speedTargets');
    const settings = await app.call('GET', '/api/v1/certainty/settings', { token });
    expect(settings.body.speedTargets).toEqual({ api: 10 });
  });

  it('lets only admins change the targets', async () => {
    const agent = await addMember(app, workspaceId, 'agent');
    const res = await app.call('PATCH', '/api/v1/certainty/settings', { token: agent.token, body: { speedTargets: { api: 1 } } });
    expect(res.status).toBe(403);
    // Agents still see the targets on their list.
    expect((await app.call('GET', '/api/v1/conversations?sort=speed', { token: agent.token })).status).toBe(200);
  });
});
