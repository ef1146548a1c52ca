import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient } from '../support/email';

/**
 * A widget visitor leaves an e-mail address and goes away: the transcript goes out through the workspace's
 * e-mail inbox (real SMTP into a local sink), the agent's later chat replies follow by e-mail in the same
 * thread, the customer's e-mail answer lands in the e-mail inbox, and a failing mail server never fails the
 * chat message itself.
 */
const SITE = 'https://shop.example';
let app: TestApp;
let sink: Awaited<ReturnType<typeof createSmtpSink>>;
let token: string;
let own: string;
let widgetId: string;
let emailInboxId: string;

beforeAll(async () => {
  sink = await createSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
  own = new URL(app.config.publicUrl).origin;
  token = (await setupWorkspace(app, 'Fietsfabriek')).apiToken;
  emailInboxId = (await createEmailInbox(app, token, { address: 'support@fiets.test', fromName: 'Fietsfabriek' })).id;
  widgetId = (await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Chat', kind: 'widget', settings: { allowedOrigins: [SITE] } } })).body.id;
}, 240_000);
afterAll(async () => {
  await app?.close();
  await sink?.close();
});

async function visitorConversation(content: string) {
  const s = await app.call('POST', `/api/widget/v1/inboxes/${widgetId}/session`, { body: { hostOrigin: SITE, locale: 'nl' }, headers: { origin: own } });
  const headers = { origin: own, 'x-widget-token': s.body.token };
  const sent = await app.call('POST', '/api/widget/v1/messages', { body: { clientId: `c-${Math.random().toString(36).slice(2, 10)}`, content, locale: 'nl' }, headers });
  expect(sent.status).toBe(201);
  return { headers, conversationId: sent.body.conversationId as string };
}
const mailsTo = (address: string) => sink.messages.filter((m) => JSON.stringify(m.to).includes(address));

describe('widget → e-mail continuation', () => {
  it('mails the transcript through the e-mail inbox and continues there with the agent replies', async () => {
    const v = await visitorConversation('Waar blijft mijn fiets? Bestelnummer 4471.');
    const res = await app.call('POST', '/api/widget/v1/transcript', { body: { email: 'Sanne@Example.nl', locale: 'nl' }, headers: v.headers });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mailed: true, continuesByEmail: true });

    await app.until(async () => mailsTo('sanne@example.nl').length === 1);
    const transcript = mailsTo('sanne@example.nl')[0]!;
    expect(transcript.subject).toMatch(/^Uw chatgesprek \(#\d+\)/);
    expect(transcript.text).toContain('we gaan per e-mail verder');
    expect(transcript.text).toContain('Waar blijft mijn fiets? Bestelnummer 4471.');
    expect(transcript.from?.text).toContain('support@fiets.test');
    expect(transcript.replyTo?.text).toMatch(/support\+c[0-9a-z]+@fiets\.test/);

    // The visitor is gone; the agent answers in the chat, and the answer follows by e-mail in the same thread.
    const reply = await app.call('POST', `/api/v1/conversations/${v.conversationId}/messages`, { token, body: { kind: 'message', content: 'Uw fiets wordt morgen tussen 9 en 12 bezorgd.' } });
    expect(reply.status).toBe(201);
    await app.until(async () => mailsTo('sanne@example.nl').length === 2);
    const followUp = mailsTo('sanne@example.nl')[1]!;
    expect(followUp.text).toContain('Uw fiets wordt morgen tussen 9 en 12 bezorgd.');
    expect(followUp.subject).toMatch(/^Re: /);
    expect(followUp.inReplyTo).toBe(transcript.messageId);
    await app.until(async () => {
      const msgs = await app.call('GET', `/api/v1/conversations/${v.conversationId}/messages`, { token });
      const m = msgs.body.items.find((x: { id: string }) => x.id === reply.body.id);
      return m?.status === 'sent' && !!m.contentAttributes.emailHandoff?.externalId;
    });
    // Internal notes never leave.
    await app.call('POST', `/api/v1/conversations/${v.conversationId}/messages`, { token, body: { kind: 'note', content: 'klant belt misschien' } });

    // The customer answers the mail: it arrives in the e-mail inbox, from the address they left.
    const port = await app.balie.listenSmtp(0, '127.0.0.1');
    const client = customerClient(port);
    await client.send({ from: 'sanne@example.nl', to: followUp.replyTo!.text, subject: `Re: ${followUp.subject}`, inReplyTo: followUp.messageId, text: 'Top, dan ben ik thuis.' });
    client.close();
    await app.until(async () => {
      const list = await app.call('GET', `/api/v1/conversations?inboxId=${emailInboxId}`, { token });
      return list.body.items.some((c: { preview: string }) => c.preview.includes('Top, dan ben ik thuis.'));
    });
    expect(sink.messages.some((m) => m.text?.includes('klant belt misschien'))).toBe(false);
  });

  it('a failing mail server never fails the chat message; the failed copy is recorded', async () => {
    const v = await visitorConversation('Kan ik ook achteraf betalen?');
    expect((await app.call('POST', '/api/widget/v1/transcript', { body: { email: 'piet@example.nl', locale: 'nl' }, headers: v.headers })).status).toBe(200);
    await app.until(async () => mailsTo('piet@example.nl').length === 1);
    await app.call('PATCH', `/api/v1/inboxes/${emailInboxId}`, { token, body: { settings: { smtpHost: '127.0.0.1', smtpPort: 1 } } });
    try {
      const reply = await app.call('POST', `/api/v1/conversations/${v.conversationId}/messages`, { token, body: { kind: 'message', content: 'Ja, met Klarna.' } });
      await app.until(async () => {
        const msgs = await app.call('GET', `/api/v1/conversations/${v.conversationId}/messages`, { token });
        const m = msgs.body.items.find((x: { id: string }) => x.id === reply.body.id);
        return m?.status === 'sent' && typeof m.contentAttributes.emailHandoff?.failed === 'string';
      }, 20_000);
      expect(mailsTo('piet@example.nl')).toHaveLength(1);
      // The transcript itself failing is said, with a clear code; the hand-off still holds.
      const w = await visitorConversation('Nog een vraag');
      const failed = await app.call('POST', '/api/widget/v1/transcript', { body: { email: 'kees@example.nl', locale: 'nl' }, headers: w.headers });
      expect(failed.status).toBe(503);
      expect(failed.body.error.code).toBe('transcript_not_sent');
      const conv = await app.call('GET', `/api/v1/conversations/${w.conversationId}`, { token });
      expect(conv.status).toBe(200);
    } finally {
      await app.call('PATCH', `/api/v1/inboxes/${emailInboxId}`, { token, body: { settings: { smtpHost: null, smtpPort: null } } });
    }
  });

  it('without the visitor asking, chat replies stay in the chat', async () => {
    const before = sink.messages.length;
    const v = await visitorConversation('Hebben jullie ook kinderzitjes?');
    const reply = await app.call('POST', `/api/v1/conversations/${v.conversationId}/messages`, { token, body: { kind: 'message', content: 'Nee, helaas niet.' } });
    await app.until(async () => {
      const msgs = await app.call('GET', `/api/v1/conversations/${v.conversationId}/messages`, { token });
      return msgs.body.items.find((x: { id: string }) => x.id === reply.body.id)?.status === 'sent';
    });
    expect(sink.messages.length).toBe(before);
  });
});
