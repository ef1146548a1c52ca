import crypto from 'node:crypto';
import { estimatedMessageMatches } from '../../src/app/conversation-list';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';
import { createHttpSink } from '../support/http-sink';

let app: TestApp;
let owner: { workspaceId: string; userId: string; apiToken: string };
let token: string;
let sink: Awaited<ReturnType<typeof createHttpSink>>;
let failFirst = 0;
let inbox: { id: string; generatedSecrets: { webhookSecret: string } };

beforeAll(async () => {
  sink = await createHttpSink((req, n) => {
    if (req.body.includes('permanent-fail')) return { status: 400 };
    if (failFirst > 0) {
      failFirst--;
      return { status: 503 };
    }
    return { status: 200, body: JSON.stringify({ id: `ext-${n}` }) };
  });
  app = await createTestApp();
  owner = await setupWorkspace(app);
  token = owner.apiToken;
  inbox = await createApiInbox(app, token, { webhookUrl: `${sink.url}/replies` });
  // Retries must be quick in tests: one second base delay.
  await app.balie.queue.boss.updateQueue('send-outbound', { name: 'send-outbound', retryLimit: 3, retryDelay: 1, retryBackoff: true, expireInSeconds: 60 });
});
afterAll(async () => {
  await app.close();
  await sink.close();
});

async function newConversation(content = 'Hallo', email = `c-${crypto.randomUUID()}@example.com`) {
  const r = await inbound(app, token, inbox.id, { externalId: crypto.randomUUID(), contact: { email, name: 'Klant' }, content });
  return r.body as { conversationId: string; contactId: string };
}
const messagesOf = async (id: string) => (await app.call('GET', `/api/v1/conversations/${id}/messages`, { token })).body.items as any[];

describe('replies through the API channel', () => {
  it('delivers a reply to the inbox webhook, signed, and marks it sent', async () => {
    const { conversationId } = await newConversation();
    const reply = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: 'We kijken ernaar en bellen u vóór 16:00.' } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ status: 'queued', direction: 'outbound', kind: 'message', senderName: 'Owner' });
    const sent = await app.until(async () => (await messagesOf(conversationId)).find((m) => m.id === reply.body.id && m.status === 'sent'));
    expect(sent.externalId).toMatch(/^ext-/);
    const delivered = sink.received.find((r) => r.headers['x-balie-delivery'] === reply.body.id)!;
    expect(delivered.headers['x-balie-signature']).toBe(`sha256=${crypto.createHmac('sha256', inbox.generatedSecrets.webhookSecret).update(delivered.body).digest('hex')}`);
    expect(JSON.parse(delivered.body).message.content).toBe('We kijken ernaar en bellen u vóór 16:00.');
    const conv = await app.call('GET', `/api/v1/conversations/${conversationId}`, { token });
    expect(conv.body.firstResponseAt).not.toBeNull();
    expect(conv.body.waitingSince).toBeNull();
  });

  it('retries a temporary failure and then succeeds, never sending twice', async () => {
    const { conversationId } = await newConversation();
    failFirst = 1;
    const reply = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: 'tweede poging' } });
    await app.until(async () => (await messagesOf(conversationId)).find((m) => m.id === reply.body.id && m.status === 'sent'), 20_000);
    const attempts = sink.received.filter((r) => r.headers['x-balie-delivery'] === reply.body.id);
    expect(attempts).toHaveLength(2);
  });

  it('shows a permanent failure with the reason, and can be retried by the agent', async () => {
    const { conversationId } = await newConversation();
    const reply = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: 'permanent-fail' } });
    const failed = await app.until(async () => (await messagesOf(conversationId)).find((m) => m.id === reply.body.id && m.status === 'failed'));
    expect(failed.statusReason).toMatch(/http_400/);
    const retry = await app.call('POST', `/api/v1/conversations/${conversationId}/messages/${reply.body.id}/retry`, { token });
    expect(retry.body.status).toBe('queued');
    expect((await app.call('POST', `/api/v1/conversations/${conversationId}/messages/${reply.body.id}/retry`, { token })).status).toBe(409);
  });

  it('keeps notes internal: never sent, marked for agents only', async () => {
    const { conversationId } = await newConversation();
    const note = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { kind: 'note', content: 'Klant is al 3x gebeld' } });
    expect(note.body).toMatchObject({ kind: 'note', direction: null });
    await app.balie.dispatcher.drain();
    await new Promise((r) => setTimeout(r, 300));
    // Only this note counts: the retry queued by the previous test may still reach the sink meanwhile.
    const leaked = sink.received.filter((r) => r.headers['x-balie-delivery'] === note.body.id || r.body.includes('Klant is al 3x gebeld'));
    expect(leaked).toHaveLength(0);
    const conv = await app.call('GET', `/api/v1/conversations/${conversationId}`, { token });
    expect(conv.body.firstResponseAt).toBeNull();
  });

  it('refuses empty replies and replies to closed conversations', async () => {
    const { conversationId } = await newConversation();
    expect((await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: '   ' } })).body.error.code).toBe('empty_message');
    await app.call('POST', `/api/v1/conversations/${conversationId}/status`, { token, body: { status: 'closed' } });
    const res = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: 'hallo?' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conversation_closed');
  });
});

