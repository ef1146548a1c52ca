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
const append = (id: string, subject: string) =>
  imap((c) => c.append('INBOX', `From: klant@idle.test\r\nTo: support@idle.test\r\nSubject: ${subject}\r\nMessage-ID: ${id}\r\nDate: ${new Date().toUTCString()}\r\n\r\nBody of ${subject}\r\n`));
const seen = () =>
  imap(async (c) => {
    await c.mailboxOpen('INBOX');
    const out: Record<string, boolean> = {};
    for await (const m of c.fetch('1:*', { envelope: true, flags: true })) out[m.envelope?.messageId ?? '?'] = m.flags?.has('\\Seen') ?? false;
    return out;
  });
const subjects = async () =>
  (await app.balie.services.store.rows<{ subject: string }>(sql`select subject from conversations where inbox_id = ${inboxId} order by subject`)).map((r) => r.subject);
const messageCount = async () => Number((await app.balie.services.store.rows<{ n: number }>(sql`select count(*)::int as n from messages where inbox_id = ${inboxId}`))[0]!.n);
const idling = () => app.until(async () => app.balie.imapIdle?.states().get(inboxId) === 'idling', 20_000);

/** Waits for a condition without the poll job: only the IDLE watcher can make it true. */
async function within<T>(ms: number, check: () => Promise<T | false>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return { value, ms: Date.now() - started };
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dovecot = await startDovecot();
  app = await createTestApp();
  app.balie.services.dnsResolver = fakeDns();
  token = (await setupWorkspace(app)).apiToken;
  // Mail that is already there before the watcher starts: its catch-up sync fetches it.
  await append('<idle-0@idle.test>', 'Al aanwezig');
  inboxId = (
    await createEmailInbox(app, token, {
      address: 'support@idle.test',
      imapHost: '127.0.0.1',
      imapPort: dovecot.port,
      imapSecure: false,
      imapUser: dovecot.user,
      imapPassword: dovecot.password,
    })
  ).id;
}, 240_000);
afterAll(async () => {
  await app?.close();
  await dovecot?.stop();
});

describe('IMAP IDLE (real Dovecot)', () => {
  it('keeps the mailbox in IDLE and catches up on what was already there', async () => {
    await idling();
    await within(10_000, async () => (await subjects()).includes('Al aanwezig'));
  });

  it('fetches a message appended while idling within seconds, marks it Seen after commit', async () => {
    await idling();
    await append('<idle-1@idle.test>', 'Nieuw tijdens IDLE');
    const arrived = await within(8_000, async () => (await subjects()).includes('Nieuw tijdens IDLE'));
    // The minute poll cannot have done this: it skips inboxes this process watches and runs once a minute.
    expect(arrived.ms).toBeLessThan(8_000);
    expect(await seen()).toMatchObject({ '<idle-0@idle.test>': true, '<idle-1@idle.test>': true });
    const [state] = await app.balie.services.store.rows<{ last_uid: number }>(sql`select last_uid from email_imap_state where inbox_id = ${inboxId}`);
    expect(Number(state!.last_uid)).toBe(2);
  });

  it('reconnects with backoff after the server goes away and resumes by UID without duplicates', async () => {
    await dovecot.down();
    await within(10_000, async () => app.balie.imapIdle?.states().get(inboxId) !== 'idling');
    await dovecot.up();
    // Delivered while Balie was disconnected: the reconnect's catch-up fetches it.
    await append('<idle-2@idle.test>', 'Tijdens storing');
    await within(20_000, async () => (await subjects()).includes('Tijdens storing'));
    await idling();
    await append('<idle-3@idle.test>', 'Na herstel');
    await within(8_000, async () => (await subjects()).includes('Na herstel'));
    expect(await messageCount()).toBe(4);
    expect(await subjects()).toEqual(['Al aanwezig', 'Na herstel', 'Nieuw tijdens IDLE', 'Tijdens storing']);
  });

  it('stops watching when IDLE is switched off for the inbox, and the poll takes over', async () => {
    await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token, body: { settings: { imapIdle: false } } });
    await within(10_000, async () => !app.balie.imapIdle?.states().has(inboxId));
    expect(app.balie.services.imapIdling?.(inboxId)).toBe(false);
    await append('<idle-4@idle.test>', 'Via de poll');
    // (The scheduled minute poll may get there first; either way it is the poll, not a watcher, that fetches.)
    await app.call('POST', `/api/v1/inboxes/${inboxId}/email/poll`, { token });
    expect(await subjects()).toContain('Via de poll');
    expect(await messageCount()).toBe(5);
  });
});
