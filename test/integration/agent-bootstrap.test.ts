import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createApiInbox, createSecondWorkspace, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';

/**
 * GET /api/v1/agent-app/bootstrap: the seven reference lists the agent app loads after login in one answer. Each
 * part must equal what its own endpoint returns for the same caller (an agent sees only their inboxes and
 * counts), and nothing of another workspace.
 */
let app: TestApp;
let owner: { workspaceId: string; userId: string; apiToken: string };
let agent: { userId: string; token: string };
let inboxA: string;
let inboxB: string;

const get = async (url: string, token: string) => {
  const res = await app.call('GET', url, { token });
  expect(res.status, res.text).toBe(200);
  return res.body;
};
/** What the app fetched one by one before, in the shape of the bootstrap. */
async function oneByOne(token: string) {
  const [inboxes, users, teams, labels, preferences, counts, notifications] = await Promise.all(
    ['/api/v1/inboxes', '/api/v1/users', '/api/v1/teams', '/api/v1/labels', '/api/v1/me/preferences', '/api/v1/conversations/counts', '/api/v1/notifications?limit=30'].map((u) => get(u, token)),
  );
  return { inboxes: inboxes.items, users: users.items, teams: teams.items, labels: labels.items, preferences, counts, notifications };
}

beforeAll(async () => {
  app = await createTestApp();
  owner = await setupWorkspace(app, 'Fietsfabriek');
  inboxA = (await createApiInbox(app, owner.apiToken, {}, 'Winkel')).id;
  inboxB = (await createApiInbox(app, owner.apiToken, {}, 'Zakelijk')).id;
  agent = await addMember(app, owner.workspaceId, 'agent', 'Lotte');
  expect((await app.call('PATCH', `/api/v1/inboxes/${inboxA}`, { token: owner.apiToken, body: { memberIds: [agent.userId] } })).status).toBe(200);
  expect((await app.call('POST', '/api/v1/labels', { token: owner.apiToken, body: { name: 'storing' } })).status).toBe(201);
  expect((await app.call('POST', '/api/v1/teams', { token: owner.apiToken, body: { name: 'Eerste lijn', memberIds: [agent.userId] } })).status).toBe(201);
  expect((await app.call('PATCH', '/api/v1/me/preferences', { token: agent.token, body: { notifySound: false, locale: 'en' } })).status).toBe(200);
  const a = await inbound(app, owner.apiToken, inboxA, { externalId: 'b-1', contact: { email: 'a@example.nl' }, content: 'Waar blijft mijn fiets?' });
  await inbound(app, owner.apiToken, inboxB, { externalId: 'b-2', contact: { email: 'b@example.nl' }, content: 'Factuur klopt niet' });
  // A notification for the agent: the conversation is assigned to them.
  await app.call('POST', `/api/v1/conversations/${a.body.conversationId}/assign`, { token: owner.apiToken, body: { assigneeId: agent.userId } });
  await app.until(async () => (await get('/api/v1/notifications', agent.token)).unreadCount === 1);
});
afterAll(() => app.close());

describe('agent-app bootstrap', () => {
  it('returns for the owner exactly what the seven endpoints return', async () => {
    const boot = await get('/api/v1/agent-app/bootstrap', owner.apiToken);
    expect(boot).toEqual(await oneByOne(owner.apiToken));
    expect(boot.inboxes.map((i: { name: string }) => i.name)).toEqual(['Winkel', 'Zakelijk']);
    expect(boot.labels.map((l: { name: string }) => l.name)).toEqual(['storing']);
    expect(boot.counts.views.all.open).toBe(2);
  });

  it("gives an agent only their inboxes and counts, their own preferences and notifications", async () => {
    const boot = await get('/api/v1/agent-app/bootstrap', agent.token);
    expect(boot).toEqual(await oneByOne(agent.token));
    expect(boot.inboxes.map((i: { id: string }) => i.id)).toEqual([inboxA]);
    expect(boot.counts.inboxes[inboxB]).toBeUndefined();
    expect(boot.counts.views.mine.open).toBe(1);
    expect(boot.preferences).toMatchObject({ notifySound: false, locale: 'en' });
    expect(boot.notifications.unreadCount).toBe(1);
    expect(boot.notifications.items[0]).toMatchObject({ kind: 'assigned' });
    expect(boot.teams[0].memberIds).toEqual([agent.userId]);
  });

  it('shows another workspace nothing of this one', async () => {
    const other = await createSecondWorkspace(app, 'Ander');
    const boot = await get('/api/v1/agent-app/bootstrap', other.apiToken);
    expect(boot.inboxes).toEqual([]);
    expect(boot.labels).toEqual([]);
    expect(boot.teams).toEqual([]);
    expect(boot.users.map((u: { id: string }) => u.id)).toEqual([other.userId]);
    expect(boot.counts.views.all.open).toBe(0);
    expect(boot.notifications).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it('refuses a caller without a session or token', async () => {
    const res = await app.call('GET', '/api/v1/agent-app/bootstrap');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toMatch(/^[a-z_]+$/);
  });
});
