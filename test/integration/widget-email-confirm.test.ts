import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient } from '../support/email';
import { identifierHash } from '../../src/domain/widget-identity';
import { uuidv7 } from '../../src/shared/runtime';
import { linkIn, sleep, widgetEmailHelpers } from '../support/widget-email';

/**
 * An e-mail address typed in the widget is not proven to be the visitor's: before Balie mails the chat to it or
 * lets mail from it into the chat, the mailbox confirms by a link (signed, expiring, single use). Covered here:
 * nothing of the chat leaves and nothing comes in before the click; opening the link changes nothing, the
 * button confirms; until the click the address is no identity, so its owner's ordinary mail lands on the owner's
 * contact; an address another contact owns stays theirs after the click and the two become a merge suggestion;
 * a used, forged, replaced or expired link gets a clear page; the site-verified address (identifierHash) needs
 * no link; confirmation mails are rate limited per address. Real SMTP both ways.
 */
const SITE = 'https://shop.example';
const SECRET = 'shop-identity-secret-0123456789';
let app: TestApp;
let sink: Awaited<ReturnType<typeof createSmtpSink>>;
let client: ReturnType<typeof customerClient>;
let token: string;
let own: string;
let widgetId: string;
let emailInboxId: string;
/** The clock the app runs on: tests move it forward to let a link expire. */
let offsetMs = 0;

beforeAll(async () => {
  sink = await createSmtpSink();
  app = await createTestApp({
    env: { SMTP_URL: sink.url },
    runtime: { now: () => new Date(Date.now() + offsetMs), id: () => uuidv7(), random: () => Math.random() },
  });
  own = new URL(app.config.publicUrl).origin;
  token = (await setupWorkspace(app, 'Fietsfabriek')).apiToken;
  emailInboxId = (await createEmailInbox(app, token, { address: 'support@fiets.test', fromName: 'Fietsfabriek' })).id;
  widgetId = (
    await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Chat', kind: 'widget', settings: { allowedOrigins: [SITE], identitySecret: SECRET, emailAfterAwaySeconds: 1 } } })
  ).body.id;
  client = customerClient(await app.balie.listenSmtp(0, '127.0.0.1'));
}, 240_000);
afterAll(async () => {
  client?.close();
  await app?.close();
  await sink?.close();
});

let visitors = 0;
/** Each visitor on a network of its own: the per-IP limits on new chats are not what this file tests. */
async function visitorConversation(content: string, identity?: { identifier: string; email: string }) {
  const remoteAddress = `198.51.100.${++visitors}`;
  const body = { hostOrigin: SITE, locale: 'nl', ...(identity ? { ...identity, identifierHash: identifierHash(SECRET, identity.identifier) } : {}) };
  const s = await app.call('POST', `/api/widget/v1/inboxes/${widgetId}/session`, { body, headers: { origin: own }, remoteAddress });
  expect(s.status).toBe(200);
  const headers = { origin: own, 'x-widget-token': s.body.token as string };
  const sent = await app.call('POST', '/api/widget/v1/messages', { body: { clientId: `c-${Math.random().toString(36).slice(2, 10)}`, content, locale: 'nl' }, headers, remoteAddress });
  expect(sent.status).toBe(201);
  return { headers, remoteAddress, conversationId: sent.body.conversationId as string };
}
const ask = (v: { headers: Record<string, string>; remoteAddress: string }, email: string, locale = 'nl') =>
  app.call('POST', '/api/widget/v1/transcript', { body: { email, locale }, headers: v.headers, remoteAddress: v.remoteAddress });
const { confirmationsTo, chatMailsTo, openLink, pressConfirm, messagesOf, reply, emailConversations, contactOf, contact, mergeSuggestionsOf } = widgetEmailHelpers(() => ({ app, sink, token, emailInboxId }));

