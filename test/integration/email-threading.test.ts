import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';

/**
 * A corpus of real-world reply shapes. Each case sends the mail the way that client does (headers as they really
 * look) and checks which conversation it lands in.
 */
let app: TestApp;
let token: string;
let sink: Awaited<ReturnType<typeof createSmtpSink>>;
let client: ReturnType<typeof customerClient>;
let n = 0;

function raw(headers: Record<string, string | undefined>, body: string) {
  const lines = Object.entries({ 'MIME-Version': '1.0', Date: new Date().toUTCString(), 'Content-Type': 'text/plain; charset=utf-8', ...headers })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}

async function deliver(from: string, headers: Record<string, string | undefined>, body = 'Hallo', to = 'support@acme.test') {
  const id = headers['Message-ID'] ?? `<t${++n}.${Date.now()}@client.test>`;
  await client.sendRaw(raw({ From: from, To: to, 'Message-ID': id, ...headers }, body), { from: from.replace(/.*</, '').replace(/>.*/, ''), to: [to] });
  return app.until(async () => {
    const rows = await app.balie.services.store.rows<{ conversation_id: string }>(sql`select conversation_id from messages where external_id = ${id}`);
    return rows[0]?.conversation_id;
  });
}

/** A customer starts a thread, the agent answers; returns the conversation and our outbound mail. */
async function startThread(from: string, subject: string, extra: Record<string, string> = {}) {
  const firstId = `<start${++n}@mail.gmail.com>`;
  const conversationId = await deliver(from, { Subject: subject, 'Message-ID': firstId, ...extra }, 'Mijn vraag');
  const marker = `antwoord-${n}`;
  const res = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: marker } });
  expect(res.status).toBe(201);
  const ours = await app.until(async () => sink.messages.find((m) => m.text?.includes(marker)));
  const threadIndex = ours.headers.get('thread-index') as string;
  return { conversationId, firstId, ours, threadIndex };
}

beforeAll(async () => {
  sink = await createSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
  app.balie.services.dnsResolver = fakeDns();
  token = (await setupWorkspace(app)).apiToken;
  await createEmailInbox(app, token, { address: 'support@acme.test' });
  client = customerClient(await app.balie.listenSmtp(0, '127.0.0.1'));
}, 240_000);
afterAll(async () => {
  client.close();
  await app.close();
  await sink.close();
});

