import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { setupWorkspace } from '../support/app';

/**
 * The e-mail inbox form's IMAP IDLE switch and poll interval in a real Chromium: an admin turns IDLE off and sets
 * the interval, saves, and finds both back after a reload; an interval outside 1–60 is refused and the saved
 * value stays; turning IDLE on again is saved too.
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('e-mail inbox settings: IDLE and poll interval', () => {
  let env: AgentAppEnv;
  let page: Page;
  let errors: string[];
  let owner: { apiToken: string };
  let inboxId: string;
  const email = `owner-${Date.now()}@fietsfabriek.nl`;

  const settings = async () =>
    ((await (await fetch(`${env.base}/api/v1/inboxes/${inboxId}`, { headers: { authorization: `Bearer ${owner.apiToken}` } })).json()) as { settings: Record<string, unknown> }).settings;

  beforeAll(async () => {
    env = await startAgentApp();
    owner = await setupWorkspace(env.app, 'Fietsfabriek', email);
    const res = await fetch(`${env.base}/api/v1/inboxes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Support-mail', kind: 'email', settings: { address: 'support@fiets.test' } }),
    });
    expect(res.status).toBe(201);
    inboxId = ((await res.json()) as { id: string }).id;
    ({ page, errors } = await openContext(env, 'nl-NL'));
    await login(page, email);
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });

  async function openForm() {
    await page.goto('/settings/inboxes');
    await page.locator('li.list-line', { hasText: 'Support-mail' }).getByRole('button', { name: 'Bewerken' }).click();
    return { idle: page.getByLabel('Nieuwe mail direct ophalen (IMAP IDLE)'), poll: page.locator('#email-imapPollMinutes') };
  }
  const save = async () => {
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  };

  it('saves IDLE off and the interval, keeps them after a reload, and refuses an interval outside 1–60', async () => {
    let form = await openForm();
    // Unset means on, and the interval shows the default as a placeholder.
    expect(await form.idle.isChecked()).toBe(true);
    expect(await form.poll.inputValue()).toBe('');
    await form.idle.uncheck();
    await form.poll.fill('5');
    await save();
    await page.getByRole('button', { name: 'Nieuwe inbox' }).waitFor();
    await expect.poll(settings).toMatchObject({ imapIdle: false, imapPollMinutes: 5 });

    await page.reload();
    form = await openForm();
    expect(await form.idle.isChecked()).toBe(false);
    expect(await form.poll.inputValue()).toBe('5');

    for (const bad of ['0', '61']) {
      await form.poll.fill(bad);
      await save();
      // Refused, nothing is stored, the form stays open and says why (an error toast, closed before going on).
      const toast = page.locator('.toast-error');
      await toast.waitFor();
      expect(await toast.textContent()).toMatch(/imapPollMinutes|minu/i);
      await toast.getByRole('button', { name: 'Sluiten' }).click();
      await toast.waitFor({ state: 'hidden' });
      expect(await page.getByRole('button', { name: 'Opslaan', exact: true }).isVisible()).toBe(true);
      expect((await settings()).imapPollMinutes).toBe(5);
    }

    await form.poll.fill('15');
    await form.idle.check();
    await save();
    await page.getByRole('button', { name: 'Nieuwe inbox' }).waitFor();
    await expect.poll(settings).toMatchObject({ imapIdle: true, imapPollMinutes: 15 });
    expect(errors).toEqual([]);
  });

  it('saves the IMAP trust settings and the sender limit, and refuses an authserv-id that is no host name', async () => {
    await openForm();
    const hops = page.getByLabel('Received-headers van uw provider');
    const servId = page.getByLabel('Authserv-id van uw provider (optioneel)');
    const limit = page.getByLabel('Maximaal aantal mails per afzender per uur');
    // Defaults show as placeholders.
    expect([await hops.inputValue(), await hops.getAttribute('placeholder'), await limit.getAttribute('placeholder')]).toEqual(['', '1', '60']);
    await hops.fill('2');
    await servId.fill('MX.Google.com');
    await limit.fill('20');
    await save();
    await page.getByRole('button', { name: 'Nieuwe inbox' }).waitFor();
    await expect.poll(settings).toMatchObject({ imapTrustedHops: 2, imapAuthServId: 'mx.google.com', senderLimitPerHour: 20 });

    await openForm();
    await servId.fill('geen host; dmarc=pass');
    await save();
    const toast = page.locator('.toast-error');
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/imapAuthServId|host/i);
    await toast.getByRole('button', { name: 'Sluiten' }).click();
    expect((await settings()).imapAuthServId).toBe('mx.google.com');
    expect(errors).toEqual([]);
  });
});
