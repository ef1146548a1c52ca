import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type Mail from 'nodemailer/lib/mailer';
import type { ParsedMail } from 'mailparser';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';
import { acknowledgeWithPromise } from '../../src/app/promises';

/**
 * Mail loops (RFC 3834): an out-of-office or list mail never gets an automatic answer, never reopens a case
 * and never counts as the customer answering; everything Balie sends by itself says Auto-Submitted, agents' replies don't.
 */
let app: TestApp;
let token: string;
let workspaceId: string;
let sink: Awaited<ReturnType<typeof createSmtpSink>>;
let client: ReturnType<typeof customerClient>;
let seq = 0;

const db = () => app.balie.services.store;
const conversationOf = async (messageId: string) =>
  (await db().rows<{ conversation_id: string }>(sql`select conversation_id from messages where external_id = ${messageId}`))[0]?.conversation_id;
const conversationRow = async (id: string) =>
  (await db().rows<{ status: string; waiting_since: string | null; last_inbound_at: string | null; last_activity_at: string; reopened_count: number; message_count: number }>(
    sql`select status, waiting_since, last_inbound_at, last_activity_at, reopened_count, message_count from conversations where id = ${id}`,
  ))[0]!;
const ackJobs = async (conversationId: string) =>
  Number((await db().rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'promise-ack' and data->>'conversationId' = ${conversationId}`))[0]!.n);
const header = (m: ParsedMail, name: string) => {
  const v = m.headers.get(name);
  return v === undefined ? undefined : String(v);
};
const sinkMail = (pred: (m: ParsedMail) => boolean) => app.until(async () => sink.messages.find(pred));

/** A customer mail through Balie's SMTP listener; resolves to its conversation. */
async function mail(opts: Omit<Mail.Options, 'from'> & { from?: string }) {
  const messageId = `<loop-${++seq}@klant.test>`;
  await client.send({ from: 'Jan <jan@klant.test>', to: 'support@acme.test', subject: 'Vraag', text: 'Hallo', messageId, ...opts });
  return { messageId, conversationId: await app.until(() => conversationOf(messageId)) };
}

async function agentReply(conversationId: string, content: string) {
  const res = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content } });
  expect(res.status).toBe(201);
  return sinkMail((m) => !!m.text?.includes(content));
}

async function setStatus(conversationId: string, status: string) {
  const res = await app.call('POST', `/api/v1/conversations/${conversationId}/status`, { token, body: { status } });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  sink = await createSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
  app.balie.services.dnsResolver = fakeDns();
  const ws = await setupWorkspace(app, 'Acme', 'owner@acme.test');
  token = ws.apiToken;
  workspaceId = ws.workspaceId;
  await createEmailInbox(app, token, { address: 'support@acme.test', fromName: 'Acme support' });
  client = customerClient(await app.balie.listenSmtp(0, '127.0.0.1'));
}, 240_000);
afterAll(async () => {
  client?.close();
  await app?.close();
  await sink?.close();
});

describe('auto-replies never get an automatic answer', () => {
  const shapes: Array<[string, Omit<Mail.Options, 'from'>]> = [
    ['Auto-Submitted: auto-replied', { headers: { 'Auto-Submitted': 'auto-replied' } }],
    ['Auto-Submitted: auto-generated', { headers: { 'Auto-Submitted': 'auto-generated' } }],
    ['X-Autoreply', { headers: { 'X-Autoreply': 'yes' } }],
    ['X-Autorespond', { headers: { 'X-Autorespond': 'Vacation' } }],
    ['Precedence: bulk', { headers: { Precedence: 'bulk' } }],
    ['Precedence: list', { headers: { Precedence: 'list' } }],
    ['Precedence: junk', { headers: { Precedence: 'junk' } }],
    ['List-Id', { headers: { 'List-Id': 'Klanten <klanten.lists.klant.test>' }, subject: 'Nieuws van de lijst' }],
    ['subject "Automatisch antwoord"', { subject: 'Automatisch antwoord: Uw bestelling' }],
    ['subject "Automatic reply"', { subject: 'Automatic reply: your order' }],
    ['subject "Out of Office"', { subject: 'Out of Office: vraag' }],
    ['subject "Afwezigheidsassistent"', { subject: 'Afwezigheidsassistent' }],
    ['Dutch out-of-office body', { subject: 'Re: Uw vraag', text: 'Bedankt voor uw bericht. Ik ben momenteel afwezig en ben op 3 juni weer terug.' }],
    ['English out-of-office body', { subject: 'Re: Your question', text: 'Thank you for your e-mail. I am currently out of the office until Monday.' }],
  ];
  for (const [name, shape] of shapes) {
    it(`${name}: stored and shown as automatic, no waiting time, no acknowledgement`, async () => {
      const { conversationId } = await mail({ from: `ooo-${seq}@klant.test`, ...shape });
      const row = await conversationRow(conversationId);
      expect(row.status).toBe('open');
      expect(row.waiting_since).toBeNull();
      expect(await ackJobs(conversationId)).toBe(0);
      // Even when the acknowledgement job runs for it (a stale job, a retry), it sends nothing.
      expect(await acknowledgeWithPromise(app.balie.services, { workspaceId, conversationId })).toBe('skipped');
      const msgs = (await app.call('GET', `/api/v1/conversations/${conversationId}/messages`, { token })).body.items as any[];
      expect(msgs).toHaveLength(1);
      expect(msgs[0]).toMatchObject({ direction: 'inbound', senderType: 'contact', contentAttributes: { automatic: true, email: { noise: expect.stringMatching(/^(auto_reply|bulk)$/) } } });
    });
  }

  it('a person writing gets the promise acknowledgement, marked Auto-Submitted: auto-replied', async () => {
    const { conversationId } = await mail({ from: 'mens@klant.test', subject: 'Vakantie naar Spanje annuleren', text: 'Ik kreeg alleen een automatisch antwoord. Kunt u mij helpen?' });
    expect((await conversationRow(conversationId)).waiting_since).not.toBeNull();
    expect(await ackJobs(conversationId)).toBe(1);
    expect(await acknowledgeWithPromise(app.balie.services, { workspaceId, conversationId })).toBe('sent');
    const ack = await sinkMail((m) => m.to !== undefined && 'value' in m.to && m.to.value[0]!.address === 'mens@klant.test');
    expect(header(ack, 'auto-submitted')).toBe('auto-replied');
    expect(header(ack, 'x-auto-response-suppress')).toBe('All');
  });
});

describe('an auto-reply to our reply', () => {
  it('does not reopen a resolved conversation and is no customer reply', async () => {
    const { conversationId } = await mail({ subject: 'Waar is mijn pakket?', text: 'Ik wacht al een week.' });
    const out = await agentReply(conversationId, 'Het pakket is onderweg.');
    // An agent's reply is a person writing: no Auto-Submitted.
    expect(header(out, 'auto-submitted')).toBeUndefined();
    expect(header(out, 'x-auto-response-suppress')).toBeUndefined();
    await setStatus(conversationId, 'resolved');
    const before = await conversationRow(conversationId);

    const ooo = await mail({ subject: `Automatisch antwoord: ${out.subject}`, text: 'Ik ben tot maandag afwezig.', inReplyTo: out.messageId, references: [out.messageId!], headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(ooo.conversationId).toBe(conversationId);
    const after = await conversationRow(conversationId);
    expect(after).toMatchObject({ status: 'resolved', waiting_since: null, reopened_count: before.reopened_count, message_count: before.message_count + 1 });
    expect(after.last_inbound_at).toEqual(before.last_inbound_at);
    expect(after.last_activity_at).toEqual(before.last_activity_at);
    const msgs = (await app.call('GET', `/api/v1/conversations/${conversationId}/messages`, { token })).body.items as any[];
    expect(msgs.find((m) => m.externalId === ooo.messageId)).toMatchObject({ content: expect.stringContaining('afwezig'), contentAttributes: { automatic: true, email: { noise: 'auto_reply' } } });

    // The customer writing for real still reopens it.
    const real = await mail({ subject: `Re: ${out.subject}`, text: 'Het is nog steeds niet aangekomen.', inReplyTo: out.messageId, references: [out.messageId!] });
    expect(real.conversationId).toBe(conversationId);
    expect(await conversationRow(conversationId)).toMatchObject({ status: 'open', reopened_count: before.reopened_count + 1 });
  });

  it('does not reopen a pending conversation nor start its waiting time, also when recognised by subject or body only', async () => {
    const { conversationId } = await mail({ subject: 'Factuur klopt niet', text: 'Er staat een fout op.' });
    const out = await agentReply(conversationId, 'Kunt u het factuurnummer sturen?');
    await setStatus(conversationId, 'pending');
    for (const shape of [{ subject: `Automatic reply: ${out.subject}` }, { subject: `Re: ${out.subject}`, text: 'Dit is een automatisch antwoord. Ik lees mijn mail na de vakantie.' }]) {
      const ooo = await mail({ text: 'Out of office.', ...shape, inReplyTo: out.messageId, references: [out.messageId!] });
      expect(ooo.conversationId).toBe(conversationId);
      expect(await conversationRow(conversationId)).toMatchObject({ status: 'pending', waiting_since: null });
    }
  });

  it('is no round trip for the ping-pong nudge', async () => {
    const { conversationId } = await mail({ subject: 'Retour', text: 'Hoe kan ik mijn bestelling retourneren?' });
    let last = await agentReply(conversationId, 'Via het retourformulier op de site.');
    for (let i = 0; i < 3; i++) {
      await mail({ subject: `Out of Office: ${last.subject}`, text: 'I am out of the office until next week and have limited access to e-mail.', inReplyTo: last.messageId, references: [last.messageId!], headers: { 'Auto-Submitted': 'auto-replied' } });
      last = await agentReply(conversationId, `Nog een aanvulling ${i}.`);
    }
    const nudge = await app.call('GET', `/api/v1/conversations/${conversationId}/call-suggestion`, { token });
    expect(nudge.status).toBe(200);
    expect(nudge.body.reasons.map((r: { kind: string }) => r.kind)).not.toContain('exchanges');
    expect(nudge.body.reasons.map((r: { kind: string }) => r.kind)).not.toContain('repeated_question');
  });
});

describe("Balie's own mail says it is automatic", () => {
  it('password resets and test mails carry Auto-Submitted: auto-generated', async () => {
    expect((await app.call('POST', '/api/v1/auth/password-reset', { body: { email: 'owner@acme.test' } })).status).toBe(202);
    const reset = await sinkMail((m) => m.to !== undefined && 'value' in m.to && m.to.value[0]!.address === 'owner@acme.test');
    expect(header(reset, 'auto-submitted')).toBe('auto-generated');

    const inboxes = (await app.call('GET', '/api/v1/inboxes', { token })).body.items as { id: string; kind: string }[];
    const id = inboxes.find((i) => i.kind === 'email')!.id;
    expect((await app.call('POST', `/api/v1/inboxes/${id}/email/test-mail`, { token, body: { to: 'test@elders.test' } })).body).toMatchObject({ ok: true });
    const test = await sinkMail((m) => m.subject === 'Balie test mail');
    expect(header(test, 'auto-submitted')).toBe('auto-generated');
  });
});

describe('throttle per sender (mail loops, floods)', () => {
  it('quarantines what one sender sends beyond the hourly limit, with the reason, and leaves others alone', async () => {
    const flood = await createEmailInbox(app, token, { address: 'flood@acme.test', senderLimitPerHour: 2 });
    const send = (from: string, n: number) => client.send({ from, to: 'flood@acme.test', subject: `Vraag ${n}`, text: `Bericht ${n}`, messageId: `<flood-${from}-${n}@klant.test>` });
    for (let n = 1; n <= 4; n++) await send('loop@klant.test', n);
    await send('ander@klant.test', 1);
    const quarantine = await app.until(async () => {
      const q = await app.call('GET', `/api/v1/inboxes/${flood.id}/email/quarantine`, { token });
      const items = q.body.items as { id: string; status: string; reason: string; messageKey: string }[];
      return items.filter((i) => i.status === 'quarantined').length === 2 ? items : null;
    });
    expect(quarantine.map((i) => i.messageKey).sort()).toEqual(['<flood-loop@klant.test-3@klant.test>', '<flood-loop@klant.test-4@klant.test>']);
    for (const item of quarantine) expect(item.reason).toBe('sender_throttled: more than 2 mails in an hour from loop@klant.test');
    // Held back, not dropped: the raw mail is there for an admin to read.
    const raw = await app.call('GET', `/api/v1/inboxes/${flood.id}/email/raw/${quarantine[0]!.id}`, { token });
    expect(raw.status).toBe(200);
    expect(raw.text).toContain('Bericht');
    const stored = await db().rows<{ external_id: string }>(sql`select external_id from messages where inbox_id = ${flood.id} order by external_id`);
    expect(stored.map((r) => r.external_id)).toEqual(['<flood-ander@klant.test-1@klant.test>', '<flood-loop@klant.test-1@klant.test>', '<flood-loop@klant.test-2@klant.test>']);
  });

  it('refuses a limit outside 1–10000', async () => {
    for (const senderLimitPerHour of [0, 10_001, 2.5]) {
      const res = await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Bad', kind: 'email', settings: { address: 'bad@acme.test', senderLimitPerHour } } });
      expect(res.status).toBe(422);
    }
  });
});
