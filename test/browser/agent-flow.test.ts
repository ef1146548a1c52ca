import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { createHttpSink } from '../support/http-sink';
import { openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * The whole first day in a real Chromium: set up Balie, create an API inbox, a customer message arrives through
 * the API and appears live, the agent replies, the customer's system receives the signed reply, the agent
 * resolves. Once in Dutch and once in English: every label the test clicks is the one a person reads.
 */
const skip = browserUnavailableReason();

const text = {
  nl: {
    org: 'Naam van uw organisatie',
    name: 'Uw naam',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    create: 'Werkruimte aanmaken',
    newInbox: 'Nieuwe inbox',
    inboxName: 'Naam',
    webhook: 'Webhook voor antwoorden',
    createInbox: 'Inbox aanmaken',
    done: 'Klaar',
    tokens: 'API-tokens',
    tokenName: 'Naam van het nieuwe token',
    createToken: 'Token aanmaken',
    all: 'Alle',
    sent: 'Verstuurd',
    resolved: 'Opgelost',
    reply: 'Antwoord aan Marieke Visser…',
  },
  en: {
    org: 'Name of your organisation',
    name: 'Your name',
    email: 'E-mail address',
    password: 'Password',
    create: 'Create workspace',
    newInbox: 'New inbox',
    inboxName: 'Name',
    webhook: 'Webhook for replies',
    createInbox: 'Create inbox',
    done: 'Done',
    tokens: 'API tokens',
    tokenName: 'Name of the new token',
    createToken: 'Create token',
    all: 'All',
    sent: 'Sent',
    resolved: 'Resolved',
    reply: 'Reply to Marieke Visser…',
  },
};

describe.skipIf(!!skip).each([
  ['nl', 'nl-NL'],
  ['en', 'en-GB'],
] as const)('agent app, first day (%s)', (lang, locale) => {
  const L = text[lang];
  let env: AgentAppEnv;
  let sink: Awaited<ReturnType<typeof createHttpSink>>;

  beforeAll(async () => {
    sink = await createHttpSink(() => ({ status: 200, body: JSON.stringify({ id: 'shop-reply-1' }) }));
    env = await startAgentApp();
  });
  afterAll(async () => {
    await env?.close();
    await sink?.close();
  });

  it('setup → API inbox → live inbound → reply reaches the signed webhook → resolve', async () => {
    const { page, errors } = await openContext(env, locale);

    // First run: the empty install sends everyone to the setup wizard.
    await page.goto('/');
    await page.waitForURL(/\/setup$/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    await page.getByLabel(L.org).fill('Fietsfabriek');
    await page.getByLabel(L.name).fill('Sanne Jansen');
    await page.getByLabel(L.email).fill('sanne@example.nl');
    await page.getByLabel(L.password).fill('correct-horse-battery');
    await page.getByRole('button', { name: L.create }).click();
    await page.waitForURL(/\/settings\/inboxes/);

    // An API inbox whose replies go to the shop's webhook.
    await page.getByRole('button', { name: L.newInbox }).click();
    await page.getByLabel(L.inboxName, { exact: true }).fill('Webshop');
    await page.getByLabel(L.webhook).fill(`${sink.url}/replies`);
    await page.getByRole('button', { name: L.createInbox }).click();
    const secret = (await page.locator('[data-secret=webhookSecret]').textContent())!.trim();
    expect(secret.length).toBeGreaterThanOrEqual(16);
    await page.getByRole('button', { name: L.done }).click();

    // A token for the shop's system.
    await page.getByRole('link', { name: L.tokens }).click();
    await page.getByLabel(L.tokenName).fill('webshop');
    await page.getByRole('button', { name: L.createToken }).click();
    const token = (await page.locator('[data-secret=apiToken]').textContent())!.trim();
    const inboxes = await (await fetch(`${env.base}/api/v1/inboxes`, { headers: { authorization: `Bearer ${token}` } })).json();
    const inboxId = inboxes.items[0].id as string;

    // The inbox is open when the customer writes: the conversation appears without a reload.
    await page.getByRole('link', { name: new RegExp(`^${L.all}`) }).click();
    await page.waitForURL(/\/inbox\/all/);
    await page.waitForFunction(() => document.querySelector('.connection') === null, undefined, { timeout: 10_000 });
    const ingest = await fetch(`${env.base}/api/v1/inboxes/${inboxId}/inbound`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalId: 'order-77-1', contact: { email: 'marieke@example.nl', name: 'Marieke Visser' }, content: 'Waar blijft mijn bestelling 77?' }),
    });
    expect(ingest.status).toBe(201);
    const { conversationId } = await ingest.json();
    const row = page.locator(`[data-conversation-id="${conversationId}"]`);
    await row.waitFor({ timeout: 5000 });
    await expect.poll(() => row.textContent()).toContain('Waar blijft mijn bestelling 77?');
    expect(await row.getAttribute('class')).toContain('unread');

    // Open it with the keyboard, reply with r … Ctrl+Enter.
    await page.keyboard.press('j');
    await page.waitForURL(new RegExp(conversationId));
    await page.locator('.msg-in').getByText('Waar blijft mijn bestelling 77?').waitFor();
    await page.keyboard.press('r');
    await page.keyboard.type('Hoi Marieke, hij gaat vandaag op de post. Morgen voor 12:00 in huis.');
    await page.keyboard.press('Control+Enter');
    const out = page.locator('.msg-out').filter({ hasText: 'Morgen voor 12:00 in huis.' });
    await out.waitFor();
    await expect.poll(() => page.getByPlaceholder(L.reply).inputValue()).toBe('');

    // The shop's webhook got it, signed with the inbox secret; the agent sees it was sent.
    await expect.poll(() => sink.received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const delivered = sink.received[0]!;
    expect(delivered.url).toBe('/replies');
    expect(delivered.headers['x-balie-signature']).toBe(`sha256=${crypto.createHmac('sha256', secret).update(delivered.body).digest('hex')}`);
    expect(JSON.parse(delivered.body).message.content).toBe('Hoi Marieke, hij gaat vandaag op de post. Morgen voor 12:00 in huis.');
    await out.locator(`.delivery.sent[title="${L.sent}"]`).waitFor({ timeout: 15_000 });

    // Resolve with e; the conversation leaves the open list and the server agrees.
    await page.locator('.messages').click();
    await page.keyboard.press('e');
    await page.locator('.conv-header .status-badge', { hasText: L.resolved }).waitFor();
    await row.waitFor({ state: 'detached' });
    const conv = await (await fetch(`${env.base}/api/v1/conversations/${conversationId}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(conv.status).toBe('resolved');
    expect(errors).toEqual([]);
  });
});
