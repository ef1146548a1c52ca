import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * An admin edits the certainty settings in the agent app; after saving and reloading, everything is still there.
 * A bad value is refused at its field in Dutch — by the form's own check or from the server's error code — and
 * nothing stored is lost.
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('certainty settings in the agent app', () => {
  let env: AgentAppEnv;
  let token: string;
  let inboxId: string;
  const email = 'beheer@example.nl';

  beforeAll(async () => {
    env = await startAgentApp();
    token = (await setupWorkspace(env.app, 'Netbedrijf', email)).apiToken;
    inboxId = (await createApiInbox(env.app, token, {}, 'Storingen')).id;
  });
  afterAll(() => env?.close());

  it('saves coach lists, a promise target, a case-type explanation with alternative and an incident text, and reloads them', async () => {
    const { context, page, errors } = await openContext(env);
    await login(page, email);
    await page.goto('/settings/certainty');
    const stock = page.getByLabel('Standaardzinnen (Nederlands)');
    await stock.waitFor();
    expect(await stock.inputValue()).toContain('excuses voor het ongemak => Vervelend dat dit je overkomt');
    await stock.fill(`${await stock.inputValue()}\nmet vriendelijke groet, het team => Groet, Sanne`);

    await page.getByRole('button', { name: 'Doel toevoegen' }).click();
    const target = page.getByTestId('promise-target');
    await target.getByLabel('Inbox').selectOption({ label: 'Storingen' });
    await target.getByLabel('Soort vraag (label)').fill('kabelbreuk');
    await target.getByLabel('Eerste antwoord binnen (minuten)').fill('60');
    await target.getByLabel('Opgelost binnen (minuten)').fill('43200');

    await page.getByRole('button', { name: 'Soort vraag toevoegen' }).click();
    const note = page.getByTestId('case-note');
    await note.getByLabel('Soort vraag (label)').fill('kabelbreuk');
    await note.getByLabel('Uitleg (Nederlands)').fill('De kabel moet worden opgegraven; dat duurt 3–5 weken.');
    await note.getByLabel('Alternatief (Nederlands)').fill('Intussen sturen we je een 4G-dongle.');

    await page.getByLabel('Scenario').selectOption('cable_break');
    await page.getByLabel('Banner (helpcentrum, widget, statuspagina)').fill('Kabelbreuk in {area}: we graven, klaar {expected}.');
    const pace = page.getByLabel('Tempo van meldingen (berichten per seconde)');
    expect(await pace.inputValue()).toBe('100');
    await pace.fill('20');

    // Promise acknowledgement, default promise, status-link lifetime and when to suggest a call (defaults shown).
    const ack = page.getByLabel('De belofte als eerste bevestiging sturen');
    expect(await ack.isChecked()).toBe(true);
    expect(await page.getByLabel('Statuslinks werken nog … dagen na afronden').inputValue()).toBe('30');
    expect(await page.getByLabel('Vraag opnieuw gesteld bij overeenkomst (%)').inputValue()).toBe('60');
    await ack.uncheck();
    await page.getByLabel('Standaard eerste antwoord binnen (minuten)').fill('90');
    await page.getByLabel('Standaard opgelost binnen (minuten)').fill('2880');
    await page.getByLabel('Statuslinks werken nog … dagen na afronden').fill('14');
    await page.getByLabel('Na zoveel keer heen en weer').fill('4');
    await page.getByLabel('Vraag opnieuw gesteld bij overeenkomst (%)').fill('75');
    await page.getByLabel('Extra woorden van frustratie').fill('belachelijk\nnu al de derde keer');
    await page.getByRole('button', { name: 'Zekerheid-instellingen opslaan' }).click();
    await page.getByText('Opgeslagen').first().waitFor();

    await page.reload();
    await stock.waitFor();
    expect(await stock.inputValue()).toContain('met vriendelijke groet, het team => Groet, Sanne');
    expect(await page.getByTestId('promise-target').getByLabel('Eerste antwoord binnen (minuten)').inputValue()).toBe('60');
    expect(await page.getByTestId('case-note').getByLabel('Alternatief (Nederlands)').inputValue()).toBe('Intussen sturen we je een 4G-dongle.');
    await page.getByLabel('Scenario').selectOption('cable_break');
    expect(await page.getByLabel('Banner (helpcentrum, widget, statuspagina)').inputValue()).toBe('Kabelbreuk in {area}: we graven, klaar {expected}.');
    expect(await page.getByLabel('De belofte als eerste bevestiging sturen').isChecked()).toBe(false);
    expect(await page.getByLabel('Standaard eerste antwoord binnen (minuten)').inputValue()).toBe('90');
    expect(await page.getByLabel('Standaard opgelost binnen (minuten)').inputValue()).toBe('2880');
    expect(await page.getByLabel('Statuslinks werken nog … dagen na afronden').inputValue()).toBe('14');
    expect(await page.getByLabel('Na zoveel keer heen en weer').inputValue()).toBe('4');
    expect(await page.getByLabel('Vraag opnieuw gesteld bij overeenkomst (%)').inputValue()).toBe('75');
    expect(await page.getByLabel('Extra woorden van frustratie').inputValue()).toBe('belachelijk\nnu al de derde keer');

    const stored = (await env.app.call('GET', '/api/v1/certainty/settings', { token })).body;
    expect(stored.broadcastPerSecond).toBe(20);
    expect(await pace.inputValue()).toBe('20');
    expect(stored.promiseTargets).toEqual([{ inboxId, label: 'kabelbreuk', firstResponseMinutes: 60, resolutionMinutes: 43200 }]);
    expect(stored.caseTypeNotes.kabelbreuk.nl).toEqual({ explanation: 'De kabel moet worden opgegraven; dat duurt 3–5 weken.', alternative: 'Intussen sturen we je een 4G-dongle.' });
    // Only the changed text is stored; the other texts of the scenario keep following the shipped defaults.
    expect(Object.keys(stored.incidentTemplates.cable_break.nl)).toEqual(['banner']);
    expect(stored.coach.stockPhrases.nl.at(-1)).toEqual({ phrase: 'met vriendelijke groet, het team', suggestion: 'Groet, Sanne' });
    expect(stored).toMatchObject({
      promiseAcknowledgement: false,
      promiseDefaults: { firstResponseMinutes: 90, resolutionMinutes: 2880 },
      statusLinkDays: 14,
      pingPong: { exchanges: 4, repeatSimilarity: 0.75, frustrationWords: ['belachelijk', 'nu al de derde keer'] },
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses bad values at their fields in Dutch and keeps what was stored', async () => {
    const { context, page, errors } = await openContext(env);
    await login(page, email);
    await page.goto('/settings/certainty');
    const field = (label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.error-text');
    const days = page.getByLabel('Statuslinks werken nog … dagen na afronden');
    await days.waitFor();
    const save = page.getByRole('button', { name: 'Zekerheid-instellingen opslaan' });
    const stored = async () => (await env.app.call('GET', '/api/v1/certainty/settings', { token })).body;

    // The form's own check: it says which field and why, and sends nothing.
    await days.fill('0');
    await page.getByLabel('Vraag opnieuw gesteld bij overeenkomst (%)').fill('5');
    await page.getByLabel('Extra woorden van frustratie').fill('belachelijk\nx');
    await save.click();
    expect(await field('Statuslinks werken nog … dagen na afronden').textContent()).toBe('Vul een heel getal in van 1 tot 365.');
    expect(await field('Vraag opnieuw gesteld bij overeenkomst (%)').textContent()).toBe('Vul een heel getal in van 10 tot 100.');
    expect(await field('Extra woorden van frustratie').textContent()).toBe('Elk woord of elke zin heeft 2 tot 60 tekens nodig; “x” niet.');
    expect(await page.getByRole('alert').filter({ hasText: 'Er is niets opgeslagen.' }).isVisible()).toBe(true);
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    expect(await stored()).toMatchObject({ statusLinkDays: 14, pingPong: { repeatSimilarity: 0.75, frustrationWords: ['belachelijk', 'nu al de derde keer'] } });

    // Fixed, but a promise target of 0 minutes: the server refuses it (422) and the form shows its code in Dutch.
    await days.fill('21');
    await page.getByLabel('Vraag opnieuw gesteld bij overeenkomst (%)').fill('75');
    await page.getByLabel('Extra woorden van frustratie').fill('belachelijk');
    const minutes = page.getByTestId('promise-target').getByLabel('Eerste antwoord binnen (minuten)');
    await minutes.fill('0');
    await save.click();
    const targetError = page.getByTestId('promise-target').locator('.field', { has: page.getByLabel('Eerste antwoord binnen (minuten)') }).locator('.error-text');
    await targetError.waitFor();
    expect(await targetError.textContent()).toBe('Moet minstens 1 zijn.');
    expect(await page.locator('.toast-error').textContent()).toContain('Niet alle waarden kloppen');
    expect(await field('Statuslinks werken nog … dagen na afronden').count()).toBe(0);
    // Nothing of the refused save was stored; what was typed is still in the form.
    expect((await stored()).promiseTargets[0].firstResponseMinutes).toBe(60);
    expect((await stored()).statusLinkDays).toBe(14);
    expect(await days.inputValue()).toBe('21');
    expect(errors.filter((e) => !/422/.test(e))).toEqual([]);
    await context.close();
  });

  it('gives an API inbox the same business-hours editor as every other kind, with its own save', async () => {
    const { context, page, errors } = await openContext(env);
    await login(page, email);
    await page.goto('/settings/inboxes');
    await page.locator('li.list-line', { hasText: 'Storingen' }).getByRole('button', { name: 'Bewerken' }).click();
    const editor = page.getByTestId('business-hours');
    await editor.waitFor();
    const friday = page.locator('.hours-row[data-day="5"] input[type=checkbox]');
    if (!(await friday.isChecked())) await friday.check();
    await page.getByLabel('vrijdag open tot').fill('15:30');
    await editor.getByRole('button', { name: 'Openingstijden opslaan' }).click();
    await expect
      .poll(async () => (await env.app.call('GET', `/api/v1/inboxes/${inboxId}/business-hours`, { token })).body.calendar.week[5][0]?.end)
      .toBe('15:30');
    expect(errors).toEqual([]);
    await context.close();
  });
});