describe('threading corpus', () => {
  it('Gmail: In-Reply-To and References to our reply', async () => {
    const t = await startThread('Jan <jan@gmail.test>', 'Levering');
    const c = await deliver('Jan <jan@gmail.test>', { Subject: `Re: ${t.ours.subject}`, 'In-Reply-To': t.ours.messageId, References: `${t.firstId} ${t.ours.messageId}` }, 'Dank\r\n\r\nOn Tue, 1 Dec 2026 at 10:00, Acme <support@acme.test> wrote:\r\n> antwoord');
    expect(c).toBe(t.conversationId);
  });

  it('Outlook: only Thread-Index, subject changed and no token', async () => {
    const t = await startThread('Piet <piet@outlook.test>', 'Factuur');
    const child = Buffer.concat([Buffer.from(t.threadIndex, 'base64'), Buffer.from([1, 2, 3, 4, 5])]).toString('base64');
    const c = await deliver('Piet <piet@outlook.test>', { Subject: 'RE: Factuur klopt niet', 'Thread-Index': child, 'Thread-Topic': 'Factuur' });
    expect(c).toBe(t.conversationId);
  });

  it('Outlook: the customer’s own Thread-Index root threads their follow-up', async () => {
    const root = Buffer.concat([Buffer.from([0x01, 0xdb, 0x44, 0x55, 0x66, 0x77]), Buffer.alloc(16, 9)]);
    const first = await deliver('Kees <kees@outlook.test>', { Subject: 'Storing', 'Thread-Index': root.toString('base64') });
    const c = await deliver('Kees <kees@outlook.test>', { Subject: 'Nog iets', 'Thread-Index': Buffer.concat([root, Buffer.from([9, 9, 9, 9, 9])]).toString('base64') });
    expect(c).toBe(first);
  });

  it('Apple Mail: In-Reply-To and References with a Dutch attribution', async () => {
    const t = await startThread('An <an@icloud.test>', 'Retour');
    const c = await deliver('An <an@icloud.test>', { Subject: `Re: ${t.ours.subject}`, 'In-Reply-To': t.ours.messageId, References: t.ours.messageId, 'X-Mailer': 'Apple Mail (2.3774)' }, 'Prima\r\n\r\n> Op 1 dec. 2026, om 10:00 heeft Acme <support@acme.test> het volgende geschreven:\r\n> antwoord');
    expect(c).toBe(t.conversationId);
  });

  it('mobile client: In-Reply-To only, no References', async () => {
    const t = await startThread('Mo <mo@mobile.test>', 'Afspraak');
    const c = await deliver('Mo <mo@mobile.test>', { Subject: 'Re: Afspraak', 'In-Reply-To': t.ours.messageId }, 'Ok\r\n\r\nSent from my iPhone');
    expect(c).toBe(t.conversationId);
  });

  it('a forward of an unrelated mail starts a new conversation', async () => {
    const t = await startThread('Fee <fee@klant.test>', 'Vraag 1');
    const c = await deliver('Fee <fee@klant.test>', { Subject: 'Fwd: bevestiging bestelling' }, '---------- Forwarded message ---------\r\nVan: shop');
    expect(c).not.toBe(t.conversationId);
  });

  it('a reply from another address of the same person stays in the thread', async () => {
    const t = await startThread('Jan Werk <jan@werk.test>', 'Contract');
    const c = await deliver('Jan Prive <jan@thuis.test>', { Subject: `Re: ${t.ours.subject}`, 'In-Reply-To': t.ours.messageId, References: t.ours.messageId });
    expect(c).toBe(t.conversationId);
  });

  it('a reply with the quote and all thread headers stripped finds the thread by the reply-to address', async () => {
    const t = await startThread('Bo <bo@klant.test>', 'Adreswijziging');
    const replyTo = t.ours.replyTo && 'value' in t.ours.replyTo ? t.ours.replyTo.value[0]!.address! : '';
    const c = await deliver('Bo <bo@klant.test>', { Subject: 'nieuw adres' }, 'Kerkstraat 1', replyTo);
    expect(c).toBe(t.conversationId);
  });

  it('a CC’d third party replying lands in the same conversation', async () => {
    const t = await startThread('Lisa <lisa@bedrijf.test>', 'Offerte', { Cc: 'Tom <tom@bedrijf.test>' });
    const c = await deliver('Tom <tom@bedrijf.test>', { Subject: `Re: ${t.ours.subject}`, 'In-Reply-To': t.ours.messageId, References: `${t.firstId} ${t.ours.messageId}` });
    expect(c).toBe(t.conversationId);
  });

  it('a subject token alone threads only for the same customer', async () => {
    const t = await startThread('Sam <sam@klant.test>', 'Garantie');
    const token = /\[#\d+\]/.exec(t.ours.subject!)![0];
    expect(await deliver('Sam <sam@klant.test>', { Subject: `Re: Garantie ${token}` })).toBe(t.conversationId);
    expect(await deliver('Eve <eve@elders.test>', { Subject: `Re: Garantie ${token}` })).not.toBe(t.conversationId);
  });

  it('a reply to a conversation resolved long ago opens a new one linked to the old', async () => {
    const t = await startThread('Oud <oud@klant.test>', 'Oude zaak');
    expect((await app.call('POST', `/api/v1/conversations/${t.conversationId}/status`, { token, body: { status: 'resolved' } })).status).toBe(200);
    await app.balie.services.store.rows(sql`update conversations set resolved_at = now() - interval '40 days' where id = ${t.conversationId}`);
    const c = await deliver('Oud <oud@klant.test>', { Subject: `Re: ${t.ours.subject}`, 'In-Reply-To': t.ours.messageId });
    expect(c).not.toBe(t.conversationId);
    const [row] = await app.balie.services.store.rows<{ previous_conversation_id: string }>(sql`select previous_conversation_id from conversations where id = ${c}`);
    expect(row!.previous_conversation_id).toBe(t.conversationId);
  });
});