describe('confirming an e-mail address typed in the widget', () => {
  it('before the click nothing of the chat is mailed and mail from that address stays out of the chat; the button confirms once', async () => {
    const v = await visitorConversation('Mijn IBAN is NL00BANK0123456789, klopt mijn terugbetaling?');
    const res = await ask(v, 'Vreemde@Example.nl');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mailed: false, continuesByEmail: false, confirmationSent: true, continuesAfterConfirmation: true });

    await app.until(async () => confirmationsTo('vreemde@example.nl').length === 1);
    const confirmation = confirmationsTo('vreemde@example.nl')[0]!;
    expect(confirmation.from?.text).toContain('support@fiets.test');
    expect(confirmation.text).toContain('Bevestig dan dat dit uw e-mailadres is');
    expect(confirmation.text).toContain('De link werkt 24 uur en één keer.');
    // The confirmation mail carries nothing of the chat.
    expect(confirmation.text).not.toContain('NL00BANK');

    // An agent replies while the visitor is away: not mailed to the unconfirmed address.
    const r = await reply(v.conversationId, 'Ja, de terugbetaling staat klaar.');
    await app.until(async () => (await messagesOf(v.conversationId)).find((m) => m.id === r.body.id)?.status === 'sent');
    await sleep(2500);
    expect(chatMailsTo('vreemde@example.nl')).toHaveLength(0);
    expect((await messagesOf(v.conversationId)).find((m) => m.id === r.body.id)?.contentAttributes.emailHandoff).toBeUndefined();

    // Until the click the address is only pending on the conversation: no identity that inbound mail matches.
    expect((await contact(await contactOf(v.conversationId))).identities.some((i) => i.kind === 'email')).toBe(false);

    // Opening the link (as a mail scanner would) only shows the question.
    const path = linkIn(confirmation.text);
    const page = await openLink(path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('<strong>vreemde@example.nl</strong> uw e-mailadres is');
    expect(page.text).toContain('<form method="post">');
    await sleep(300);
    expect(chatMailsTo('vreemde@example.nl')).toHaveLength(0);

    // The button confirms: the transcript goes out, the chat continues by e-mail.
    const done = await pressConfirm(path);
    expect(done.status).toBe(200);
    expect(done.text).toContain('is bevestigd');
    await app.until(async () => chatMailsTo('vreemde@example.nl').length === 1);
    const transcript = chatMailsTo('vreemde@example.nl')[0]!;
    expect(transcript.subject).toMatch(/^Uw chatgesprek \(#\d+\)/);
    expect(transcript.text).toContain('NL00BANK0123456789');
    expect((await contact(await contactOf(v.conversationId))).identities).toContainEqual(expect.objectContaining({ kind: 'email', value: 'vreemde@example.nl', verified: true }));

    // Now the mailbox's answer comes into the chat.
    await client.send({ from: 'vreemde@example.nl', to: transcript.replyTo!.text, subject: `Re: ${transcript.subject}`, inReplyTo: transcript.messageId, references: [transcript.messageId!], text: 'Dank, ontvangen.' });
    const answer = await app.until(async () => (await messagesOf(v.conversationId)).find((m) => m.content.includes('Dank, ontvangen.')));
    expect(answer.contentAttributes.email.threadedBy).toBe('continued_conversation');

    // Single use: the second press and a later visit say so, and send nothing.
    const again = await pressConfirm(path);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Deze link is al gebruikt');
    expect((await openLink(path)).text).toContain('Deze link is al gebruikt');
    await sleep(300);
    expect(chatMailsTo('vreemde@example.nl')).toHaveLength(1);
  });

  it("before the click the owner's ordinary mail lands on the owner's own contact; after it the address stays theirs and the two become a merge suggestion", async () => {
    const v = await visitorConversation('Wat is mijn saldo?');
    const visitorContactId = await contactOf(v.conversationId);
    expect((await ask(v, 'Echte.Eigenaar@example.nl')).body.confirmationSent).toBe(true);
    await app.until(async () => confirmationsTo('echte.eigenaar@example.nl').length === 1);
    const confirmation = confirmationsTo('echte.eigenaar@example.nl')[0]!;

    // The real owner of the address writes to support, knowing nothing of the chat: their own contact, their own case.
    await client.send({ from: 'echte.eigenaar@example.nl', to: 'support@fiets.test', subject: 'Mijn bestelling', text: 'Waar blijft mijn bestelling 5512?' });
    const ownerConv = await app.until(async () => (await emailConversations()).find((c) => c.preview.includes('Waar blijft mijn bestelling 5512?')));
    const ownerContactId = await contactOf(ownerConv.id);
    expect(ownerContactId).not.toBe(visitorContactId);
    expect((await contact(ownerContactId)).identities).toContainEqual(expect.objectContaining({ kind: 'email', value: 'echte.eigenaar@example.nl' }));
    expect((await contact(visitorContactId)).identities.some((i) => i.kind === 'email')).toBe(false);
    // And an answer to the confirmation mail is an ordinary e-mail of the owner too, not the chat.
    await client.send({ from: 'echte.eigenaar@example.nl', to: confirmation.replyTo!.text, subject: `Re: ${confirmation.subject}`, inReplyTo: confirmation.messageId, references: [confirmation.messageId!], text: 'Wat is dit voor mail?' });
    const asked = await app.until(async () => (await emailConversations()).find((c) => c.preview.includes('Wat is dit voor mail?')));
    expect(await contactOf(asked.id)).toBe(ownerContactId);
    expect((await messagesOf(v.conversationId)).some((m) => m.content.includes('Wat is dit voor mail?'))).toBe(false);
    const widgetView = await app.call('GET', '/api/widget/v1/conversation', { headers: v.headers });
    expect(widgetView.body.messages.map((m: { content: string }) => m.content)).not.toContain('Wat is dit voor mail?');
    expect(await mergeSuggestionsOf(visitorContactId)).toEqual([]);

    // The link is clicked: the address is proven for this chat, but another contact owns it. Nothing moves and
    // nothing is merged; each contact is suggested on the other's page, with the address as the reason.
    expect((await pressConfirm(linkIn(confirmation.text))).status).toBe(200);
    await app.until(async () => chatMailsTo('echte.eigenaar@example.nl').length === 1);
    expect((await contact(visitorContactId)).identities.some((i) => i.kind === 'email')).toBe(false);
    expect((await contact(ownerContactId)).identities).toContainEqual(expect.objectContaining({ kind: 'email', value: 'echte.eigenaar@example.nl' }));
    expect(await mergeSuggestionsOf(visitorContactId)).toContainEqual(expect.objectContaining({ contact: expect.objectContaining({ id: ownerContactId }), reason: 'confirmed_email', detail: 'echte.eigenaar@example.nl' }));
    expect(await mergeSuggestionsOf(ownerContactId)).toContainEqual(expect.objectContaining({ contact: expect.objectContaining({ id: visitorContactId }), reason: 'confirmed_email' }));

    // Until an agent merges them, the owner's mail stays with the owner's contact, even as an answer to the transcript.
    const transcript = chatMailsTo('echte.eigenaar@example.nl')[0]!;
    await client.send({ from: 'echte.eigenaar@example.nl', to: transcript.replyTo!.text, subject: `Re: ${transcript.subject}`, inReplyTo: transcript.messageId, text: 'Ontvangen, dank.' });
    const answered = await app.until(async () => (await emailConversations()).find((c) => c.preview.includes('Ontvangen, dank.')));
    expect(await contactOf(answered.id)).toBe(ownerContactId);
    expect((await messagesOf(v.conversationId)).some((m) => m.content.includes('Ontvangen, dank.'))).toBe(false);

    // "Not the same person" ends the suggestion on both pages.
    expect((await app.call('POST', `/api/v1/contacts/${visitorContactId}/merge-suggestions/dismiss`, { token, body: { otherContactId: ownerContactId } })).status).toBeLessThan(300);
    expect((await mergeSuggestionsOf(visitorContactId)).some((s) => s.contact.id === ownerContactId)).toBe(false);
    expect((await mergeSuggestionsOf(ownerContactId)).some((s) => s.contact.id === visitorContactId)).toBe(false);
  });

  it('an address typed in the pre-chat form is shown on the contact but is no identity: mail from it is not the chat', async () => {
    const remoteAddress = `198.51.100.${++visitors}`;
    const s = await app.call('POST', `/api/widget/v1/inboxes/${widgetId}/session`, { body: { hostOrigin: SITE, locale: 'nl' }, headers: { origin: own }, remoteAddress });
    const headers = { origin: own, 'x-widget-token': s.body.token as string };
    const sent = await app.call('POST', '/api/widget/v1/messages', { body: { clientId: 'prechat-typed-1', content: 'Hallo', name: 'Bas', email: 'bas@example.nl', locale: 'nl' }, headers, remoteAddress });
    expect(sent.status).toBe(201);
    const visitorContactId = await contactOf(sent.body.conversationId);
    const shown = await contact(visitorContactId);
    expect(shown.email).toBe('bas@example.nl');
    expect(shown.identities.some((i) => i.kind === 'email')).toBe(false);
    // An agent saving the contact unchanged does not turn the typed address into an identity either.
    expect((await app.call('PATCH', `/api/v1/contacts/${visitorContactId}`, { token, body: { name: 'Bas de Vries', email: 'bas@example.nl' } })).status).toBe(200);
    expect((await contact(visitorContactId)).identities.some((i) => i.kind === 'email')).toBe(false);

    await client.send({ from: 'bas@example.nl', to: 'support@fiets.test', subject: 'Vraag', text: 'Ik ben de echte Bas.' });
    const mailConv = await app.until(async () => (await emailConversations()).find((c) => c.preview.includes('Ik ben de echte Bas.')));
    expect(await contactOf(mailConv.id)).not.toBe(visitorContactId);
  });

  it('forged, altered and replaced links get a clear error and change nothing', async () => {
    const v = await visitorConversation('Kan ik mijn bestelling wijzigen?');
    await ask(v, 'eerste@example.nl');
    await app.until(async () => confirmationsTo('eerste@example.nl').length === 1);
    const path = linkIn(confirmationsTo('eerste@example.nl')[0]!.text);
    const token = path.split('/').pop()!;
    const parts = token.split('.');
    const forgedSig = [...parts.slice(0, 4), `${parts[4]!.slice(0, -1)}${parts[4]!.endsWith('A') ? 'B' : 'A'}`].join('.');
    const longerExpiry = [...parts.slice(0, 3), String(Number(parts[3]) + 86_400), parts[4]].join('.');
    const otherConversation = (await visitorConversation('Een ander gesprek')).conversationId;
    const moved = [parts[0], otherConversation, ...parts.slice(2)].join('.');
    for (const bad of [forgedSig, longerExpiry, moved, 'not-a-token', `${token}x`]) {
      const res = await pressConfirm(`/widget/confirm-email/${bad}`);
      expect(res.status, bad).toBe(404);
      expect(res.text).toContain('Deze link is ongeldig');
      expect((await openLink(`/widget/confirm-email/${bad}`)).status).toBe(404);
    }
    // The visitor corrects the address: the first link is void, the new one works.
    await ask(v, 'tweede@example.nl');
    await app.until(async () => confirmationsTo('tweede@example.nl').length === 1);
    expect((await pressConfirm(path)).status).toBe(404);
    await sleep(300);
    expect(chatMailsTo('eerste@example.nl')).toHaveLength(0);
    expect((await pressConfirm(linkIn(confirmationsTo('tweede@example.nl')[0]!.text))).status).toBe(200);
    await app.until(async () => chatMailsTo('tweede@example.nl').length === 1);
  });

  it('an expired link says so (in the language of the chat) and mails nothing', async () => {
    const v = await visitorConversation('Do you ship to Belgium?');
    expect((await ask(v, 'late@example.com', 'en')).status).toBe(200);
    await app.until(async () => confirmationsTo('late@example.com').length === 1);
    const confirmation = confirmationsTo('late@example.com')[0]!;
    expect(confirmation.subject).toMatch(/^Confirm your e-mail address/);
    const path = linkIn(confirmation.text);
    offsetMs = 25 * 3_600_000;
    try {
      const res = await pressConfirm(path);
      expect(res.status).toBe(410);
      expect(res.text).toContain('This link has expired');
      expect((await openLink(path)).status).toBe(410);
    } finally {
      offsetMs = 0;
    }
    await sleep(300);
    expect(chatMailsTo('late@example.com')).toHaveLength(0);
  });

  it("an address the site signed (it is the identifier) needs no link; one passed beside another identifier does", async () => {
    // The hash signs only the identifier: an e-mail next to it can be edited in the visitor's own browser.
    const beside = await visitorConversation('Waar is mijn bestelling?', { identifier: 'klant-4472', email: 'iemand.anders@example.nl' });
    const unsigned = await ask(beside, 'iemand.anders@example.nl');
    expect(unsigned.body.confirmationSent).toBe(true);
    await app.until(async () => confirmationsTo('iemand.anders@example.nl').length === 1);
    expect(chatMailsTo('iemand.anders@example.nl')).toHaveLength(0);

    const v = await visitorConversation('Waar is mijn factuur?', { identifier: 'marieke@example.nl', email: 'marieke@example.nl' });
    const res = await ask(v, 'marieke@example.nl');
    expect(res.body).toEqual({ mailed: true, continuesByEmail: true, confirmationSent: false, continuesAfterConfirmation: false });
    await app.until(async () => chatMailsTo('marieke@example.nl').length === 1);
    expect(confirmationsTo('marieke@example.nl')).toHaveLength(0);

    const other = await ask(v, 'prive@example.nl');
    expect(other.body.confirmationSent).toBe(true);
    await app.until(async () => confirmationsTo('prive@example.nl').length === 1);
    expect(chatMailsTo('prive@example.nl')).toHaveLength(0);
  });

  it('a site-signed address another contact already owns stays theirs; the two become a merge suggestion', async () => {
    await client.send({ from: 'vaste.klant@example.nl', to: 'support@fiets.test', subject: 'Vraag', text: 'Ik mail altijd.' });
    const mailConv = await app.until(async () => (await emailConversations()).find((c) => c.preview.includes('Ik mail altijd.')));
    const ownerContactId = await contactOf(mailConv.id);
    const v = await visitorConversation('Nu via de chat', { identifier: 'vaste.klant@example.nl', email: 'vaste.klant@example.nl' });
    const visitorContactId = await contactOf(v.conversationId);
    expect(visitorContactId).not.toBe(ownerContactId);
    expect((await contact(visitorContactId)).identities.some((i) => i.kind === 'email')).toBe(false);
    expect(await mergeSuggestionsOf(ownerContactId)).toContainEqual(
      expect.objectContaining({ contact: expect.objectContaining({ id: visitorContactId }), reason: 'confirmed_email', detail: 'vaste.klant@example.nl' }),
    );
  });

  it('confirmation mails to one address are capped, whoever asks', async () => {
    for (let i = 0; i < 3; i++) {
      const v = await visitorConversation(`Vraag ${i}`);
      expect((await ask(v, 'doelwit@example.nl')).status).toBe(200);
    }
    const v = await visitorConversation('Vraag 4');
    const res = await ask(v, 'doelwit@example.nl');
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('too_many_confirmations');
    await app.until(async () => confirmationsTo('doelwit@example.nl').length === 3);
  });

  it('shows agents the typed address as awaiting confirmation, apart from identities, and "send again" mails a fresh link', async () => {
    const v = await visitorConversation('Kunt u mij mailen?');
    const contactId = await contactOf(v.conversationId);
    const pendingOf = async () => (await app.call('GET', `/api/v1/contacts/${contactId}/pending-emails`, { token })).body.items as { email: string; conversationId: string; conversationNumber: number; sentAt: string; expiresAt: string; expired: boolean }[];
    const asked = Date.now();
    expect((await ask(v, 'Wacht@Example.nl')).status).toBe(200);
    await app.until(async () => confirmationsTo('wacht@example.nl').length === 1);
    const [pending] = await pendingOf();
    expect(pending).toMatchObject({ email: 'wacht@example.nl', conversationId: v.conversationId, expired: false });
    expect(Math.abs(Date.parse(pending!.sentAt) - asked)).toBeLessThan(10_000);
    expect(Date.parse(pending!.expiresAt) - Date.parse(pending!.sentAt)).toBeCloseTo(24 * 3_600_000, -4);
    expect((await contact(contactId)).identities.some((i) => i.kind === 'email')).toBe(false);

    // A day later the link has expired; the agent sends it again: a new link, the old one void.
    const firstLink = linkIn(confirmationsTo('wacht@example.nl')[0]!.text);
    offsetMs = 25 * 3_600_000;
    try {
      expect((await pendingOf())[0]!.expired).toBe(true);
      const resent = await app.call('POST', `/api/v1/conversations/${v.conversationId}/email-confirmation/resend`, { token });
      expect(resent.status).toBe(200);
      expect(resent.body).toMatchObject({ email: 'wacht@example.nl', conversationId: v.conversationId, expired: false });
      expect(Date.parse(resent.body.sentAt)).toBeGreaterThan(Date.parse(pending!.sentAt));
      await app.until(async () => confirmationsTo('wacht@example.nl').length === 2);
      expect((await pressConfirm(firstLink)).status).toBe(404);
      expect((await pressConfirm(linkIn(confirmationsTo('wacht@example.nl')[1]!.text))).status).toBe(200);
    } finally {
      offsetMs = 0;
    }
    // Confirmed: an identity now, and no longer waiting.
    expect(await pendingOf()).toEqual([]);
    expect((await contact(contactId)).identities).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'email', value: 'wacht@example.nl', verified: true })]));
    const nothing = await app.call('POST', `/api/v1/conversations/${v.conversationId}/email-confirmation/resend`, { token });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('no_pending_confirmation');
  });

  it('counts "send again" against the same per-address limit as the visitor', async () => {
    const v = await visitorConversation('Nog een vraag');
    expect((await ask(v, 'vaak@example.nl')).status).toBe(200);
    const resend = () => app.call('POST', `/api/v1/conversations/${v.conversationId}/email-confirmation/resend`, { token });
    expect((await resend()).status).toBe(200);
    expect((await resend()).status).toBe(200);
    const limited = await resend();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_confirmations');
    await app.until(async () => confirmationsTo('vaak@example.nl').length === 3);
    // Another workspace's conversation, or one that does not exist, is not found.
    expect((await app.call('POST', `/api/v1/conversations/${uuidv7()}/email-confirmation/resend`, { token })).status).toBe(404);
  });
});
