import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships } from '../../src/store/schema';
import { addMember, createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';

let app: TestApp;
let owner: { workspaceId: string; userId: string; apiToken: string };
beforeAll(async () => {
  app = await createTestApp();
  owner = await setupWorkspace(app);
});
afterAll(() => app.close());

const seen = (userId: string, at: Date | null, availability: 'online' | 'busy' | 'offline' = 'online', capacity: number | null = null) =>
  app.balie.services.store.db
    .update(memberships)
    .set({ lastSeenAt: at, availability, capacity })
    .where(and(eq(memberships.workspaceId, owner.workspaceId), eq(memberships.userId, userId)));

describe('auto-assignment', () => {
  it('assigns new conversations round robin over online agents within capacity', async () => {
    const [a, b, c, d] = await Promise.all(['Ada', 'Bas', 'Cor', 'Dirk'].map((n) => addMember(app, owner.workspaceId, 'agent', n)));
    const inbox = await createApiInbox(app, owner.apiToken, {}, 'Auto');
    await app.call('PATCH', `/api/v1/inboxes/${inbox.id}`, { token: owner.apiToken, body: { autoAssign: true, memberIds: [a!.userId, b!.userId, c!.userId, d!.userId] } });
    await seen(a!.userId, new Date());
    await seen(b!.userId, new Date());
    await seen(c!.userId, new Date(Date.now() - 3600_000)); // gone for an hour: not online
    await seen(d!.userId, new Date(), 'busy');
    const assignees: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await inbound(app, owner.apiToken, inbox.id, { externalId: `aa-${i}`, contact: { email: `aa${i}@example.com` }, content: 'hallo' });
      const conv = await app.until(async () => {
        const x = await app.call('GET', `/api/v1/conversations/${r.body.conversationId}`, { token: owner.apiToken });
        return x.body.assigneeId ? x.body : null;
      });
      assignees.push(conv.assigneeId);
    }
    expect(new Set(assignees)).toEqual(new Set([a!.userId, b!.userId]));
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[2]).toBe(assignees[0]);

    // Ada is full (capacity 2 with 2 open): everything goes to Bas.
    await seen(a!.userId, new Date(), 'online', 2);
    const r = await inbound(app, owner.apiToken, inbox.id, { externalId: 'aa-cap', contact: { email: 'cap@example.com' }, content: 'hallo' });
    const conv = await app.until(async () => (await app.call('GET', `/api/v1/conversations/${r.body.conversationId}`, { token: owner.apiToken })).body.assigneeId);
    expect(conv).toBe(b!.userId);
    const activity = (await app.call('GET', `/api/v1/conversations/${r.body.conversationId}/messages`, { token: owner.apiToken })).body.items.find(
      (m: any) => m.kind === 'activity',
    );
    expect(activity.contentAttributes).toMatchObject({ activity: 'assigned', auto: true, assigneeName: 'Bas' });
  });

  it('leaves a conversation unassigned when nobody can take it', async () => {
    const inbox = await createApiInbox(app, owner.apiToken, {}, 'Nobody');
    await app.call('PATCH', `/api/v1/inboxes/${inbox.id}`, { token: owner.apiToken, body: { autoAssign: true, memberIds: [] } });
    const r = await inbound(app, owner.apiToken, inbox.id, { externalId: 'none-1', contact: { email: 'none@example.com' }, content: 'hallo' });
    await app.balie.dispatcher.drain();
    await new Promise((res) => setTimeout(res, 500));
    expect((await app.call('GET', `/api/v1/conversations/${r.body.conversationId}`, { token: owner.apiToken })).body.assigneeId).toBeNull();
  });
});

describe('failed jobs', () => {
  it('are visible to admins once retries are exhausted', async () => {
    const { boss } = app.balie.queue;
    await boss.updateQueue('auto-assign', { name: 'auto-assign', retryLimit: 0, retryDelay: 1, retryBackoff: false, expireInSeconds: 30 });
    // A job whose data the handler cannot use fails for good.
    await app.balie.queue.send('auto-assign', { workspaceId: owner.workspaceId });
    app.balie.queue.nudge('auto-assign');
    const failed = await app.until(async () => {
      const res = await app.call('GET', '/api/v1/jobs/failed', { token: owner.apiToken });
      return res.body.items.length ? res.body.items : null;
    });
    expect(failed[0]).toMatchObject({ queue: 'auto-assign', error: expect.stringContaining('conversationId') });
    const agent = await addMember(app, owner.workspaceId, 'agent');
    expect((await app.call('GET', '/api/v1/jobs/failed', { token: agent.token })).status).toBe(403);
  });
});
