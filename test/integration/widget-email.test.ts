import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eq } from 'drizzle-orm';
import { conversations } from '../../src/store/schema';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient } from '../support/email';
import { linkIn, sleep, widgetEmailHelpers } from '../support/widget-email';

/**
 * A widget visitor leaves an e-mail address (and confirms it by the link, widget-email-confirm.test.ts) and
 * goes away: the transcript goes out through the workspace's
 * e-mail inbox (real SMTP into a local sink); agent replies the visitor does not see in the widget follow by
 * e-mail once they have been away (batched, with the earlier conversation); the customer's e-mail answer (real
 * SMTP into Balie's listener) threads back into the ORIGINAL widget conversation; an address that belongs to
 * someone else is never claimed; with two tabs open, closing one keeps the visitor present; a failing mail
 * server never fails the chat message.
 */
const SITE = 'https://shop.example';
const AWAY_SECONDS = 1;
let app: TestApp;
let sink: Awaited<ReturnType<typeof createSmtpSink>>;
let client: ReturnType<typeof customerClient>;
let token: string;
let own: string;
let base: string;
let widgetId: string;
let emailInboxId: string;

beforeAll(async () => {
  sink = await createSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
  own = new URL(app.config.publicUrl).origin;
  base = await app.listen();
  token = (await setupWorkspace(app, 'Fietsfabriek')).apiToken;
  emailInboxId = (await createEmailInbox(app, token, { address: 'support@fiets.test', fromName: 'Fietsfabriek' })).id;
  widgetId = (await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Chat', kind: 'widget', settings: { allowedOrigins: [SITE], emailAfterAwaySeconds: AWAY_SECONDS } } })).body.id;
  client = customerClient(await app.balie.listenSmtp(0, '127.0.0.1'));
}, 240_000);
afterAll(async () => {
  client?.close();
  await app?.close();
  await sink?.close();
});

let visitors = 0;
/** Each visitor on a network of its own: the per-IP limit on new chats is not what this file tests. */
async function visitorConversation(content: string) {
  const remoteAddress = `198.51.100.${++visitors}`;
  const s = await app.call('POST', `/api/widget/v1/inboxes/${widgetId}/session`, { body: { hostOrigin: SITE, locale: 'nl' }, headers: { origin: own }, remoteAddress });
  const headers = { origin: own, 'x-widget-token': s.body.token as string };
  const sent = await app.call('POST', '/api/widget/v1/messages', { body: { clientId: `c-${Math.random().toString(36).slice(2, 10)}`, content, locale: 'nl' }, headers, remoteAddress });
  expect(sent.status).toBe(201);
  return { headers, token: s.body.token as string, conversationId: sent.body.conversationId as string };
}
const { chatMailsTo: mailsTo, confirmationsTo, pressConfirm, messagesOf, reply, emailConversations, contactOf, contact, mergeSuggestionsOf } = widgetEmailHelpers(() => ({ app, sink, token, emailInboxId }));
/** Asks for the conversation by e-mail and clicks the confirmation link that arrives. */
async function continueByEmail(headers: Record<string, string>, email: string) {
  const address = email.toLowerCase();
  const before = confirmationsTo(address).length;
  const res = await app.call('POST', '/api/widget/v1/transcript', { body: { email, locale: 'nl' }, headers });
  expect(res.status).toBe(200);
  expect(res.body.confirmationSent).toBe(true);
  const confirmation = await app.until(async () => confirmationsTo(address)[before]);
  return pressConfirm(linkIn(confirmation.text));
}
const handoffOf = async (conversationId: string, messageId: string) => (await messagesOf(conversationId)).find((m) => m.id === messageId)?.contentAttributes.emailHandoff;

describe('widget → e-mail continuation', () => {
  it('mails the transcript, mails unseen replies after the visitor is away, and threads the e-mail answer back into the chat', async () => {
    const v = await visitorConversation('Waar blijft mijn fiets? Bestelnummer 4471.');
    const res = await continueByEmail(v.headers, 'Sanne@Example.nl');
    expect(res.status).toBe(200);
    expect(res.text).toContain('per e-mail');

    await app.until(async () => mailsTo('sanne@example.nl').length === 1);
    const transcript = mailsTo('sanne@example.nl')[0]!;
    expect(transcript.subject).toMatch(/^Uw chatgesprek \(#\d+\)/);
    expect(transcript.text).toContain('we gaan per e-mail verder');
    expect(transcript.text).toContain('Waar blijft mijn fiets? Bestelnummer 4471.');
    expect(transcript.from?.text).toContain('support@fiets.test');
    expect(transcript.replyTo?.text).toMatch(/support\+c[0-9a-z]+@fiets\.test/);
    // Balie's own mail (RFC 3834): no out-of-office answers it.
    expect(transcript.headers.get('auto-submitted')).toBe('auto-generated');

    // The confirmed address is now a verified identity of the visitor's contact.
    expect((await contact(await contactOf(v.conversationId))).identities).toContainEqual(expect.objectContaining({ kind: 'email', value: 'sanne@example.nl', verified: true }));

    // The visitor is gone; two replies within the away time go out as ONE mail, with the conversation so far.
    const r1 = await reply(v.conversationId, 'Uw fiets wordt morgen tussen 9 en 12 bezorgd.');
    const r2 = await reply(v.conversationId, 'U krijgt vooraf nog een sms van de bezorger.');
    expect(r1.status).toBe(201);
    expect(await app.until(async () => (await handoffOf(v.conversationId, r1.body.id))?.pending)).toBe(true);
    await app.until(async () => mailsTo('sanne@example.nl').length === 2);
    const followUp = mailsTo('sanne@example.nl')[1]!;
    expect(followUp.text).toContain('U heeft nieuwe antwoorden in uw chatgesprek');
    expect(followUp.text).toContain('Uw fiets wordt morgen tussen 9 en 12 bezorgd.');
    expect(followUp.text).toContain('U krijgt vooraf nog een sms van de bezorger.');
    expect(followUp.text).toMatch(/Eerder in dit gesprek:\n\[[^\]]+\] U: Waar blijft mijn fiets\?/);
    expect(followUp.subject).toMatch(/^Re: /);
    // The copy carries the agents' own words: it is their reply, not an automatic mail.
    expect(followUp.headers.get('auto-submitted')).toBeUndefined();
    expect(followUp.inReplyTo).toBe(transcript.messageId);
    await app.until(async () => (await handoffOf(v.conversationId, r2.body.id))?.externalId === followUp.messageId);
    expect((await handoffOf(v.conversationId, r1.body.id)).batch).toBe(2);
    // Internal notes never leave.
    await app.call('POST', `/api/v1/conversations/${v.conversationId}/messages`, { token, body: { kind: 'note', content: 'klant belt misschien' } });

    // The customer answers the mail: it comes back into the widget conversation, not a new e-mail case.
    const emailBefore = (await emailConversations()).length;
    await client.send({ from: 'sanne@example.nl', to: followUp.replyTo!.text, subject: `Re: ${followUp.subject}`, inReplyTo: followUp.messageId, references: [followUp.messageId!], text: 'Top, dan ben ik thuis.' });
    const answer = await app.until(async () => (await messagesOf(v.conversationId)).find((m) => m.content.includes('Top, dan ben ik thuis.')));
    expect(answer.contentAttributes.email.threadedBy).toBe('continued_conversation');
    expect(answer.contentAttributes.email.viaInboxId).toBe(emailInboxId);
    expect((await emailConversations()).length).toBe(emailBefore);
    // The visitor sees it in the widget too: one conversation, whatever the channel.
    const history = await app.call('GET', '/api/widget/v1/conversation', { headers: v.headers });
    expect(history.body.messages.map((m: { content: string }) => m.content)).toContain('Top, dan ben ik thuis.');

    // The next reply threads on the customer's mail.
    const r3 = await reply(v.conversationId, 'Fijn, tot morgen!');
    await app.until(async () => mailsTo('sanne@example.nl').length === 3);
    const third = mailsTo('sanne@example.nl')[2]!;
    expect(third.text).toContain('Fijn, tot morgen!');
    expect(third.text).toContain('Top, dan ben ik thuis.');
    expect(third.references).toContain(followUp.messageId);
    await app.until(async () => !!(await handoffOf(v.conversationId, r3.body.id))?.externalId);
    expect(sink.messages.some((m) => m.text?.includes('klant belt misschien'))).toBe(false);
  });

  it('a reply the visitor sees in the open widget is not mailed; once they are gone, the next one is', async () => {
    const v = await visitorConversation('Verkopen jullie ook fietstassen?');
    await continueByEmail(v.headers, 'joris@example.nl');
    await app.until(async () => mailsTo('joris@example.nl').length === 1);
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/widget/v1/live?token=${encodeURIComponent(v.token)}`, { headers: { origin: own } });
    const frames: { type: string; message?: { content: string } }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await app.until(async () => frames.some((f) => f.type === 'ready'));

    const seen = await reply(v.conversationId, 'Ja, in drie maten.');
    await app.until(async () => frames.some((f) => f.message?.content === 'Ja, in drie maten.'));
    // Well past the away time: the open widget showed it, so no mail.
    expect(await app.until(async () => (await handoffOf(v.conversationId, seen.body.id))?.seenInWidget, 10_000)).toBe(true);
    expect(mailsTo('joris@example.nl')).toHaveLength(1);

    const presence = () => app.call('GET', `/api/v1/conversations/${v.conversationId}/visitor-presence`, { token });
    expect((await presence()).body).toMatchObject({ online: true });
    ws.close();
    await app.until(async () => (await presence()).body.online === false);
    expect(Date.parse((await presence()).body.lastSeenAt)).toBeGreaterThan(Date.now() - 10_000);
    const unseen = await reply(v.conversationId, 'Ze zijn nu ook in de aanbieding.');
    await app.until(async () => mailsTo('joris@example.nl').length === 2);
    const mail = mailsTo('joris@example.nl')[1]!;
    expect(mail.text).toContain('U heeft een nieuw antwoord in uw chatgesprek');
    expect(mail.text).toContain('Ze zijn nu ook in de aanbieding.');
    // The seen reply is in the earlier conversation below, not presented as new.
    expect(mail.text!.split('Eerder in dit gesprek:')[1]).toContain('Ja, in drie maten.');
    await app.until(async () => !!(await handoffOf(v.conversationId, unseen.body.id))?.externalId);

    // Someone else answering with the chat's token (a forwarded mail) does not enter the chat.
    await client.send({ from: 'iemand@anders.nl', to: mail.replyTo!.text, subject: `Re: ${mail.subject}`, inReplyTo: mail.messageId, text: 'Ik lees mee.' });
    await app.until(async () => (await emailConversations()).some((c) => c.preview.includes('Ik lees mee.')));
    expect((await messagesOf(v.conversationId)).some((m) => m.content.includes('Ik lees mee.'))).toBe(false);
  });

  it("an address that belongs to another customer is not claimed, and that customer's answer stays with them", async () => {
    // The real owner of the address mailed support before.
    await client.send({ from: 'eigenaar@example.nl', to: 'support@fiets.test', subject: 'Factuur', text: 'Mijn factuur klopt niet.' });
    await app.until(async () => (await emailConversations()).some((c) => c.preview.includes('Mijn factuur klopt niet.')));
    const ownerConv = (await emailConversations()).find((c) => c.preview.includes('Mijn factuur klopt niet.'))!;
    const ownerContactId = await contactOf(ownerConv.id);

    // A visitor types that address; the owner even clicks the confirmation link.
    const v = await visitorConversation('Wat is mijn saldo?');
    expect((await continueByEmail(v.headers, 'eigenaar@example.nl')).status).toBe(200);
    await app.until(async () => mailsTo('eigenaar@example.nl').length === 1);
    const visitorContactId = await contactOf(v.conversationId);
    expect(visitorContactId).not.toBe(ownerContactId);
    expect((await contact(visitorContactId)).identities.some((i) => i.kind === 'email')).toBe(false);
    expect((await contact(ownerContactId)).identities).toContainEqual(expect.objectContaining({ kind: 'email', value: 'eigenaar@example.nl' }));
    // Not merged silently: an agent sees the two as a merge suggestion.
    expect((await mergeSuggestionsOf(visitorContactId)).map((x) => x.contact.id)).toContain(ownerContactId);

    // The owner answers the transcript: their mail does not reach the visitor's chat.
    const transcript = mailsTo('eigenaar@example.nl')[0]!;
    await client.send({ from: 'eigenaar@example.nl', to: transcript.replyTo!.text, subject: `Re: ${transcript.subject}`, inReplyTo: transcript.messageId, text: 'Dit gesprek ken ik niet.' });
    await app.until(async () => (await emailConversations()).some((c) => c.preview.includes('Dit gesprek ken ik niet.')));
    const history = await app.call('GET', '/api/widget/v1/conversation', { headers: v.headers });
    expect(history.body.messages.map((m: { content: string }) => m.content)).not.toContain('Dit gesprek ken ik niet.');
    expect((await messagesOf(v.conversationId)).some((m) => m.content.includes('Dit gesprek ken ik niet.'))).toBe(false);
  });

  it('with two tabs open, closing one keeps the visitor present: a reply then is seen, not mailed', async () => {
    const v = await visitorConversation('Ik heb twee tabbladen open.');
    await continueByEmail(v.headers, 'tabs@example.nl');
    await app.until(async () => mailsTo('tabs@example.nl').length === 1);
    const open = async () => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/api/widget/v1/live?token=${encodeURIComponent(v.token)}`, { headers: { origin: own } });
      const frames: { type: string; message?: { content: string } }[] = [];
      ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
      await app.until(async () => frames.some((f) => f.type === 'ready'));
      return { ws, frames };
    };
    const presence = async () => (await app.call('GET', `/api/v1/conversations/${v.conversationId}/visitor-presence`, { token })).body as { online: boolean };
    const tab1 = await open();
    const tab2 = await open();
    await app.until(async () => (await presence()).online);
    tab1.ws.close();
    await app.until(async () => tab1.ws.readyState === WebSocket.CLOSED);
    await sleep(300);
    expect((await presence()).online).toBe(true);

    const r = await reply(v.conversationId, 'Dit ziet u in het andere tabblad.');
    await app.until(async () => tab2.frames.some((f) => f.message?.content === 'Dit ziet u in het andere tabblad.'));
    expect(await app.until(async () => (await handoffOf(v.conversationId, r.body.id))?.seenInWidget, 10_000)).toBe(true);
    expect(mailsTo('tabs@example.nl')).toHaveLength(1);

    // The last tab closes: now the visitor is away.
    tab2.ws.close();
    await app.until(async () => (await presence()).online === false);
  });

  it('a failing mail server never fails the chat message; the failed copy is recorded', async () => {
    const v = await visitorConversation('Kan ik ook achteraf betalen?');
    expect((await continueByEmail(v.headers, 'piet@example.nl')).status).toBe(200);
    await app.until(async () => mailsTo('piet@example.nl').length === 1);
    // Another visitor asked before the outage; they click the link during it.
    const w = await visitorConversation('Nog een vraag');
    expect((await app.call('POST', '/api/widget/v1/transcript', { body: { email: 'kees@example.nl', locale: 'nl' }, headers: w.headers })).body.confirmationSent).toBe(true);
    const confirmation = await app.until(async () => confirmationsTo('kees@example.nl')[0]);
    await app.call('PATCH', `/api/v1/inboxes/${emailInboxId}`, { token, body: { settings: { smtpHost: '127.0.0.1', smtpPort: 1 } } });
    try {
      // A confirmation mail that cannot go out is said, with a clear code.
      const x = await visitorConversation('En nog een vraag');
      const failed = await app.call('POST', '/api/widget/v1/transcript', { body: { email: 'anna@example.nl', locale: 'nl' }, headers: x.headers });
      expect(failed.status).toBe(503);
      expect(failed.body.error.code).toBe('confirmation_not_sent');
      const r = await reply(v.conversationId, 'Ja, met Klarna.');
      await app.until(async () => {
        const m = (await messagesOf(v.conversationId)).find((x) => x.id === r.body.id);
        return m?.status === 'sent' && typeof m.contentAttributes.emailHandoff?.failed === 'string';
      }, 20_000);
      expect(mailsTo('piet@example.nl')).toHaveLength(1);
      // The transcript failing after the click is said; the address is confirmed and the hand-off holds.
      const path = linkIn(confirmation.text);
      const clicked = await pressConfirm(path);
      expect(clicked.status).toBe(503);
      expect(clicked.text).toContain('is bevestigd, maar het gesprek kon nu niet gemaild worden');
      const [row] = await app.balie.services.store.db.select({ channelState: conversations.channelState }).from(conversations).where(eq(conversations.id, w.conversationId));
      expect(row!.channelState.emailHandoff).toMatchObject({ email: 'kees@example.nl', confirmedBy: 'link' });
    } finally {
      await app.call('PATCH', `/api/v1/inboxes/${emailInboxId}`, { token, body: { settings: { smtpHost: null, smtpPort: null } } });
    }
  });

  it('without the visitor asking, chat replies stay in the chat', async () => {
    const before = sink.messages.length;
    const v = await visitorConversation('Hebben jullie ook kinderzitjes?');
    const r = await reply(v.conversationId, 'Nee, helaas niet.');
    await app.until(async () => (await messagesOf(v.conversationId)).find((x) => x.id === r.body.id)?.status === 'sent');
    await sleep(AWAY_SECONDS * 1000 + 1500);
    expect(sink.messages.length).toBe(before);
    expect((await handoffOf(v.conversationId, r.body.id)) ?? null).toBeNull();
  });
});
