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

    for (const [bad, says] of [
      ['0', 'Moet minstens 1 zijn.'],
      ['61', 'Mag hoogstens 60 zijn.'],
    ] as const) {
      await form.poll.fill(bad);
      await save();
      // Refused, nothing is stored, the form stays open and says why — in Dutch, from the server's error code: at
      // the field, and an error toast (closed before going on).
      const toast = page.locator('.toast-error');
      await toast.waitFor();
      expect(await toast.textContent()).toContain('Niet alle instellingen kloppen');
      expect(await page.locator('.field', { has: form.poll }).locator('.error-text').textContent()).toBe(says);
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

  it('has the shared business-hours editor: hours set on an e-mail inbox stay after a reload; a day ending before it starts is refused', async () => {
    const hours = async () =>
      (await (await fetch(`${env.base}/api/v1/inboxes/${inboxId}/business-hours`, { headers: { authorization: `Bearer ${owner.apiToken}` } })).json()) as {
        own: boolean;
        calendar: { timeZone: string; week: { start: string; end: string }[][] };
      };
    await openForm();
    const editor = page.getByTestId('business-hours');
    await editor.waitFor();
    expect(await editor.getByText('Deze inbox gebruikt de tijden van de werkruimte.', { exact: false }).isVisible()).toBe(true);
    const monday = page.locator('.hours-row[data-day="1"]');
    if (!(await monday.locator('input[type=checkbox]').isChecked())) await monday.locator('input[type=checkbox]').check();
    await page.getByLabel('maandag open vanaf').fill('08:30');
    await page.getByLabel('maandag open tot').fill('12:15');
    const saturday = page.locator('.hours-row[data-day="6"] input[type=checkbox]');
    if (await saturday.isChecked()) await saturday.uncheck();
    await page.locator('#hours-zone').fill('Europe/Amsterdam');
    await page.getByRole('button', { name: 'Openingstijden opslaan' }).click();
    await expect.poll(async () => (await hours()).own).toBe(true);
    let stored = await hours();
    expect(stored.calendar.week[1]![0]).toEqual({ start: '08:30', end: '12:15' });
    expect(stored.calendar.week[6]).toEqual([]);
    expect(stored.calendar.timeZone).toBe('Europe/Amsterdam');

    await page.reload();
    await openForm();
    await editor.waitFor();
    expect(await page.getByLabel('maandag open vanaf').inputValue()).toBe('08:30');
    expect(await page.getByLabel('maandag open tot').inputValue()).toBe('12:15');
    expect(await page.locator('.hours-row[data-day="6"] input[type=checkbox]').isChecked()).toBe(false);
    expect(await editor.getByText('Deze inbox heeft eigen openingstijden.', { exact: false }).isVisible()).toBe(true);

    // Closing before opening: the editor says so at the day and sends nothing; what was stored stays.
    await page.getByLabel('maandag open tot').fill('07:00');
    await page.getByRole('button', { name: 'Openingstijden opslaan' }).click();
    await monday.getByRole('alert').waitFor();
    expect(await monday.getByRole('alert').textContent()).toBe('maandag: de sluitingstijd moet later zijn dan de openingstijd.');
    expect(await page.getByLabel('maandag open tot').getAttribute('aria-invalid')).toBe('true');
    stored = await hours();
    expect(stored.calendar.week[1]![0]).toEqual({ start: '08:30', end: '12:15' });

    // A time zone the server does not know: its 422 is shown at the field in Dutch, by the error's code.
    await page.getByLabel('maandag open tot').fill('12:15');
    await page.locator('#hours-zone').fill('Europe/Amsterdm');
    await page.getByRole('button', { name: 'Openingstijden opslaan' }).click();
    const zoneError = editor.locator('.field', { has: page.locator('#hours-zone') }).locator('.error-text');
    await zoneError.waitFor();
    expect(await zoneError.textContent()).toBe('Onbekende tijdzone; gebruik een naam zoals Europe/Amsterdam.');
    expect((await hours()).calendar.timeZone).toBe('Europe/Amsterdam');
    expect(errors.filter((e) => !/422/.test(e))).toEqual([]);
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
    // The toast says in Dutch that a field is wrong; the field itself says what is wrong with it.
    const toast = page.locator('.toast-error');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('Niet alle instellingen kloppen');
    const fieldError = page.locator('.field', { has: servId }).locator('.error-text');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/host/i);
    await toast.getByRole('button', { name: 'Sluiten' }).click();
    expect((await settings()).imapAuthServId).toBe('mx.google.com');
    expect(errors).toEqual([]);
  });
});