describe('conversation actions', () => {
  it('assigns, labels, prioritizes, snoozes and resolves, leaving activities in the thread', async () => {
    const agent = await addMember(app, owner.workspaceId, 'agent', 'Lotte');
    const { conversationId } = await newConversation();
    const noAccess = await app.call('POST', `/api/v1/conversations/${conversationId}/assign`, { token, body: { assigneeId: agent.userId } });
    expect(noAccess.status).toBe(422);
    expect(noAccess.body.error.code).toBe('assignee_without_access');
    await app.call('PATCH', `/api/v1/inboxes/${inbox.id}`, { token, body: { memberIds: [agent.userId] } });
    const assigned = await app.call('POST', `/api/v1/conversations/${conversationId}/assign`, { token, body: { assigneeId: agent.userId } });
    expect(assigned.body.assigneeId).toBe(agent.userId);

    expect((await app.call('PUT', `/api/v1/conversations/${conversationId}/labels`, { token, body: { labels: ['bestaat-niet'] } })).body.error.code).toBe('unknown_label');
    await app.call('POST', '/api/v1/labels', { token, body: { name: 'Factuur' } });
    const labelled = await app.call('PUT', `/api/v1/conversations/${conversationId}/labels`, { token, body: { labels: ['factuur'] } });
    expect(labelled.body.labels).toEqual(['Factuur']);
    expect((await app.call('POST', `/api/v1/conversations/${conversationId}/priority`, { token, body: { priority: 'urgent' } })).body.priority).toBe('urgent');

    const past = await app.call('POST', `/api/v1/conversations/${conversationId}/snooze`, { token, body: { until: '2001-01-01T00:00:00Z' } });
    expect(past.body.error.code).toBe('snooze_in_past');
    const until = new Date(Date.now() + 3600_000).toISOString();
    const snoozed = await app.call('POST', `/api/v1/conversations/${conversationId}/snooze`, { token, body: { until } });
    expect(snoozed.body).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    const resolved = await app.call('POST', `/api/v1/conversations/${conversationId}/status`, { token, body: { status: 'resolved' } });
    expect(resolved.body.status).toBe('resolved');
    expect((await app.call('POST', `/api/v1/conversations/${conversationId}/status`, { token, body: { status: 'pending' } })).status).toBe(409);

    const activities = (await messagesOf(conversationId)).filter((m) => m.kind === 'activity').map((m) => m.contentAttributes.activity);
    expect(activities).toEqual(['assigned', 'labels_changed', 'priority_changed', 'status_changed', 'status_changed']);
  });

  it('wakes snoozed conversations when their time comes', async () => {
    const { conversationId } = await newConversation();
    const until = new Date(Date.now() + 300).toISOString();
    await app.call('POST', `/api/v1/conversations/${conversationId}/snooze`, { token, body: { until } });
    await new Promise((r) => setTimeout(r, 400));
    const { wakeSnoozed } = await import('../../src/app/conversations');
    await wakeSnoozed(app.balie.services);
    expect((await app.call('GET', `/api/v1/conversations/${conversationId}`, { token })).body.status).toBe('open');
  });

  it('renames a label everywhere it is used', async () => {
    const { conversationId } = await newConversation();
    const label = await app.call('POST', '/api/v1/labels', { token, body: { name: 'oud' } });
    await app.call('PUT', `/api/v1/conversations/${conversationId}/labels`, { token, body: { labels: ['oud'] } });
    await app.call('PATCH', `/api/v1/labels/${label.body.id}`, { token, body: { name: 'nieuw' } });
    expect((await app.call('GET', `/api/v1/conversations/${conversationId}`, { token })).body.labels).toEqual(['nieuw']);
  });
});

