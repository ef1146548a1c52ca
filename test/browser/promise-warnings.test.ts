import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { agePromise, runPromiseWatch } from '../support/promises';
import { alwaysOpen } from '../../src/domain/business-hours';

/**
 * Promise breach warnings as an agent sees them: the at-risk sort puts conversations whose promise is in danger
 * first with a marker, a promise turning at risk moves its row live, and the conversation shows the promise, the
 * time left and the ready "new realistic time" message.
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('promise breach warnings in the agent app', () => {
  let env: AgentAppEnv;
  const email = 'lotte@example.nl';
  const ids: Record<string, string> = {};
  let token: string;

  beforeAll(async () => {
    env = await startAgentApp();
    const owner = await setupWorkspace(env.app, 'Netbedrijf', email);
    token = owner.apiToken;
    const inboxId = (await createApiInbox(env.app, token, {}, 'Website')).id;
    await env.app.call('PATCH', '/api/v1/certainty/settings', { token, body: { defaultCalendar: alwaysOpen } });
    for (const [key, name] of [['calm', 'Anna Calm'], ['atRisk', 'Bram Risico'], ['willMiss', 'Cor Laat'], ['none', 'Dirk Zonder']] as const) {
      const r = await inbound(env.app, token, inboxId, { externalId: key, contact: { email: `${key.toLowerCase()}@klant.nl`, name }, content: 'Wanneer hoor ik iets?' });
      ids[key] = r.body.conversationId;
      if (key !== 'none') await env.app.call('POST', `/api/v1/conversations/${ids[key]}/promise`, { token, body: { locale: 'nl' } });
    }
    await agePromise(env.app, ids.calm!, 5, 240);
    await agePromise(env.app, ids.atRisk!, 240, 60);
    await agePromise(env.app, ids.willMiss!, 240, 10);
    await runPromiseWatch(env.app);
  });
  afterAll(() => env?.close());

  it('sorts promises at risk first with a marker, and moves a row live when its promise turns at risk', async () => {
    const { context, page, errors } = await openContext(env);
    await login(page, email);
    await page.goto('/inbox/all?sort=at_risk');
    const rows = page.locator('.row[data-conversation-id]');
    await rows.first().waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('.row[data-conversation-id]').length === n, 4);
    const order = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-conversation-id')));
    expect(await order()).toEqual([ids.willMiss, ids.atRisk, ids.calm, ids.none]);
    expect(await page.locator('.sort select').inputValue()).toBe('at_risk');
    const row = (id: string) => page.locator(`.row[data-conversation-id="${id}"]`);
    expect(await row(ids.willMiss!).locator('.row-promise').textContent()).toBe('Belofte wordt niet gehaald');
    expect(await row(ids.atRisk!).locator('.row-promise').textContent()).toBe('Belofte in gevaar');
    expect(await row(ids.calm!).locator('.row-promise').count()).toBe(0);

    // The calm one gets close to its promised time: the watch job's realtime event moves it, no reload.
    await agePromise(env.app, ids.calm!, 240, 40);
    await runPromiseWatch(env.app);
    await row(ids.calm!).locator('.row-promise', { hasText: 'Belofte in gevaar' }).waitFor({ timeout: 10_000 });
    expect(await order()).toEqual([ids.willMiss, ids.calm, ids.atRisk, ids.none]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the promise, the time left and the proposed new time in the conversation, in English too', async () => {
    // The interface language is the agent's own setting.
    expect((await env.app.call('PATCH', '/api/v1/me', { token, body: { locale: 'en' } })).status).toBe(204);
    const { context, page, errors } = await openContext(env, 'en-GB');
    await login(page, email);
    await page.goto(`/inbox/all/${ids.willMiss}?sort=at_risk`);
    const badge = page.locator('.promise-badge');
    await badge.waitFor();
    expect(await badge.getAttribute('data-state')).toBe('will_miss');
    expect(await badge.textContent()).toContain('Will be missed');
    expect(await page.getByTestId('promise-time-left').textContent()).toMatch(/· (9|10) mins left$/);
    const proposal = page.getByRole('alert').filter({ hasText: 'This promise will be missed' });
    await proposal.waitFor();
    // The customer was promised in Dutch, so the proposal is written in Dutch.
    expect(await proposal.locator('q').textContent()).toContain('Dat gaat ons niet lukken');
    await proposal.getByRole('button', { name: 'Send this message' }).click();
    await page.getByText('Sent.').waitFor();
    await page.locator('.msg-out', { hasText: 'Dat gaat ons niet lukken' }).first().waitFor({ timeout: 10_000 });
    // The new time is now the conversation's promise; the old one is in its history.
    await page.locator('.promise-badge[data-state="on_track"]').waitFor({ timeout: 10_000 });
    expect(await badge.textContent()).toContain('Revised 1×');
    await page.getByTestId('promise-history').locator('summary').click();
    expect(await page.getByTestId('promise-history').locator('li').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
