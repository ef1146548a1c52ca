import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIT_END, HIT_START } from '../../src/shared/agent-app';
import { addMember, createApiInbox, createSecondWorkspace, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';

/** The endpoints the agent app is built on: view counts, search, bulk actions, notifications, preferences. */
let app: TestApp;
let owner: { workspaceId: string; userId: string; apiToken: string };
let token: string;
let inboxA: string;
let inboxB: string;
let agent: { userId: string; token: string };

async function conversation(inboxId: string, content: string, contact: Record<string, string> = { email: `c-${crypto.randomUUID()}@example.com` }) {
  const r = await inbound(app, token, inboxId, { externalId: crypto.randomUUID(), contact, content });
  expect(r.status).toBe(201);
  return r.body as { conversationId: string; contactId: string; messageId: string };
}
const counts = async (t = token) => (await app.call('GET', '/api/v1/conversations/counts', { token: t })).body;

beforeAll(async () => {
  app = await createTestApp();
  owner = await setupWorkspace(app);
  token = owner.apiToken;
  inboxA = (await createApiInbox(app, token, {}, 'Winkel')).id;
  inboxB = (await createApiInbox(app, token, {}, 'Zakelijk')).id;
  agent = await addMember(app, owner.workspaceId, 'agent', 'Lotte');
  // The agent may work in inbox A only.
  expect((await app.call('PATCH', `/api/v1/inboxes/${inboxA}`, { token, body: { memberIds: [agent.userId] } })).status).toBe(200);
  for (const name of ['storing', 'factuur']) expect((await app.call('POST', '/api/v1/labels', { token, body: { name } })).status).toBe(201);
});
afterAll(() => app.close());

describe('view counts', () => {
  it('counts per view, status, inbox and label, and unread per view — only what the actor may see', async () => {
    const before = await counts();
    const a1 = await conversation(inboxA, 'eerste');
    const a2 = await conversation(inboxA, 'tweede');
    const b1 = await conversation(inboxB, 'derde');
    await app.call('POST', `/api/v1/conversations/${a1.conversationId}/assign`, { token, body: { assigneeId: owner.userId } });
    await app.call('PUT', `/api/v1/conversations/${a2.conversationId}/labels`, { token, body: { labels: ['storing'] } });
    await app.call('POST', `/api/v1/conversations/${b1.conversationId}/status`, { token, body: { status: 'pending' } });

    const c = await counts();
    expect(c.views.all.open - before.views.all.open).toBe(2);
    expect(c.views.all.pending - before.views.all.pending).toBe(1);
    expect(c.views.mine.open - before.views.mine.open).toBe(1);
    expect(c.views.unassigned.open - before.views.unassigned.open).toBe(1);
    expect(c.inboxes[inboxA].open - (before.inboxes[inboxA]?.open ?? 0)).toBe(2);
    expect(c.inboxes[inboxB].pending - (before.inboxes[inboxB]?.pending ?? 0)).toBe(1);
    expect(c.labels.storing.open - (before.labels.storing?.open ?? 0)).toBe(1);
    expect(c.unread.all - before.unread.all).toBe(2);

    // Reading one conversation lowers the unread count for this agent only.
    await app.call('POST', `/api/v1/conversations/${a1.conversationId}/read`, { token });
    expect((await counts()).unread.mine).toBe(before.unread.mine);
    expect((await counts()).unread.all).toBe(c.unread.all - 1);

    // The agent sees inbox A only.
    const ca = await counts(agent.token);
    expect(ca.inboxes[inboxB]).toBeUndefined();
    expect(ca.views.all.pending).toBe(0);
    expect(ca.views.all.open).toBe(c.inboxes[inboxA].open);
  });

  it('does not count another workspace', async () => {
    const other = await createSecondWorkspace(app, 'Ander');
    const inbox = await createApiInbox(app, other.apiToken);
    await inbound(app, other.apiToken, inbox.id, { externalId: 'x', contact: { email: 'x@example.org' }, content: 'elders' });
    const c = await counts(other.apiToken);
    expect(c.views.all.open).toBe(1);
    expect(Object.keys(c.inboxes)).toEqual([inbox.id]);
  });
});

describe('search', () => {
  it('finds message text by Dutch and English stems and marks the hits', async () => {
    const { conversationId } = await conversation(inboxA, 'Mijn fietsen zijn gestolen bij het station', { email: 'fiets@example.com', name: 'Femke Fietser' });
    await conversation(inboxA, 'The invoices were wrong again');
    const r = await app.call('GET', '/api/v1/search?q=fiets', { token });
    expect(r.status).toBe(200);
    const hit = r.body.messages.find((m: any) => m.conversation.id === conversationId);
    expect(hit.highlight).toContain(`${HIT_START}fietsen${HIT_END}`);
    expect(hit.conversation.contactName).toBe('Femke Fietser');
    // Contacts by name, with the hit marked.
    expect(r.body.contacts.map((c: any) => c.highlight)).toContain(`Femke ${HIT_START}Fiets${HIT_END}er · ${HIT_START}fiets${HIT_END}@example.com`);

    const en = await app.call('GET', '/api/v1/search?q=invoice', { token });
    expect(en.body.messages[0].highlight).toContain(`${HIT_START}invoices${HIT_END}`);
  });

  it('finds a conversation by its number', async () => {
    const { conversationId } = await conversation(inboxA, 'nummer');
    const conv = (await app.call('GET', `/api/v1/conversations/${conversationId}`, { token })).body;
    const r = await app.call('GET', `/api/v1/search?q=%23${conv.number}`, { token });
    expect(r.body.conversations.map((c: any) => c.id)).toContain(conversationId);
  });

  it('never shows what the agent may not see, and treats operators as text', async () => {
    await conversation(inboxB, 'Geheimzinnige zakelijke offerte');
    const admin = await app.call('GET', '/api/v1/search?q=geheimzinnige', { token });
    expect(admin.body.messages).toHaveLength(1);
    const ag = await app.call('GET', '/api/v1/search?q=geheimzinnige', { token: agent.token });
    expect(ag.body.messages).toHaveLength(0);
    const weird = await app.call('GET', `/api/v1/search?q=${encodeURIComponent("!&|:*() ' fiets <b>")}`, { token });
    expect(weird.status).toBe(200);
  });

  it('finds old and new messages across its recency windows, newest first, and subjects and contact names', async () => {
    const ids: string[] = [];
    for (const content of ['Zonnepaneel omvormer piept (nu)', 'Zonnepaneel omvormer piept (vorige week)', 'Zonnepaneel omvormer piept (vorig jaar)']) {
      ids.push((await conversation(inboxA, content)).messageId);
    }
    // Backdate two of them into the older windows (2–14 days, and older than 14 days).
    const db = app.balie.services.store;
    await db.rows(sql`update messages set created_at = now() - interval '7 days' where id = ${ids[1]}`);
    await db.rows(sql`update messages set created_at = now() - interval '400 days' where id = ${ids[2]}`);
    const r = await app.call('GET', '/api/v1/search?q=omvormer', { token });
    expect(r.body.messages.map((m: any) => m.message.id)).toEqual(ids);

    const { conversationId } = await conversation(inboxA, 'iets anders', { email: `w-${crypto.randomUUID()}@example.com`, name: 'Wessel Warmtepomp' });
    const byName = await app.call('GET', '/api/v1/search?q=warmtepomp', { token });
    expect(byName.body.conversations.map((c: any) => c.id)).toContain(conversationId);
  });

  it('refuses an empty query', async () => {
    const r = await app.call('GET', '/api/v1/search?q=%20', { token });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('validation_failed');
  });
});

describe('bulk actions', () => {
  it('assigns, labels, snoozes and resolves many conversations, reporting the ones it could not change', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await conversation(inboxA, `bulk ${i}`)).conversationId);
    const hidden = (await conversation(inboxB, 'niet voor de agent')).conversationId;

    const assign = await app.call('POST', '/api/v1/conversations/bulk', { token, body: { conversationIds: ids, action: { type: 'assign', assigneeId: agent.userId } } });
    expect(assign.status).toBe(200);
    expect(assign.body.succeeded.sort()).toEqual([...ids].sort());

    const label = await app.call('POST', '/api/v1/conversations/bulk', {
      token: agent.token,
      body: { conversationIds: [...ids, hidden], action: { type: 'labels', add: ['storing', 'Factuur'] } },
    });
    expect(label.body.succeeded).toHaveLength(3);
    expect(label.body.failed).toEqual([{ id: hidden, code: 'not_found', message: expect.any(String) }]);
    const one = (await app.call('GET', `/api/v1/conversations/${ids[0]}`, { token })).body;
    expect(one.labels).toEqual(['factuur', 'storing']);

    const removed = await app.call('POST', '/api/v1/conversations/bulk', { token, body: { conversationIds: ids, action: { type: 'labels', remove: ['factuur'] } } });
    expect(removed.body.succeeded).toHaveLength(3);
    expect((await app.call('GET', `/api/v1/conversations/${ids[1]}`, { token })).body.labels).toEqual(['storing']);

    const resolve = await app.call('POST', '/api/v1/conversations/bulk', { token, body: { conversationIds: ids, action: { type: 'status', status: 'resolved' } } });
    expect(resolve.body.succeeded).toHaveLength(3);
    // Snoozing needs a time: the state machine refuses it per conversation, the request itself succeeds.
    const snooze = await app.call('POST', '/api/v1/conversations/bulk', { token, body: { conversationIds: ids.slice(0, 1), action: { type: 'status', status: 'snoozed' } } });
    expect(snooze.status).toBe(200);
    expect(snooze.body.failed).toHaveLength(1);

    const acts = (await app.call('GET', `/api/v1/conversations/${ids[2]}/messages`, { token })).body.items.filter((m: any) => m.kind === 'activity');
    expect(acts.map((m: any) => m.contentAttributes.activity)).toEqual(['assigned', 'labels_changed', 'labels_changed', 'status_changed']);
  });

  it('rejects an unknown label and a bad body without changing anything', async () => {
    const { conversationId } = await conversation(inboxA, 'ongewijzigd');
    const r = await app.call('POST', '/api/v1/conversations/bulk', { token, body: { conversationIds: [conversationId], action: { type: 'labels', add: ['bestaat-niet'] } } });
    expect(r.body.failed[0].code).toBe('unknown_label');
    const bad = await app.call('POST', '/api/v1/conversations/bulk', { token, body: { conversationIds: [], action: { type: 'status', status: 'open' } } });
    expect(bad.status).toBe(422);
    const bad2 = await app.call('POST', '/api/v1/conversations/bulk', { token, body: { conversationIds: [conversationId], action: { type: 'explode' } } });
    expect(bad2.status).toBe(422);
    expect((await app.call('GET', `/api/v1/conversations/${conversationId}`, { token })).body.labels).toEqual([]);
  });
});

