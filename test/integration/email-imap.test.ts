import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createEmailInbox, fakeDns } from '../support/email';
import { startDovecot, type Dovecot } from '../support/dovecot';

let app: TestApp;
let token: string;
let dovecot: Dovecot;
let inboxId: string;

async function imap<T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout();
  }
}
const append = (id: string, subject: string, from = 'klant@imap.test') =>
  imap((c) => c.append('INBOX', `From: ${from}\r\nTo: support@acme.test\r\nSubject: ${subject}\r\nMessage-ID: ${id}\r\nDate: ${new Date().toUTCString()}\r\n\r\nBody of ${subject}\r\n`));
const seenFlags = () =>
  imap(async (c) => {
    await c.mailboxOpen('INBOX');
    const out: Record<string, boolean> = {};
    for await (const m of c.fetch('1:*', { envelope: true, flags: true })) out[m.envelope?.messageId ?? '?'] = m.flags?.has('\\Seen') ?? false;
    return out;
  });
const rawCount = async () =>
  Number((await app.balie.services.store.rows<{ n: number }>(sql`select count(*)::int as n from email_raw_messages where inbox_id = ${inboxId}`))[0]!.n);

beforeAll(async () => {
  dovecot = await startDovecot();
  app = await createTestApp();
  app.balie.services.dnsResolver = fakeDns();
  token = (await setupWorkspace(app)).apiToken;
  inboxId = (
    await createEmailInbox(app, token, {
      address: 'support@acme.test',
      imapHost: '127.0.0.1',
      imapPort: dovecot.port,
      imapSecure: false,
      imapUser: dovecot.user,
      imapPassword: dovecot.password,
      // These tests drive the poll by hand; IDLE has its own file (email-imap-idle.test.ts).
      imapIdle: false,
    })
  ).id;
}, 240_000);
afterAll(async () => {
  await app?.close();
  await dovecot?.stop();
});

describe('IMAP mailboxes (real Dovecot)', () => {
  it('fetches new mail, marks it Seen only after commit and resumes by UID', async () => {
    await append('<imap-1@imap.test>', 'Eerste');
    await append('<imap-2@imap.test>', 'Tweede');
    const first = await app.call('POST', `/api/v1/inboxes/${inboxId}/email/poll`, { token });
    expect(first.body).toEqual({ fetched: 2 });
    const list = await app.call('GET', '/api/v1/conversations?status=open', { token });
    expect(list.body.items.map((c: { subject: string }) => c.subject).sort()).toEqual(['Eerste', 'Tweede']);
    expect(await seenFlags()).toEqual({ '<imap-1@imap.test>': true, '<imap-2@imap.test>': true });

    await append('<imap-3@imap.test>', 'Derde');
    expect((await app.call('POST', `/api/v1/inboxes/${inboxId}/email/poll`, { token })).body).toEqual({ fetched: 1 });
    expect((await app.call('POST', `/api/v1/inboxes/${inboxId}/email/poll`, { token })).body).toEqual({ fetched: 0 });
    expect(await rawCount()).toBe(3);
    const [state] = await app.balie.services.store.rows<{ last_uid: number; uid_validity: string }>(sql`select last_uid, uid_validity from email_imap_state where inbox_id = ${inboxId}`);
    expect(Number(state!.last_uid)).toBe(3);
    expect(state!.uid_validity).toMatch(/^\d+$/);
  });

  it('starts over on a new UIDVALIDITY without duplicating messages', async () => {
    await app.balie.services.store.rows(sql`update email_imap_state set uid_validity = '1' where inbox_id = ${inboxId}`);
    expect((await app.call('POST', `/api/v1/inboxes/${inboxId}/email/poll`, { token })).body).toEqual({ fetched: 3 });
    expect(await rawCount()).toBe(3);
    const msgs = await app.balie.services.store.rows<{ n: number }>(sql`select count(*)::int as n from messages where inbox_id = ${inboxId}`);
    expect(Number(msgs[0]!.n)).toBe(3);
  });

  it('"check IMAP" reports success and clear errors', async () => {
    const ok = await app.call('POST', `/api/v1/inboxes/${inboxId}/email/check-imap`, { token });
    expect(ok.body).toMatchObject({ ok: true, detail: expect.stringMatching(/^INBOX: 3 messages/) });
    await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token, body: { settings: { imapPassword: 'wrong-password' } } });
    const bad = await app.call('POST', `/api/v1/inboxes/${inboxId}/email/check-imap`, { token });
    expect(bad.body).toMatchObject({ ok: false, code: 'imap_auth_failed' });
    await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token, body: { settings: { imapPassword: dovecot.password, imapPort: 1 } } });
    const refused = await app.call('POST', `/api/v1/inboxes/${inboxId}/email/check-imap`, { token });
    expect(refused.body).toMatchObject({ ok: false, code: 'imap_connection_refused' });
    await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token, body: { settings: { imapPort: dovecot.port, imapMailbox: 'Nope' } } });
    const missing = await app.call('POST', `/api/v1/inboxes/${inboxId}/email/check-imap`, { token });
    expect(missing.body).toMatchObject({ ok: false, code: 'imap_no_mailbox' });
    const inbox = await app.call('GET', `/api/v1/inboxes/${inboxId}`, { token });
    expect(JSON.stringify(inbox.body)).not.toContain(dovecot.password);
    expect(inbox.body.secretsSet).toEqual(['imapPassword']);
  });
});
