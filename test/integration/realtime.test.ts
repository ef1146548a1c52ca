import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createApiInbox, createSecondWorkspace, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';
import { connectRealtime } from '../support/ws-client';

let app: TestApp;
let base: string;
let owner: { workspaceId: string; userId: string; apiToken: string };

beforeAll(async () => {
  app = await createTestApp();
  owner = await setupWorkspace(app);
  base = await app.listen();
});
afterAll(() => app.close());

describe('realtime', () => {
  it('pushes an ingested message to the agents allowed to see it, and only to them', async () => {
    const inboxA = await createApiInbox(app, owner.apiToken, {}, 'RT A');
    const inboxB = await createApiInbox(app, owner.apiToken, {}, 'RT B');
    const agent = await addMember(app, owner.workspaceId, 'agent', 'Agent A');
    await app.call('PATCH', `/api/v1/inboxes/${inboxA.id}`, { token: owner.apiToken, body: { memberIds: [agent.userId] } });
    const other = await createSecondWorkspace(app, 'Elders');

    const admin = await connectRealtime(base, { token: owner.apiToken });
    const agentWs = await connectRealtime(base, { token: agent.token });
    const outsider = await connectRealtime(base, { token: other.apiToken });
    await Promise.all([admin.ready, agentWs.ready, outsider.ready]);

    const t0 = Date.now();
    const a = await inbound(app, owner.apiToken, inboxA.id, { externalId: 'rt-1', contact: { email: 'rt@example.com' }, content: 'live!' });
    const isMsg = (id: string) => (f: any) => f.type === 'event' && f.event.type === 'message.created' && f.event.data.message.conversationId === id;
    const seen = await agentWs.next(isMsg(a.body.conversationId));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(seen.event.data.message.content).toBe('live!');
    await admin.next(isMsg(a.body.conversationId));

    const b = await inbound(app, owner.apiToken, inboxB.id, { externalId: 'rt-2', contact: { email: 'rt2@example.com' }, content: 'not for the agent' });
    await admin.next(isMsg(b.body.conversationId));
    await new Promise((r) => setTimeout(r, 200));
    expect(agentWs.frames.some(isMsg(b.body.conversationId))).toBe(false);
    expect(outsider.frames.filter((f) => f.type === 'event')).toEqual([]);

    // Losing access takes effect live.
    await app.call('PATCH', `/api/v1/inboxes/${inboxA.id}`, { token: owner.apiToken, body: { memberIds: [] } });
    await agentWs.next((f) => f.type === 'event' && f.event.type === 'access.changed');
    await new Promise((r) => setTimeout(r, 100));
    const c = await inbound(app, owner.apiToken, inboxA.id, { externalId: 'rt-3', contact: { email: 'rt@example.com' }, content: 'after revoke' });
    const byId = (f: any) => f.type === 'event' && f.event.type === 'message.created' && f.event.data.message.id === c.body.messageId;
    await admin.next(byId);
    await new Promise((r) => setTimeout(r, 200));
    expect(agentWs.frames.some(byId)).toBe(false);
    for (const w of [admin, agentWs, outsider]) w.close();
  });

  it('shares who is viewing and typing between agents, not with themselves', async () => {
    const inbox = await createApiInbox(app, owner.apiToken, {}, 'RT presence');
    const conv = await inbound(app, owner.apiToken, inbox.id, { externalId: 'rt-p', contact: { email: 'p@example.com' }, content: 'hoi' });
    const colleague = await addMember(app, owner.workspaceId, 'admin', 'Collega');
    const me = await connectRealtime(base, { token: owner.apiToken });
    const them = await connectRealtime(base, { token: colleague.token });
    await Promise.all([me.ready, them.ready]);
    them.send({ type: 'presence', conversationId: conv.body.conversationId, state: 'typing' });
    const p = await me.next((f) => f.type === 'presence');
    expect(p.presence).toMatchObject({ conversationId: conv.body.conversationId, userId: colleague.userId, userName: 'Collega', state: 'typing' });
    await new Promise((r) => setTimeout(r, 100));
    expect(them.frames.some((f) => f.type === 'presence')).toBe(false);
    them.close();
    const left = await me.next((f) => f.type === 'presence' && f.presence.state === 'left');
    expect(left.presence.userId).toBe(colleague.userId);
    me.send({ type: 'nonsense' });
    expect((await me.next((f) => f.type === 'error')).error.code).toBe('invalid_message');
    me.close();
  });

  it('refuses unauthenticated and cross-site cookie connections', async () => {
    const anon = await connectRealtime(base, {});
    await expect(anon.ready).rejects.toThrow(/4401/);
    const login = await app.call('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'x' } });
    expect(login.status).toBe(401);
    const { createSession } = await import('../../src/app/auth');
    const { token } = await createSession(app.balie.services, owner.userId);
    const evil = await connectRealtime(base, { cookie: `balie_session=${token}`, origin: 'https://evil.example' });
    await expect(evil.ready).rejects.toThrow(/4403/);
    const good = await connectRealtime(base, { cookie: `balie_session=${token}`, origin: base });
    await good.ready;
    good.close();
  });

  it('delivers events too large for one NOTIFY by reference', async () => {
    const inbox = await createApiInbox(app, owner.apiToken, {}, 'RT big');
    const ws = await connectRealtime(base, { token: owner.apiToken });
    await ws.ready;
    const big = 'groot '.repeat(5000);
    const r = await inbound(app, owner.apiToken, inbox.id, { externalId: 'rt-big', contact: { email: 'big@example.com' }, content: big });
    const f = await ws.next((x) => x.type === 'event' && x.event.type === 'message.created' && x.event.data.message.conversationId === r.body.conversationId);
    expect(f.event.data.message.content).toBe(big);
    ws.close();
  });
});