describe('notifications', () => {
  it('stores a notification for an assignment and a mention; the list and unread count follow reads', async () => {
    const list = async () => (await app.call('GET', '/api/v1/notifications', { token: agent.token })).body;
    await app.call('POST', '/api/v1/notifications/read', { token: agent.token, body: { all: true } });
    const { conversationId } = await conversation(inboxA, 'wie pakt dit op?');
    await app.call('POST', `/api/v1/conversations/${conversationId}/assign`, { token, body: { assigneeId: agent.userId } });
    await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, {
      token,
      body: { kind: 'note', content: '@Lotte kun jij dit even bellen?', mentions: [agent.userId] },
    });
    const l = await list();
    expect(l.unreadCount).toBe(2);
    expect(l.items.slice(0, 2).map((n: any) => n.kind)).toEqual(['mention', 'assigned']);
    expect(l.items[0]).toMatchObject({ conversationId, actorName: 'Owner', excerpt: '@Lotte kun jij dit even bellen?', readAt: null });
    expect(l.items[0].conversationNumber).toBeGreaterThan(0);

    // The owner's own list is not affected, and the owner cannot mark the agent's notifications.
    const mineOwner = await app.call('POST', '/api/v1/notifications/read', { token, body: { ids: [l.items[0].id] } });
    expect(mineOwner.body.marked).toBe(0);

    const read = await app.call('POST', '/api/v1/notifications/read', { token: agent.token, body: { conversationId } });
    expect(read.body.marked).toBe(2);
    expect((await list()).unreadCount).toBe(0);
  });

  it('sends the realtime nudge with the stored id', async () => {
    const { connectRealtime } = await import('../support/ws-client');
    const base = await app.listen();
    const ws = await connectRealtime(base, { token: agent.token });
    await ws.ready;
    const { conversationId } = await conversation(inboxA, 'live melding');
    await app.call('POST', `/api/v1/conversations/${conversationId}/assign`, { token, body: { assigneeId: agent.userId } });
    const frame = await ws.next((f) => f.type === 'event' && f.event.type === 'notification.created' && f.event.data.conversationId === conversationId);
    const stored = (await app.call('GET', '/api/v1/notifications', { token: agent.token })).body.items[0];
    expect(frame.event.data.notificationId).toBe(stored.id);
    ws.close();
  });

  it('paginates with a cursor', async () => {
    const first = await app.call('GET', '/api/v1/notifications?limit=1', { token: agent.token });
    expect(first.body.items).toHaveLength(1);
    const second = await app.call('GET', `/api/v1/notifications?limit=1&cursor=${first.body.nextCursor}`, { token: agent.token });
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect((await app.call('GET', '/api/v1/notifications?cursor=nonsense', { token: agent.token })).status).toBe(422);
  });
});

