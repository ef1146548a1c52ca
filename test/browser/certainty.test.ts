import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * What a person sees: the incident banner on the customer's case-status page (on a phone-sized screen), and the
 * reply coach flagging a stock phrase in the agent's composer without blocking the send button.
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('certainty in the browser', () => {
  let env: AgentAppEnv;
  let owner: { workspaceId: string; apiToken: string };
  const email = 'sanne@example.nl';
  let conversationId: string;

  beforeAll(async () => {
    env = await startAgentApp();
    owner = await setupWorkspace(env.app, 'Netbedrijf', email);
    const inboxId = (await createApiInbox(env.app, owner.apiToken, {}, 'Website')).id;
    const r = await inbound(env.app, owner.apiToken, inboxId, { externalId: 'b-1', contact: { email: 'joost@klant.nl', name: 'Joost Mulder' }, content: 'Mijn internet ligt eruit. Wanneer werkt het weer?' });
    conversationId = r.body.conversationId;
    await env.app.call('PATCH', `/api/v1/contacts/${r.body.contactId}`, { token: owner.apiToken, body: { attributes: { postcode: '3512AB' } } });
  });
  afterAll(() => env?.close());

  it('shows the incident banner on the case-status page', async () => {
    const declared = await env.app.call('POST', '/api/v1/incidents', {
      token: owner.apiToken,
      body: { scenario: 'cable_break', segment: { postcodeFrom: 3500, postcodeTo: 3599 }, variables: { area: 'Utrecht-Oost', expected: 'vrijdag 18:00' }, notify: false },
    });
    expect(declared.status).toBe(201);
    const link = await env.app.call('POST', `/api/v1/conversations/${conversationId}/status-link`, { token: owner.apiToken });
    const { context, page, errors } = await openContext(env);
    await page.setViewportSize({ width: 390, height: 800 });
    // Tests run Balie on a random port; PUBLIC_URL does not know it, so open the link's path on the test server.
    await page.goto(new URL(link.body.url).pathname);
    const banner = page.getByRole('status').filter({ hasText: 'Kabelbreuk in Utrecht-Oost' });
    await banner.waitFor({ timeout: 10_000 });
    expect(await page.getByText('Mijn internet ligt eruit.').isVisible()).toBe(true);
    // Fits a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('status').filter({ hasText: 'Cable break in Utrecht-Oost' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('flags a stock phrase in the composer and still lets the agent send', async () => {
    const { context, page, errors } = await openContext(env);
    await login(page, email);
    await page.goto(`/inbox/all/${conversationId}`);
    const box = page.getByPlaceholder('Antwoord aan Joost Mulder…');
    await box.fill('Excuses voor het ongemak, we kijken er zo snel mogelijk naar.');
    const coach = page.getByRole('status', { name: 'Antwoordcoach' });
    await coach.waitFor({ timeout: 10_000 });
    expect(await coach.locator('[data-kind="stock_phrase"]').textContent()).toContain('Excuses voor het ongemak');
    expect(await coach.locator('[data-kind="vague_promise"]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Versturen', exact: true }).isEnabled()).toBe(true);
    await coach.getByRole('button', { name: 'Voorgestelde tekst gebruiken' }).click();
    expect(await box.inputValue()).toBe('Vervelend dat dit je overkomt, we kijken er vóór [dag en tijd] naar.');
    await box.fill('Ik bel je morgen om 10:00 met het antwoord.');
    await coach.waitFor({ state: 'detached', timeout: 5_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