describe('listing and searching', () => {
  it('filters, sorts and paginates with cursors without gaps or repeats', async () => {
    const mine = await createApiInbox(app, token, {}, 'Lijst');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await inbound(app, token, mine.id, { externalId: `list-${i}`, contact: { email: `list${i}@example.com` }, content: `Bericht nummer ${i}` });
      ids.push(r.body.conversationId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await app.call('GET', `/api/v1/conversations?inboxId=${mine.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token });
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const oldest = await app.call('GET', `/api/v1/conversations?inboxId=${mine.id}&sort=oldest&limit=2`, { token });
    expect(oldest.body.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    const waiting = await app.call('GET', `/api/v1/conversations?inboxId=${mine.id}&sort=waiting&limit=1`, { token });
    expect(waiting.body.items[0].id).toBe(ids[0]);
    const unassigned = await app.call('GET', `/api/v1/conversations?inboxId=${mine.id}&assigneeId=none`, { token });
    expect(unassigned.body.items).toHaveLength(7);
    expect(unassigned.body.items.every((c: { unread: boolean }) => c.unread)).toBe(true);
    await app.call('POST', `/api/v1/conversations/${ids[0]}/read`, { token });
    const after = await app.call('GET', `/api/v1/conversations?inboxId=${mine.id}&sort=oldest&limit=1`, { token });
    expect(after.body.items[0].unread).toBe(false);
  });

  it('finds conversations by Dutch and English stems, contact and case number', async () => {
    const a = await newConversation('De fietsen zijn niet geleverd');
    const b = await newConversation('My invoices were charged twice', 'billing.person@example.com');
    const hit = async (q: string) => (await app.call('GET', `/api/v1/conversations?status=all&q=${encodeURIComponent(q)}`, { token })).body.items.map((c: { id: string }) => c.id);
    expect(await hit('fiets')).toContain(a.conversationId);
    expect(await hit('invoice charge')).toContain(b.conversationId);
    expect(await hit('billing.person')).toContain(b.conversationId);
    const number = (await app.call('GET', `/api/v1/conversations/${b.conversationId}`, { token })).body.number;
    expect(await hit(`#${number}`)).toEqual([b.conversationId]);
    // When a walk over the newest conversations runs out of time, the planner's estimate of matching messages
    // picks the next strategy: it must parse on both drivers and never read rows.
    const estimate = await estimatedMessageMatches(app.balie.services.store.db, owner.workspaceId, 'fiets geleverd');
    expect(Number.isFinite(estimate) && estimate >= 0).toBe(true);
  });

  it('hides conversations of inboxes an agent has no access to', async () => {
    const agent = await addMember(app, owner.workspaceId, 'agent');
    const { conversationId } = await newConversation('privé');
    expect((await app.call('GET', `/api/v1/conversations/${conversationId}`, { token: agent.token })).status).toBe(404);
    const list = await app.call('GET', '/api/v1/conversations?status=all', { token: agent.token });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(conversationId);
  });
});

describe('contacts, timeline and merge', () => {
  it('merges two contacts into one history and audits it', async () => {
    const email = await newConversation('Via e-mail', 'merge-me@example.com');
    const api2 = await createApiInbox(app, token, {}, 'Tweede kanaal');
    const phone = await inbound(app, token, api2.id, { externalId: 'merge-phone', contact: { phone: '0612121212', name: 'M. Erge' }, content: 'Via telefoon' });
    const preview = await app.call('GET', `/api/v1/contacts/${email.contactId}/merge-preview?sourceId=${phone.body.contactId}`, { token });
    expect(preview.body).toMatchObject({ conversations: 1, identities: 1 });
    const merged = await app.call('POST', `/api/v1/contacts/${email.contactId}/merge`, { token, body: { sourceId: phone.body.contactId } });
    expect(merged.status).toBe(200);
    expect(merged.body.identities.map((i: { kind: string }) => i.kind).sort()).toEqual(['email', 'phone']);
    expect(merged.body.phone).toBe('+31612121212');
    const timeline = await app.call('GET', `/api/v1/contacts/${email.contactId}/timeline`, { token });
    const convIds = new Set(timeline.body.items.filter((i: { type: string }) => i.type === 'conversation').map((i: any) => i.conversation.id));
    expect(convIds).toEqual(new Set([email.conversationId, phone.body.conversationId]));
    const old = await app.call('GET', `/api/v1/contacts/${phone.body.contactId}`, { token });
    expect(old.body.mergedIntoId).toBe(email.contactId);
    // The next message from the phone number lands on the surviving contact.
    const next = await inbound(app, token, api2.id, { externalId: 'merge-phone-2', contact: { phone: '+31612121212' }, content: 'Nog een vraag' });
    expect(next.body.contactId).toBe(email.contactId);
    expect((await app.call('POST', `/api/v1/contacts/${email.contactId}/merge`, { token, body: { sourceId: email.contactId } })).status).toBe(422);
    const audit = await app.call('GET', '/api/v1/audit-log', { token });
    expect(audit.body.items.some((e: { action: string }) => e.action === 'contact.merged')).toBe(true);
  });

  it('exports and erases a contact completely', async () => {
    const { contactId, conversationId } = await newConversation('Mijn gegevens graag verwijderen', 'gdpr@example.com');
    const exp = await app.call('GET', `/api/v1/contacts/${contactId}/export`, { token });
    expect(exp.body.contact.email).toBe('gdpr@example.com');
    expect(exp.body.conversations[0].messages[0].content).toBe('Mijn gegevens graag verwijderen');
    const erased = await app.call('DELETE', `/api/v1/contacts/${contactId}`, { token });
    expect(erased.body).toEqual({ conversations: 1, files: 0 });
    expect((await app.call('GET', `/api/v1/conversations/${conversationId}`, { token })).status).toBe(404);
    expect((await app.call('GET', `/api/v1/contacts?q=gdpr`, { token })).body.items).toEqual([]);
  });

  it('refuses to give one identity to two contacts', async () => {
    await app.call('POST', '/api/v1/contacts', { token, body: { name: 'Een', email: 'dubbel@example.com' } });
    const res = await app.call('POST', '/api/v1/contacts', { token, body: { name: 'Twee', email: 'DUBBEL@example.com' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('identity_taken');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response and refuses a different body', async () => {
    const headers = { 'idempotency-key': 'contact-create-1' };
    const a = await app.call('POST', '/api/v1/contacts', { token, headers, body: { name: 'Eenmalig', email: 'once@example.com' } });
    const b = await app.call('POST', '/api/v1/contacts', { token, headers, body: { name: 'Eenmalig', email: 'once@example.com' } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const c = await app.call('POST', '/api/v1/contacts', { token, headers, body: { name: 'Anders' } });
    expect(c.status).toBe(422);
    expect(c.body.error.code).toBe('idempotency_key_reused');
  });
});