describe('preferences and channel kinds', () => {
  it('returns defaults, stores changes, and validates them', async () => {
    const d = await app.call('GET', '/api/v1/me/preferences', { token: agent.token });
    expect(d.body).toEqual({ notifySound: true, notifyBrowser: false, notifyNewConversations: false, sendWithEnter: false, locale: null });
    const p = await app.call('PATCH', '/api/v1/me/preferences', { token: agent.token, body: { notifySound: false, locale: 'en' } });
    expect(p.body).toMatchObject({ notifySound: false, locale: 'en' });
    expect((await app.call('GET', '/api/v1/me/preferences', { token: agent.token })).body.notifySound).toBe(false);
    const bad = await app.call('PATCH', '/api/v1/me/preferences', { token: agent.token, body: { notifySound: 'loud' } });
    expect(bad.status).toBe(422);
  });

  it('keeps both of two changes sent at the same time (no lost update)', async () => {
    await app.call('PATCH', '/api/v1/me/preferences', { token: agent.token, body: { notifySound: true, notifyBrowser: false } });
    const [a, b] = await Promise.all([
      app.call('PATCH', '/api/v1/me/preferences', { token: agent.token, body: { notifySound: false } }),
      app.call('PATCH', '/api/v1/me/preferences', { token: agent.token, body: { notifyBrowser: true } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await app.call('GET', '/api/v1/me/preferences', { token: agent.token })).body).toMatchObject({ notifySound: false, notifyBrowser: true });
    // And one change leaves the others alone.
    await app.call('PATCH', '/api/v1/me/preferences', { token: agent.token, body: { sendWithEnter: true } });
    expect((await app.call('GET', '/api/v1/me/preferences', { token: agent.token })).body).toMatchObject({ notifySound: false, notifyBrowser: true, sendWithEnter: true });
  });

  it('lists the available channel kinds with their settings schema', async () => {
    const r = await app.call('GET', '/api/v1/channel-kinds', { token });
    const api = r.body.items.find((k: any) => k.kind === 'api');
    expect(api.settingsSchema.properties.webhookUrl).toBeDefined();
    expect(api.secretsSchema.properties.webhookSecret).toBeDefined();
    expect(api.capabilities.attachments).toBe(true);
  });
});
