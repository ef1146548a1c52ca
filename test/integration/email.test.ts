import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';

let app: TestApp;
let token: string;
let sink: Awaited<ReturnType<typeof createSmtpSink>>;
let client: ReturnType<typeof customerClient>;

let port: number;

async function messagesOf(conversationId: string) {
  const res = await app.call('GET', `/api/v1/conversations/${conversationId}/messages`, { token });
  return res.body.items as any[];
}
async function conversationOfMessage(messageId: string) {
  const rows = await app.balie.services.store.rows<{ conversation_id: string }>(
    (await import('drizzle-orm')).sql`select conversation_id from messages where external_id = ${messageId}`,
  );
  return rows[0]?.conversation_id;
}

beforeAll(async () => {
  sink = await createSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
  app.balie.services.dnsResolver = fakeDns();
  token = (await setupWorkspace(app)).apiToken;
  await createEmailInbox(app, token, { address: 'support@acme.test', fromName: 'Acme support', signature: 'Team Acme' });
  port = await app.balie.listenSmtp(0, '127.0.0.1');
  client = customerClient(port);
});
afterAll(async () => {
  client.close();
  await app.close();
  await sink.close();
});

describe('e-mail in and out', () => {
  it('turns an SMTP mail into a conversation and threads the agent reply and the customer answer', async () => {
    const sent = await client.send({ from: 'Jan Jansen <jan@klant.test>', to: 'support@acme.test', subject: 'Waar blijft mijn pakket?', text: 'Hallo,\n\nIk wacht al een week.\n\nJan' , messageId: '<first-1@klant.test>' });
    expect(sent.accepted).toEqual(['support@acme.test']);
    const conversationId = await app.until(() => conversationOfMessage('<first-1@klant.test>'));
    const [first] = await messagesOf(conversationId);
    expect(first).toMatchObject({ direction: 'inbound', content: expect.stringContaining('Ik wacht al een week.') });
    expect(first.contentAttributes.email.from).toEqual({ address: 'jan@klant.test', name: 'Jan Jansen' });

    const reply = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: 'Het is onderweg.' } });
    expect(reply.status).toBe(201);
    const out = await app.until(async () => sink.messages.find((m) => m.text?.includes('Het is onderweg.')));
    expect(out.to && 'value' in out.to ? out.to.value[0]!.address : null).toBe('jan@klant.test');
    expect(out.inReplyTo).toBe('<first-1@klant.test>');
    expect(out.subject).toMatch(/^Re: Waar blijft mijn pakket\? \[#\d+\]$/);
    expect(out.text).toContain('Team Acme');
    expect(out.replyTo && 'value' in out.replyTo ? out.replyTo.value[0]!.address : '').toMatch(/^support\+c[0-9a-f]{32}@acme\.test$/);

    // The customer answers with References only (no In-Reply-To).
    await client.send({ from: 'jan@klant.test', to: 'support@acme.test', subject: `Re: ${out.subject}`, text: 'Dank!', messageId: '<second-1@klant.test>', references: [out.messageId!] });
    const second = await app.until(() => conversationOfMessage('<second-1@klant.test>'));
    expect(second).toBe(conversationId);
    const sentRow = (await messagesOf(conversationId)).find((m) => m.direction === 'outbound');
    expect(sentRow.status).toBe('sent');
  });

  it('refuses unknown recipients and ignores a duplicate Message-ID', async () => {
    await expect(client.send({ from: 'x@klant.test', to: 'nobody@acme.test', subject: 'x', text: 'x' })).rejects.toThrow(/550|no such mailbox/);
    const mail = { from: 'dup@klant.test', to: 'support@acme.test', subject: 'Dubbel', text: 'een keer', messageId: '<dup-1@klant.test>' };
    await client.send(mail);
    await client.send(mail);
    const conv = await app.until(() => conversationOfMessage('<dup-1@klant.test>'));
    expect((await messagesOf(conv)).length).toBe(1);
  });
});
