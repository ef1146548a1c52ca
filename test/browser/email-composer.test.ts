import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';

/**
 * The composer of an e-mail conversation in Chromium: recipients prefilled from the thread, reply-all, Cc/Bcc
 * checked with a clear error, forwarding, and the signatures; what the upstream SMTP server receives is checked.
 */
const skip = browserUnavailableReason();
const ownerEmail = 'beheer@acme.test';

describe.skipIf(!!skip)('e-mail composer', () => {
  let env: AgentAppEnv;
  let sink: Awaited<ReturnType<typeof createSmtpSink>>;
  let client: ReturnType<typeof customerClient>;
  let token: string;

  beforeAll(async () => {
    sink = await createSmtpSink();
    env = await startAgentApp({ env: { SMTP_URL: sink.url } });
    env.app.balie.services.dnsResolver = fakeDns();
    token = (await setupWorkspace(env.app, 'Acme', ownerEmail)).apiToken;
    await createEmailInbox(env.app, token, { address: 'support@acme.test', fromName: 'Acme Support', signature: 'Acme Klantenservice' });
    await env.app.call('PATCH', '/api/v1/me', { token, body: { settings: { emailSignature: 'Groet, Owner' } } });
    client = customerClient(await env.app.balie.listenSmtp(0, '127.0.0.1'));
  });
  afterAll(async () => {
    client?.close();
    await env?.close();
    await sink?.close();
  });

  it('prefills reply-all, rejects a bad address in Dutch, sends the right headers, and forwards', async () => {
    await client.send({
      from: 'Marieke Visser <marieke@klant.test>',
      to: 'support@acme.test',
      cc: 'Jan Partner <jan@partner.test>',
      subject: 'Factuur klopt niet',
      messageId: '<first-1@klant.test>',
      text: 'Mijn factuur van maart klopt niet.',
    });
    const list = await env.app.until(async () => {
      const r = await env.app.call('GET', '/api/v1/conversations?status=open', { token });
      return r.body.items.length ? r.body.items : null;
    });
    const conversationId = list[0].id as string;

    const { page, errors, context } = await openContext(env, 'nl-NL');
    await login(page, ownerEmail);
    await page.goto('/inbox/all');
    await page.locator(`[data-conversation-id="${conversationId}"]`).click();
    await page.waitForURL(new RegExp(conversationId));
    const fields = page.getByTestId('email-fields');
    const to = fields.getByLabel('Aan', { exact: true });
    await expect.poll(() => to.inputValue()).toBe('marieke@klant.test');
    expect(await page.getByTestId('email-signature').textContent()).toContain('Groet, Owner · Acme Klantenservice');

    await fields.getByRole('button', { name: 'Allen antwoorden' }).click();
    expect(await fields.getByLabel('Cc', { exact: true }).inputValue()).toBe('jan@partner.test');
    await fields.getByLabel('Bcc', { exact: true }).fill('archief@acme-intern, ');
    await page.getByRole('textbox', { name: /Antwoord aan Marieke/ }).fill('Dag Marieke, we passen de factuur aan.');
    await page.getByRole('button', { name: 'Versturen' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('“archief@acme-intern” is geen geldig e-mailadres.');
    expect(sink.messages).toHaveLength(0);

    await fields.getByLabel('Bcc', { exact: true }).fill('archief@intern.test');
    await page.getByRole('button', { name: 'Versturen' }).click();
    await env.app.until(async () => sink.messages.length === 1);
    const reply = sink.messages[0]!;
    expect(reply.to && 'value' in reply.to ? reply.to.value.map((a) => a.address) : []).toEqual(['marieke@klant.test']);
    expect(reply.cc && 'value' in reply.cc ? reply.cc.value.map((a) => a.address) : []).toEqual(['jan@partner.test']);
    expect(reply.headers.has('bcc')).toBe(false);
    expect(sink.envelopes[0]!.sort()).toEqual(['archief@intern.test', 'jan@partner.test', 'marieke@klant.test']);
    expect(reply.inReplyTo).toBe('<first-1@klant.test>');
    expect(reply.references).toContain('<first-1@klant.test>');
    expect(reply.subject).toMatch(/^Re: Factuur klopt niet \[#\d+\]$/);
    expect(reply.text).toContain('Dag Marieke, we passen de factuur aan.\n\n-- \nGroet, Owner\n\n-- \nAcme Klantenservice');
    expect(reply.replyTo && 'value' in reply.replyTo ? reply.replyTo.value[0]!.address : '').toMatch(/^support\+c.+@acme\.test$/);
    // After sending, the fields start over from the thread.
    await expect.poll(() => to.inputValue()).toBe('marieke@klant.test');

    // Forward the conversation to a colleague elsewhere.
    await fields.getByRole('button', { name: 'Doorsturen' }).click();
    await fields.getByLabel('Doorsturen naar').fill('');
    await page.getByRole('button', { name: 'Versturen' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Vul minstens één ontvanger in.');
    await fields.getByLabel('Doorsturen naar').fill('boekhouding@partner.test');
    await page.getByRole('textbox', { name: /Antwoord aan Marieke/ }).fill('Kun jij de factuur van maart nakijken?');
    await page.getByRole('button', { name: 'Versturen' }).click();
    await env.app.until(async () => sink.messages.length === 2);
    const fwd = sink.messages[1]!;
    expect(fwd.to && 'value' in fwd.to ? fwd.to.value.map((a) => a.address) : []).toEqual(['boekhouding@partner.test']);
    expect(fwd.subject).toMatch(/^Fwd: Factuur klopt niet \[#\d+\]$/);
    expect(fwd.inReplyTo).toBeUndefined();
    expect(fwd.text).toContain('Kun jij de factuur van maart nakijken?');
    expect(fwd.text).toContain('Mijn factuur van maart klopt niet.');
    expect(fwd.text).toContain('Dag Marieke, we passen de factuur aan.');
    await page.screenshot({ path: 'docs/screenshots/email-composer-nl.png' });
    expect(errors).toEqual([]);
    await context.close();

    // The same screen in English (the agent's own language choice).
    await env.app.call('PATCH', '/api/v1/me', { token, body: { locale: 'en' } });
    const en = await openContext(env, 'en-GB');
    await login(en.page, ownerEmail);
    await en.page.goto('/inbox/all');
    await en.page.locator(`[data-conversation-id="${conversationId}"]`).click();
    const enFields = en.page.getByTestId('email-fields');
    await expect.poll(() => enFields.getByLabel('To', { exact: true }).inputValue()).toBe('marieke@klant.test');
    await enFields.getByRole('button', { name: 'Reply all' }).click();
    await enFields.getByLabel('Cc', { exact: true }).fill('jan@partner.test, nope');
    await en.page.getByRole('textbox', { name: /Reply to Marieke/ }).fill('Hello');
    await en.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => en.page.getByRole('alert').textContent()).toContain('“nope” is not a valid e-mail address.');
    await en.page.screenshot({ path: 'docs/screenshots/email-composer-en.png' });
    expect(en.errors).toEqual([]);
    await en.context.close();
  });

  it('the API refuses a reply with a malformed address instead of dropping the recipient', async () => {
    const list = await env.app.call('GET', '/api/v1/conversations?status=open', { token });
    const res = await env.app.call('POST', `/api/v1/conversations/${list.body.items[0].id}/messages`, {
      token,
      body: { kind: 'message', content: 'Hallo', contentAttributes: { email: { to: ['marieke@klant.test'], cc: ['geen adres'] } } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_email_address');
    expect(res.body.error.fields[0].path).toBe('contentAttributes.email.cc.0');
  });
});
