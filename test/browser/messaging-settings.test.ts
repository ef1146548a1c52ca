import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { apiAsPage, login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { setupWorkspace } from '../support/app';
import { signedMeta, startWhatsAppFake, WA, waEnvelope } from '../support/fakes/whatsapp';
import { signedTwilio, smsStatus, startTwilioFake, TW } from '../support/fakes/twilio';
import { startTelegramFake, TG } from '../support/fakes/telegram';
import { appRoot } from '../../src/paths';

/**
 * The channel settings forms in a real Chromium against local fake providers: an admin fills in WhatsApp,
 * Telegram and SMS, saves, sees the webhook URL to paste into the provider, and "check connection" reports
 * success with the provider's answer — or failure with its reason after a wrong credential is saved. Then a
 * WhatsApp message that went out as SMS shows the SMS's delivery state in the conversation.
 */
const skip = browserUnavailableReason();
const shots = `${appRoot}/docs/screenshots`;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe.skipIf(!!skip)('messaging channel settings in the agent app', () => {
  let env: AgentAppEnv;
  let wa: Awaited<ReturnType<typeof startWhatsAppFake>>;
  let tw: Awaited<ReturnType<typeof startTwilioFake>>;
  let tg: Awaited<ReturnType<typeof startTelegramFake>>;
  let page: Page;
  let errors: string[];
  const email = `owner-${Date.now()}@energiebedrijf.nl`;
  const ids: Record<string, string> = {};
  let fallbackMessage = { conversationId: '', messageId: '' };

  beforeAll(async () => {
    [env, wa, tw, tg] = await Promise.all([startAgentApp({ env: { PUBLIC_URL: 'https://balie.energiebedrijf.nl' } }), startWhatsAppFake(), startTwilioFake(), startTelegramFake()]);
    await setupWorkspace(env.app, 'Energiebedrijf', email);
    ({ page, errors } = await openContext(env, 'nl-NL'));
    await login(page, email);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([env?.close(), wa?.stop(), tw?.stop(), tg?.stop()]);
  });

  const publicUrl = () => env.app.config.publicUrl;
  const fill = async (values: Record<string, string>) => {
    for (const [key, value] of Object.entries(values)) await page.locator(`#inbox-setting-${key}`).fill(value);
  };
  const checkConnection = async () => {
    await page.getByTestId('check-connection').click();
    const status = page.locator('[role="status"]', { hasText: /Verbinding (werkt|mislukt)/ });
    await status.waitFor();
    return (await status.textContent())!;
  };

  async function create(kindLabel: string, name: string, values: Record<string, string>, kind: string) {
    await page.goto('/settings/inboxes');
    await page.getByRole('button', { name: 'Nieuwe inbox' }).click();
    await page.locator('label.kind-option', { hasText: new RegExp(`^\\s*${kindLabel}\\s*$`, "i") }).click();
    await page.getByLabel('Naam', { exact: true }).fill(name);
    await fill(values);
    await page.getByRole('button', { name: 'Inbox aanmaken' }).click();
    const webhook = (await page.getByTestId('provider-webhook-url').textContent())!;
    expect(webhook).toMatch(new RegExp(`^${publicUrl()}/webhooks/${kind}/${UUID}$`));
    ids[kind] = webhook.split('/').pop()!;
    return webhook;
  }

  /** Opens the inbox's edit form, changes fields, saves; the list is shown again. */
  async function edit(name: string, values: Record<string, string>) {
    await page.goto('/settings/inboxes');
    await page.locator('li.list-line', { hasText: name }).getByRole('button', { name: 'Bewerken' }).click();
    await fill(values);
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await page.locator('li.list-line', { hasText: name }).waitFor();
  }
  async function openEdit(name: string) {
    await page.goto('/settings/inboxes');
    await page.locator('li.list-line', { hasText: name }).getByRole('button', { name: 'Bewerken' }).click();
  }

  it('WhatsApp: fill in, save, webhook URL shown, check connection succeeds, then fails with a wrong token', async () => {
    await create('WhatsApp', 'WhatsApp Klantenservice', { phoneNumberId: WA.phoneNumberId, apiBaseUrl: wa.url, accessToken: WA.token, appSecret: WA.appSecret, verifyToken: WA.verifyToken }, 'whatsapp');
    expect(await checkConnection()).toBe('✓ Verbinding werkt — Acme Support · +1 555-078-3881');
    await page.screenshot({ path: `${shots}/channel-whatsapp-nl.png` });
    await page.getByRole('button', { name: 'Klaar' }).click();

    const stored = await apiAsPage<{ settings: Record<string, unknown>; secretsSet: string[] }>(page, 'GET', `/api/v1/inboxes/${ids.whatsapp}`);
    expect(stored.body.settings).toMatchObject({ phoneNumberId: WA.phoneNumberId, apiBaseUrl: wa.url });
    expect(stored.body.secretsSet.sort()).toEqual(['accessToken', 'appSecret', 'verifyToken']);
    expect(JSON.stringify(stored.body)).not.toContain(WA.token);

    await edit('WhatsApp Klantenservice', { accessToken: 'EAAG-this-token-was-revoked' });
    await openEdit('WhatsApp Klantenservice');
    expect(await page.getByTestId('provider-webhook-url').textContent()).toBe(`${publicUrl()}/webhooks/whatsapp/${ids.whatsapp}`);
    expect(await checkConnection()).toMatch(/^Verbinding mislukt: .*access token/i);
    await edit('WhatsApp Klantenservice', { accessToken: WA.token });
  });

  it('Telegram: saving registers the webhook with the secret token; a wrong bot token fails the check', async () => {
    await create('Telegram', 'Telegram-bot', { apiBaseUrl: tg.url, botToken: TG.token, secretToken: TG.secret }, 'telegram');
    expect(tg.webhookSet()).toEqual({ url: `${publicUrl()}/webhooks/telegram/${ids.telegram}`, secret_token: TG.secret });
    expect(await checkConnection()).toBe('✓ Verbinding werkt — @acme_support_bot');
    await page.getByRole('button', { name: 'Klaar' }).click();

    await edit('Telegram-bot', { botToken: '7000000000:AAWrongTokenWrongTokenWrongToken00' });
    await openEdit('Telegram-bot');
    expect(await checkConnection()).toMatch(/^Verbinding mislukt: .*Unauthorized/);
  });

  it('SMS: check connection finds the number in the Twilio account, and fails with a wrong auth token', async () => {
    await create('SMS', 'Sms-nummer', { accountSid: TW.accountSid, phoneNumber: TW.number, apiBaseUrl: tw.url, authToken: TW.authToken }, 'sms');
    // The fake's number still points at Twilio's demo URL: the check says the webhook is not set yet.
    expect(await checkConnection()).toBe('✓ Verbinding werkt — het nummer hoort bij dit account, maar het webhook-adres staat er nog niet bij');
    await page.getByRole('button', { name: 'Klaar' }).click();

    await edit('Sms-nummer', { authToken: 'not-the-right-auth-token-0000' });
    await openEdit('Sms-nummer');
    expect(await checkConnection()).toMatch(/^Verbinding mislukt: .*Authenticate/);
    await edit('Sms-nummer', { authToken: TW.authToken });
    await openEdit('Sms-nummer');
    expect(await checkConnection()).toMatch(/^✓ Verbinding werkt/);
  });

  it('shows "sent as SMS — delivered" on a WhatsApp message the SMS fallback delivered', async () => {
    // The fallback is picked from the workspace's SMS inboxes (not typed as an id): "none" and the SMS inbox only.
    await openEdit('WhatsApp Klantenservice');
    const picker = page.getByLabel('Sms-fallback');
    expect(await picker.locator('option').allTextContents()).toEqual(['Geen (niet via sms versturen)', 'Sms-nummer']);
    expect(await picker.inputValue()).toBe('');
    await picker.selectOption({ label: 'Sms-nummer' });
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await page.locator('li.list-line', { hasText: 'WhatsApp Klantenservice' }).waitFor();
    const stored = await apiAsPage<{ settings: Record<string, unknown> }>(page, 'GET', `/api/v1/inboxes/${ids.whatsapp}`);
    expect(stored.body.settings.fallbackInboxId).toBe(ids.sms);
    await openEdit('WhatsApp Klantenservice');
    expect(await page.getByLabel('Sms-fallback').inputValue()).toBe(ids.sms);

    const post = async (kind: string, raw: { headers: Record<string, string | undefined>; rawBody: Buffer }) => {
      const res = await fetch(`${env.base}/webhooks/${kind}/${ids[kind]}`, { method: 'POST', headers: raw.headers as Record<string, string>, body: new Uint8Array(raw.rawBody) });
      expect(res.status).toBe(200);
    };
    // The customer wrote 30 hours ago: WhatsApp refuses a free-form reply, so it goes by SMS.
    const old = String(Math.floor(Date.now() / 1000) - 30 * 3600);
    const body = JSON.stringify(waEnvelope({ contacts: [{ profile: { name: 'Ilse' }, wa_id: '31644443333' }], messages: [{ from: '31644443333', id: 'wamid.BROWSER-FB', timestamp: old, type: 'text', text: { body: 'Wanneer komt de monteur?' } }] }));
    await post('whatsapp', signedMeta(WA.appSecret, { method: 'POST', url: `${publicUrl()}/webhooks/whatsapp/${ids.whatsapp}`, contentType: 'application/json', body }));
    const conversationId = await env.app.until(async () => {
      const list = await apiAsPage<{ items: { id: string; preview: string | null }[] }>(page, 'GET', `/api/v1/conversations?inboxId=${ids.whatsapp}&status=all`);
      return list.body.items?.[0]?.id;
    });
    const replied = await apiAsPage<{ id: string }>(page, 'POST', `/api/v1/conversations/${conversationId}/messages`, { kind: 'message', content: 'Morgen tussen 8 en 10 uur.' });
    expect(replied.status).toBe(201);
    const sid = await env.app.until(async () => {
      const list = await apiAsPage<{ items: { id: string; contentAttributes: { fallback?: { externalId: string } } }[] }>(page, 'GET', `/api/v1/conversations/${conversationId}/messages`);
      return list.body.items.find((m) => m.id === replied.body.id)?.contentAttributes.fallback?.externalId;
    });
    await page.goto(`/inbox/all/${conversationId}`);
    const state = page.locator(`[data-message-id="${replied.body.id}"] .delivery-fallback`);
    await expect.poll(async () => (await state.textContent())?.trim(), { timeout: 15_000 }).toBe('Als Sms verstuurd — Verstuurd');
    // Twilio's status callback for the SMS arrives at the SMS inbox; the open conversation updates live.
    await post('sms', signedTwilio(TW.authToken, { method: 'POST', url: `${publicUrl()}/webhooks/sms/${ids.sms}`, contentType: 'application/x-www-form-urlencoded', body: smsStatus(sid, 'delivered', { To: '+31644443333' }) }));
    await expect.poll(async () => (await state.textContent())?.trim(), { timeout: 15_000 }).toBe('Als Sms verstuurd — Afgeleverd');
    await page.locator(`[data-message-id="${replied.body.id}"]`).screenshot({ path: `${shots}/sms-fallback-delivered-nl.png` });
    fallbackMessage = { conversationId, messageId: replied.body.id };
    expect(errors).toEqual([]);
  });

  it('in English: the WhatsApp form with its SMS fallback picker, and the message that went by SMS', async () => {
    const en = await openContext(env, 'en-GB');
    try {
      await login(en.page, email);
      await apiAsPage(en.page, 'PATCH', '/api/v1/me/preferences', { locale: 'en' });
      await en.page.goto('/settings/inboxes');
      await en.page.locator('li.list-line', { hasText: 'WhatsApp Klantenservice' }).getByRole('button', { name: 'Edit' }).click();
      const picker = en.page.getByLabel('SMS fallback');
      expect(await picker.locator('option').allTextContents()).toEqual(['None (do not send by SMS)', 'Sms-nummer']);
      expect(await picker.inputValue()).toBe(ids.sms);
      await en.page.getByTestId('check-connection').click();
      await en.page.locator('[role="status"]', { hasText: 'Connection works' }).waitFor();
      await picker.scrollIntoViewIfNeeded();
      await en.page.screenshot({ path: `${shots}/channel-whatsapp-en.png` });

      await en.page.goto(`/inbox/all/${fallbackMessage.conversationId}`);
      const state = en.page.locator(`[data-message-id="${fallbackMessage.messageId}"] .delivery-fallback`);
      await expect.poll(async () => (await state.textContent())?.trim(), { timeout: 15_000 }).toMatch(/^Sent as SMS — Delivered$/i);
      await en.page.locator(`[data-message-id="${fallbackMessage.messageId}"]`).screenshot({ path: `${shots}/sms-fallback-delivered-en.png` });
      expect(en.errors).toEqual([]);
    } finally {
      // The language is the user's: back to the browser's, for the Dutch tests that follow.
      await apiAsPage(en.page, 'PATCH', '/api/v1/me/preferences', { locale: null });
      await en.context.close();
    }
  });

  it('"none" removes the SMS fallback (it is not kept behind the admin\'s back)', async () => {
    await openEdit('WhatsApp Klantenservice');
    await page.getByLabel('Sms-fallback').selectOption({ label: 'Geen (niet via sms versturen)' });
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await page.locator('li.list-line', { hasText: 'WhatsApp Klantenservice' }).waitFor();
    const stored = await apiAsPage<{ settings: Record<string, unknown> }>(page, 'GET', `/api/v1/inboxes/${ids.whatsapp}`);
    expect(stored.body.settings.fallbackInboxId).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('lists a webhook Balie did not understand for the admin, who sends it through again', async () => {
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: 'not-a-list' });
    const raw = signedMeta(WA.appSecret, { method: 'POST', url: `${publicUrl()}/webhooks/whatsapp/${ids.whatsapp}`, contentType: 'application/json', body });
    const res = await fetch(`${env.base}/webhooks/whatsapp/${ids.whatsapp}`, { method: 'POST', headers: raw.headers as Record<string, string>, body: new Uint8Array(raw.rawBody) });
    expect(res.status).toBe(200);
    await page.goto('/settings/inbound');
    const row = page.locator('tr[data-event-id]', { hasText: 'Niet begrepen' });
    await row.waitFor();
    expect(await row.textContent()).toContain('WhatsApp Klantenservice');
    expect(await row.locator('.inbound-error').textContent()).toMatch(/^not understood: /);
    await page.screenshot({ path: `${shots}/inbound-failed-nl.png` });
    const eventId = (await row.getAttribute('data-event-id'))!;
    await row.getByRole('button', { name: 'Opnieuw verwerken' }).click();
    await page.getByText('Opnieuw in verwerking gezet.').waitFor();
    await page.locator(`tr[data-event-id="${eventId}"]`).waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
