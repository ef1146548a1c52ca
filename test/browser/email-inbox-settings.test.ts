import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { setupWorkspace } from '../support/app';
import { inboxes } from '../../src/store/schema';
import { readSecrets } from '../../src/app/inboxes';

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

  const inboxView = async () =>
    (await (await fetch(`${env.base}/api/v1/inboxes/${inboxId}`, { headers: { authorization: `Bearer ${owner.apiToken}` } })).json()) as { settings: Record<string, unknown>; secretsSet: string[] };
  const settings = async () => (await inboxView()).settings;
  const storedSecrets = async () => {
    const rows = await env.app.balie.services.store.db.select().from(inboxes);
    return readSecrets(env.app.balie.services, rows.find((r) => r.id === inboxId)!);
  };

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

  it('clears an emptied signature and SMTP server on the server, and leaves a stored password alone unless one is typed', async () => {
    const patched = await fetch(`${env.base}/api/v1/inboxes/${inboxId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${owner.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { signature: 'Groet, de Fietsfabriek', smtpHost: '127.0.0.1', smtpPort: 2525, smtpUser: 'fiets', smtpPassword: 'oud-wachtwoord', imapPassword: 'imap-wachtwoord' } }),
    });
    expect(patched.status).toBe(200);
    await openForm();
    const signature = page.getByLabel('Handtekening van de inbox');
    const smtpHost = page.locator('#email-smtpHost');
    const smtpPassword = page.locator('#email-smtpPassword');
    const imapPassword = page.locator('#email-imapPassword');
    expect(await signature.inputValue()).toBe('Groet, de Fietsfabriek');
    expect(await smtpHost.inputValue()).toBe('127.0.0.1');
    // The stored password is never sent to the browser; the form says one is set.
    expect(await smtpPassword.inputValue()).toBe('');
    expect(await smtpPassword.getAttribute('placeholder')).toBe('••••••••');
    await page.locator('.field', { has: smtpPassword }).getByText('Er is een wachtwoord ingesteld; vul alleen in om het te vervangen.').waitFor();

    await signature.fill('');
    await smtpHost.fill('');
    // Typed and erased again: still "leave it alone".
    await imapPassword.fill('oeps');
    await imapPassword.fill('');
    await save();
    await page.getByRole('button', { name: 'Nieuwe inbox' }).waitFor();
    await expect.poll(settings).not.toHaveProperty('signature');
    const after = await inboxView();
    expect(after.settings).not.toHaveProperty('smtpHost');
    expect(after.settings).toMatchObject({ smtpPort: 2525, smtpUser: 'fiets', address: 'support@fiets.test' });
    expect(after.secretsSet).toEqual(['imapPassword', 'smtpPassword']);
    expect(await storedSecrets()).toEqual({ smtpPassword: 'oud-wachtwoord', imapPassword: 'imap-wachtwoord' });

    // Typing a password replaces it; the other one stays.
    await openForm();
    expect(await signature.inputValue()).toBe('');
    await smtpPassword.fill('nieuw-wachtwoord');
    await save();
    await page.getByRole('button', { name: 'Nieuwe inbox' }).waitFor();
    await expect.poll(storedSecrets).toEqual({ smtpPassword: 'nieuw-wachtwoord', imapPassword: 'imap-wachtwoord' });
    expect(errors).toEqual([]);
  });
});
