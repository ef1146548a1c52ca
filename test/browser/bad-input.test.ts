import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sessions } from '../../src/store/schema';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * What customers and networks actually send: a 1 MB message, right-to-left text, emoji, words without end,
 * a session that expires mid-sentence, a server that fails. The screen must stay usable and say what happened.
 */
const skip = browserUnavailableReason();
const ownerEmail = 'beheer@example.nl';

/** No element may push the page sideways: the usual symptom of a long word or name breaking the layout. */
async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => {
    const doc = document.documentElement;
    const offenders = [...document.querySelectorAll<HTMLElement>('.messages, .list-scroll, .customer-panel, .conv-header, .row')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.className);
    return { page: doc.scrollWidth > window.innerWidth + 1, offenders };
  });
  expect(overflow).toEqual({ page: false, offenders: [] });
}

describe.skipIf(!!skip)('bad input in the agent app', () => {
  let env: AgentAppEnv;
  let owner: { workspaceId: string; userId: string; apiToken: string };
  let inboxId: string;
  let n = 0;
  const contexts: { close(): Promise<void> }[] = [];

  const conversation = async (content: string, contact: Record<string, string> = { email: `k${++n}@example.nl` }) => {
    const r = await inbound(env.app, owner.apiToken, inboxId, { externalId: `bad-${++n}`, contact, content });
    expect(r.status).toBe(201);
    return r.body.conversationId as string;
  };
  const agentPage = async () => {
    const c = await openContext(env);
    contexts.push(c.context);
    await login(c.page, ownerEmail);
    return c;
  };

  beforeAll(async () => {
    env = await startAgentApp();
    owner = await setupWorkspace(env.app, 'Storingen', ownerEmail);
    inboxId = (await createApiInbox(env.app, owner.apiToken, {}, 'Formulier')).id;
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(() => env?.close());

  it('shows a 1 MB message without freezing or breaking the layout, whole on request', async () => {
    const huge = `${'Dit is een hele lange klacht. '.repeat(34_000).slice(0, 1_000_000 - 5)}EINDE`;
    const id = await conversation(huge);
    const { page } = await agentPage();
    const t0 = Date.now();
    await page.goto(`/inbox/all/${id}`);
    const msg = page.locator('.msg-in .msg-text');
    await msg.waitFor();
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await msg.textContent())!.length).toBeLessThan(10_000);
    await expectNoHorizontalOverflow(page);
    await page.getByRole('button', { name: /Hele bericht tonen \(1\.000\.000 tekens\)/ }).click();
    await expect.poll(async () => (await msg.textContent())!.includes('EINDE')).toBe(true);
    await expectNoHorizontalOverflow(page);
    // The list preview is bounded by the server as well.
    expect((await page.locator(`[data-conversation-id="${id}"] .row-preview`).textContent())!.length).toBeLessThan(300);
  });

  it('lays out right-to-left text, emoji and endless words and names inside their boxes', async () => {
    const arabic = 'مرحبا، طلبي لم يصل بعد. رقم الطلب ٥٥١٢٣. هل يمكنكم المساعدة؟';
    const rtl = await conversation(arabic, { email: 'rtl@example.com', name: 'فاطمة الزهراء' });
    const emoji = await conversation('🚲💥😡'.repeat(300), { email: 'emoji@example.com', name: '🙂'.repeat(40) });
    const longWord = `Bestelnummer${'X'.repeat(5000)}`;
    const long = await conversation(longWord, { email: 'long@example.com', name: `Maximiliaan${'a'.repeat(180)}` });
    const { page } = await agentPage();

    await page.goto(`/inbox/all/${rtl}`);
    const rtlText = page.locator('.msg-in .msg-text');
    await rtlText.waitFor();
    expect(await rtlText.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await page.locator('.conv-title h2').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await expectNoHorizontalOverflow(page);

    await page.goto(`/inbox/all/${emoji}`);
    await page.locator('.msg-in .msg-text').waitFor();
    await expectNoHorizontalOverflow(page);

    await page.goto(`/inbox/all/${long}`);
    await page.locator('.msg-in .msg-text', { hasText: 'Bestelnummer' }).waitFor();
    await expectNoHorizontalOverflow(page);
    const bubble = await page.locator('.msg-in .msg-bubble').boundingBox();
    const pane = await page.locator('.messages').boundingBox();
    expect(bubble!.x + bubble!.width).toBeLessThanOrEqual(pane!.x + pane!.width + 1);
  });

  it('returns to the login over the screen when the session expires, and keeps the draft', async () => {
    const id = await conversation('Wanneer komt de monteur?');
    const { page } = await agentPage();
    await page.goto(`/inbox/all/${id}`);
    await page.locator('.msg-in').waitFor();
    await page.locator('.messages').click();
    await page.keyboard.press('r');
    await page.keyboard.type('De monteur komt donderdag tussen 8 en 12 uur.');
    await page.waitForTimeout(400); // the draft is saved a moment after typing stops

    // The session ends on the server (expired, or logged out elsewhere).
    await env.app.balie.services.store.db.update(sessions).set({ expiresAt: new Date(Date.now() - 60_000) });
    await page.keyboard.press('Control+Enter');
    const overlay = page.locator('.expired-overlay');
    await overlay.getByRole('heading', { name: 'Uw sessie is verlopen' }).waitFor();
    expect(await overlay.getByLabel('E-mailadres').inputValue()).toBe(ownerEmail);

    // A reload now would also keep the draft: it is in local storage.
    expect(await page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('balie.draft.') && localStorage.getItem(k)!.includes('donderdag')))).toBe(true);

    await overlay.getByLabel('Wachtwoord').fill('correct-horse-battery');
    await overlay.getByRole('button', { name: 'Inloggen' }).click();
    await overlay.waitFor({ state: 'detached' });
    const box = page.getByRole('textbox', { name: /Antwoord aan/ });
    expect(await box.inputValue()).toBe('De monteur komt donderdag tussen 8 en 12 uur.');
    await box.focus();
    await page.keyboard.press('Control+Enter');
    await page.locator('.msg-out', { hasText: 'De monteur komt donderdag tussen 8 en 12 uur.' }).waitFor();
    expect(await box.inputValue()).toBe('');

    // After a full reload of an expired session, the login page leads back with the draft of another message.
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await page.keyboard.type('Tweede concept');
    await page.waitForTimeout(400);
    await env.app.balie.services.store.db.update(sessions).set({ expiresAt: new Date(Date.now() - 60_000) });
    await page.reload();
    await page.getByRole('heading', { name: 'Inloggen bij Balie' }).waitFor();
    await page.getByLabel('E-mailadres').fill(ownerEmail);
    await page.getByLabel('Wachtwoord').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(new RegExp(id));
    await expect.poll(() => page.getByRole('textbox', { name: /Antwoord aan/ }).inputValue()).toBe('Tweede concept');
  });

  it('shows a clear message and a retry when the server fails, never a blank page', async () => {
    const id = await conversation('Storing?');
    const { page } = await agentPage();
    let failing = true;
    await page.route(/\/api\/v1\/conversations\?/, (route) =>
      failing ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'boom' } }) }) : route.continue(),
    );
    await page.goto('/inbox/all');
    const alert = page.locator('.list-pane [role=alert]');
    await alert.getByText('Er ging iets mis op de server. Uw werk is bewaard; probeer het opnieuw.').waitFor({ timeout: 15_000 });
    failing = false;
    await alert.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await page.locator(`[data-conversation-id="${id}"]`).waitFor();

    // Sending fails once: the text stays, the error says so, and "try again" sends it.
    await page.route(/\/api\/v1\/conversations\/[^/]+\/messages$/, (route) =>
      route.request().method() === 'POST' && failing
        ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'down' } }) })
        : route.continue(),
    );
    await page.goto(`/inbox/all/${id}`);
    await page.locator('.msg-in').waitFor();
    await page.locator('.messages').click();
    await page.keyboard.press('r');
    await page.keyboard.type('We kijken ernaar.');
    failing = true;
    await page.keyboard.press('Control+Enter');
    const error = page.locator('.composer-error');
    await error.waitFor();
    expect(await page.getByRole('textbox', { name: /Antwoord aan/ }).inputValue()).toBe('We kijken ernaar.');
    failing = false;
    await error.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await page.locator('.msg-out', { hasText: 'We kijken ernaar.' }).waitFor();
    await error.waitFor({ state: 'detached' });
  });
});
