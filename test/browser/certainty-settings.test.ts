import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/** An admin edits the certainty settings in the agent app; after saving and reloading, everything is still there. */
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
    await page.getByRole('button', { name: 'Zekerheid-instellingen opslaan' }).click();
    await page.getByText('Opgeslagen').first().waitFor();

    await page.reload();
    await stock.waitFor();
    expect(await stock.inputValue()).toContain('met vriendelijke groet, het team => Groet, Sanne');
    expect(await page.getByTestId('promise-target').getByLabel('Eerste antwoord binnen (minuten)').inputValue()).toBe('60');
    expect(await page.getByTestId('case-note').getByLabel('Alternatief (Nederlands)').inputValue()).toBe('Intussen sturen we je een 4G-dongle.');
    await page.getByLabel('Scenario').selectOption('cable_break');
    expect(await page.getByLabel('Banner (helpcentrum, widget, statuspagina)').inputValue()).toBe('Kabelbreuk in {area}: we graven, klaar {expected}.');

    const stored = (await env.app.call('GET', '/api/v1/certainty/settings', { token })).body;
    expect(stored.broadcastPerSecond).toBe(20);
    expect(await pace.inputValue()).toBe('20');
    expect(stored.promiseTargets).toEqual([{ inboxId, label: 'kabelbreuk', firstResponseMinutes: 60, resolutionMinutes: 43200 }]);
    expect(stored.caseTypeNotes.kabelbreuk.nl).toEqual({ explanation: 'De kabel moet worden opgegraven; dat duurt 3–5 weken.', alternative: 'Intussen sturen we je een 4G-dongle.' });
    // Only the changed text is stored; the other texts of the scenario keep following the shipped defaults.
    expect(Object.keys(stored.incidentTemplates.cable_break.nl)).toEqual(['banner']);
    expect(stored.coach.stockPhrases.nl.at(-1)).toEqual({ phrase: 'met vriendelijke groet, het team', suggestion: 'Groet, Sanne' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a bad value in the form and keeps what was stored', async () => {
    const { context, page } = await openContext(env);
    await login(page, email);
    await page.goto('/settings/certainty');
    const minutes = page.getByTestId('promise-target').getByLabel('Eerste antwoord binnen (minuten)');
    await minutes.waitFor();
    await minutes.fill('0');
    await page.getByRole('button', { name: 'Zekerheid-instellingen opslaan' }).click();
    // The browser's own check stops the form and says why, before anything reaches the server.
    expect(await minutes.evaluate((e) => (e as HTMLInputElement).validity.rangeUnderflow)).toBe(true);
    expect(await minutes.evaluate((e) => (e as HTMLInputElement).validationMessage)).not.toBe('');
    expect((await env.app.call('GET', '/api/v1/certainty/settings', { token })).body.promiseTargets[0].firstResponseMinutes).toBe(60);
    await context.close();
  });
});
