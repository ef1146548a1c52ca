import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createApiInbox, inbound, setupWorkspace, type TestApp } from '../support/app';

let app: TestApp;
let token: string;
let inboxId: string;
beforeAll(async () => {
  app = await createTestApp();
  token = (await setupWorkspace(app)).apiToken;
  inboxId = (await createApiInbox(app, token)).id;
});
afterAll(() => app.close());

const count = async (table: string) =>
  Number((await app.balie.services.store.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);

describe('the one ingest path (API channel)', () => {
  it('creates contact, conversation and message in one go', async () => {
    const res = await inbound(app, token, inboxId, { externalId: 'm-1', contact: { email: 'Jan@Example.NL', name: 'Jan Jansen' }, content: 'Mijn modem knippert oranje' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ duplicate: false, conversationCreated: true });
    const conv = await app.call('GET', `/api/v1/conversations/${res.body.conversationId}`, { token });
    expect(conv.body).toMatchObject({ status: 'open', channel: 'api', contact: { name: 'Jan Jansen', email: 'jan@example.nl' }, messageCount: 1, preview: 'Mijn modem knippert oranje' });
    expect(conv.body.waitingSince).not.toBeNull();
    const msgs = await app.call('GET', `/api/v1/conversations/${res.body.conversationId}/messages`, { token });
    expect(msgs.body.items).toHaveLength(1);
    expect(msgs.body.items[0]).toMatchObject({ direction: 'inbound', senderType: 'contact', senderName: 'Jan Jansen', content: 'Mijn modem knippert oranje', externalId: 'm-1' });
  });

  it('makes a redelivery a no-op', async () => {
    const before = { m: await count('messages'), c: await count('conversations'), k: await count('contacts'), o: await count('outbox') };
    const again = await inbound(app, token, inboxId, { externalId: 'm-1', contact: { email: 'jan@example.nl' }, content: 'Mijn modem knippert oranje' });
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect({ m: await count('messages'), c: await count('conversations'), k: await count('contacts'), o: await count('outbox') }).toEqual(before);
  });

  it('appends to the open conversation of the same customer, matched by normalized identity', async () => {
    const first = await inbound(app, token, inboxId, { externalId: 'p-1', contact: { phone: '06 1111 2222' }, content: 'Eerste' });
    const second = await inbound(app, token, inboxId, { externalId: 'p-2', contact: { phone: '+31611112222' }, content: 'Tweede' });
    expect(second.body.conversationId).toBe(first.body.conversationId);
    expect(second.body.contactId).toBe(first.body.contactId);
    expect(second.body.conversationCreated).toBe(false);
  });

  it('reopens a recently resolved conversation and starts a linked follow-up after the window', async () => {
    const a = await inbound(app, token, inboxId, { externalId: 'r-1', contact: { identifier: 'cust-9' }, content: 'Vraag' });
    const resolved = await app.call('POST', `/api/v1/conversations/${a.body.conversationId}/status`, { token, body: { status: 'resolved' } });
    expect(resolved.body.status).toBe('resolved');
    const b = await inbound(app, token, inboxId, { externalId: 'r-2', contact: { identifier: 'cust-9' }, content: 'Toch nog iets' });
    expect(b.body.conversationId).toBe(a.body.conversationId);
    const reopened = await app.call('GET', `/api/v1/conversations/${a.body.conversationId}`, { token });
    expect(reopened.body.status).toBe('open');

    // Reopen window 0 days: any later message starts a follow-up that points at the old case.
    await app.call('PATCH', '/api/v1/workspace', { token, body: { settings: { reopenWindowDays: 0 } } });
    await app.call('POST', `/api/v1/conversations/${a.body.conversationId}/status`, { token, body: { status: 'resolved' } });
    await new Promise((r) => setTimeout(r, 5));
    const c = await inbound(app, token, inboxId, { externalId: 'r-3', contact: { identifier: 'cust-9' }, content: 'Nieuwe vraag' });
    expect(c.body.conversationCreated).toBe(true);
    const follow = await app.call('GET', `/api/v1/conversations/${c.body.conversationId}`, { token });
    expect(follow.body.previousConversationId).toBe(a.body.conversationId);
    await app.call('PATCH', '/api/v1/workspace', { token, body: { settings: { reopenWindowDays: 7 } } });
  });

  it('handles the same message arriving concurrently exactly once', async () => {
    const body = { externalId: 'race-1', contact: { email: 'race@example.com' }, content: 'tegelijk' };
    const results = await Promise.all(Array.from({ length: 8 }, () => inbound(app, token, inboxId, body)));
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.messageId)).size).toBe(1);
    expect(results.filter((r) => !r.body.duplicate)).toHaveLength(1);
    const [row] = await app.balie.services.store.rows<{ n: number }>(sql`select count(*)::int as n from messages where external_id = 'race-1'`);
    expect(row!.n).toBe(1);
  });

  it('gives a new customer writing twice at once one contact and one conversation', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => inbound(app, token, inboxId, { externalId: `new-${i}`, contact: { email: 'newbie@example.com' }, content: `bericht ${i}` })),
    );
    expect(new Set(results.map((r) => r.body.contactId)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.conversationId)).size).toBe(1);
  });

  it('stores attachments once by content hash and serves them as safe downloads', async () => {
    const data = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');
    const r1 = await inbound(app, token, inboxId, { externalId: 'f-1', contact: { email: 'files@example.com' }, content: '', attachments: [{ fileName: 'plaatje\u200b.svg', contentType: 'image/svg+xml', data }] });
    await inbound(app, token, inboxId, { externalId: 'f-2', contact: { email: 'files@example.com' }, content: 'nog eens', attachments: [{ fileName: '../../etc/passwd', contentType: 'image/svg+xml', data }] });
    const msgs = await app.call('GET', `/api/v1/conversations/${r1.body.conversationId}/messages`, { token });
    const files = msgs.body.items.flatMap((m: { attachments: unknown[] }) => m.attachments);
    expect(files.map((f: { fileName: string }) => f.fileName)).toEqual(['plaatje.svg', '_.._etc_passwd']);
    const [shas] = await app.balie.services.store.rows<{ n: number }>(sql`select count(distinct sha256)::int as n from attachments`);
    expect(shas!.n).toBe(1);
    const dl = await app.call('GET', files[0].url, { token });
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toBe('application/octet-stream');
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    const inline = await app.call('GET', `${files[0].url}?inline=1`, { token });
    expect(inline.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('refuses invalid input without writing anything', async () => {
    const before = await count('messages');
    const cases = [
      { externalId: 'x', contact: {}, content: 'a' },
      { externalId: 'x', contact: { phone: 'not a phone' }, content: 'a' },
      { externalId: 'x', contact: { email: 'nope' }, content: 'a' },
      { externalId: '', contact: { email: 'a@example.com' }, content: 'a' },
      { externalId: 'x', contact: { email: 'a@example.com' }, content: 'a', attachments: [{ fileName: 'a', contentType: 'text/plain', data: '***' }] },
    ];
    for (const body of cases) {
      const res = await inbound(app, token, inboxId, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect(await count('messages')).toBe(before);
  });

  it('only accepts inbound messages on API inboxes', async () => {
    const other = await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Mail', kind: 'email', settings: { address: 'x@example.com' } } });
    if (other.status === 201) {
      const res = await inbound(app, token, other.body.id, { externalId: 'x', contact: { email: 'a@example.com' }, content: 'a' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('not_an_api_inbox');
    } else {
      expect(other.body.error.code).toBe('channel_not_available');
    }
  });
});
