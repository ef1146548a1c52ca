import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { apiAsPage, login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { setupWorkspace } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox } from '../support/email';
import { isConfirmation, linkIn, widgetEmailHelpers } from '../support/widget-email';

/**
 * An address a widget visitor typed is no identity until its confirmation link is clicked. In the customer
 * panel the agent sees it apart from the confirmed identities — "wacht op bevestiging", when the link was
 * mailed, "opnieuw versturen" — and after the click it is an identity like any other. Real SMTP for the mails.
 */
const skip = browserUnavailableReason();
const SITE = 'https://winkel.example';
const ownerEmail = 'balie@fiets.test';

describe.skipIf(!!skip)('customer panel: e-mail awaiting confirmation', () => {
  let env: AgentAppEnv;
  let sink: Awaited<ReturnType<typeof createSmtpSink>>;
  let token: string;
  let emailInboxId: string;
  let widgetId: string;
  const helpers = widgetEmailHelpers(() => ({ app: env.app, sink, token, emailInboxId }));

  beforeAll(async () => {
    sink = await createSmtpSink();
    env = await startAgentApp({ env: { SMTP_URL: sink.url } });
    token = (await setupWorkspace(env.app, 'Fietsfabriek', ownerEmail)).apiToken;
    emailInboxId = (await createEmailInbox(env.app, token, { address: 'support@fiets.test', fromName: 'Fietsfabriek' })).id;
    widgetId = (await env.app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Chat', kind: 'widget', settings: { allowedOrigins: [SITE] } } })).body.id;
  });
  afterAll(async () => {
    await env?.close();
    await sink?.close();
  });

  /** A visitor chats and leaves an address in the widget (its API, as the iframe calls it). */
  async function visitorLeavesAddress(content: string, email: string) {
    const own = new URL(env.app.config.publicUrl).origin;
    const remoteAddress = '198.51.100.7';
    const s = await env.app.call('POST', `/api/widget/v1/inboxes/${widgetId}/session`, { body: { hostOrigin: SITE, locale: 'nl', name: 'Bas Bezoeker' }, headers: { origin: own }, remoteAddress });
    expect(s.status).toBe(200);
    const headers = { origin: own, 'x-widget-token': s.body.token as string };
    const sent = await env.app.call('POST', '/api/widget/v1/messages', { body: { clientId: 'c-offerte01', content, locale: 'nl' }, headers, remoteAddress });
    expect(sent.status).toBe(201);
    const asked = await env.app.call('POST', '/api/widget/v1/transcript', { body: { email, locale: 'nl' }, headers, remoteAddress });
    expect(asked.body).toMatchObject({ confirmationSent: true });
    return sent.body.conversationId as string;
  }

  it('shows the typed address apart as awaiting confirmation, sends the link again, and lists it as identity after the click', async () => {
    const conversationId = await visitorLeavesAddress('Kunt u mij de offerte mailen?', 'bas@example.nl');
    await env.app.until(async () => helpers.confirmationsTo('bas@example.nl').length === 1);
    const { context, page, errors } = await openContext(env);
    try {
      await login(page, ownerEmail);
      await page.goto(`/inbox/all/${conversationId}`);
      const panel = page.locator('.customer-panel');
      const pending = panel.getByRole('list', { name: 'E-mailadressen die wachten op bevestiging' });
      const item = pending.getByRole('listitem').filter({ hasText: 'bas@example.nl' });
      await item.waitFor();
      await item.getByText('wacht op bevestiging', { exact: true }).waitFor();
      expect(await item.textContent()).toMatch(/Bevestigingsmail verstuurd \d{1,2} \w+\.? \d{4}/);
      // Not among the identities: mail from it does not reach this customer yet.
      const identities = panel.getByRole('list', { name: 'Hoe deze klant bereikbaar is' });
      expect(await identities.textContent()).not.toContain('bas@example.nl');
      await page.locator('.contact-card').screenshot({ path: 'docs/screenshots/customer-pending-email-nl.png' });

      await item.getByRole('button', { name: 'Opnieuw versturen' }).click();
      await page.locator('.toast', { hasText: 'Er is een nieuwe bevestigingslink verstuurd naar bas@example.nl.' }).waitFor();
      await env.app.until(async () => helpers.confirmationsTo('bas@example.nl').length === 2);
      const mails = helpers.confirmationsTo('bas@example.nl');
      expect(mails.every(isConfirmation)).toBe(true);
      // Only the newest link works.
      expect((await helpers.pressConfirm(linkIn(mails[0]!.text))).status).toBe(404);

      // In English too.
      expect((await apiAsPage(page, 'PATCH', '/api/v1/me/preferences', { locale: 'en' })).status).toBe(200);
      await page.reload();
      const en = panel.getByRole('list', { name: 'E-mail addresses awaiting confirmation' }).getByRole('listitem').filter({ hasText: 'bas@example.nl' });
      await en.getByText('awaiting confirmation', { exact: true }).waitFor();
      await en.getByRole('button', { name: 'Send again' }).waitFor();
      expect(await en.textContent()).toContain('Confirmation mail sent');

      // The visitor clicks the newest link: now an identity, no longer waiting.
      expect((await helpers.pressConfirm(linkIn(mails[1]!.text))).status).toBe(200);
      await page.reload();
      await panel.getByRole('list', { name: 'Ways to reach this customer' }).getByText('bas@example.nl').waitFor();
      expect(await panel.getByRole('list', { name: 'E-mail addresses awaiting confirmation' }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
