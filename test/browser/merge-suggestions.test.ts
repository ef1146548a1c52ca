import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * The customer panel suggests probable duplicates ("possibly the same person"), opens the merge preview from
 * the suggestion, and forgets a dismissed one for good.
 */
const skip = browserUnavailableReason();
const ownerEmail = 'beheer@acme.test';

describe.skipIf(!!skip)('merge suggestions in the customer panel', () => {
  let env: AgentAppEnv;
  let token: string;
  let inboxId: string;

  beforeAll(async () => {
    env = await startAgentApp();
    token = (await setupWorkspace(env.app, 'Acme', ownerEmail)).apiToken;
    inboxId = (await createApiInbox(env.app, token)).id;
  });
  afterAll(() => env?.close());

  const from = async (contact: Record<string, unknown>, content = 'Hallo') => {
    const r = await inbound(env.app, token, inboxId, { externalId: crypto.randomUUID(), contact, content });
    return r.body as { conversationId: string; contactId: string };
  };

  it('shows, dismisses and reviews suggestions, then merges through the preview', async () => {
    const current = await from({ email: 'jan@bakkerij-jansen.nl', name: 'Jan Jansen' }, 'Mijn bestelling is niet aangekomen');
    const colleague = await from({ email: 'j.jansen@bakkerij-jansen.nl', name: 'Jan Jansen' });
    const byPhone = await from({ phone: '+31612345678', name: 'Jan Jansen' });
    await env.app.call('PATCH', `/api/v1/contacts/${current.contactId}`, { token, body: { attributes: { telefoon: '06 1234 5678' } } });
    await from({ email: 'jan.jansen@gmail.com', name: 'Jan Jansen' });

    const { page, errors, context } = await openContext(env, 'nl-NL');
    await login(page, ownerEmail);
    await page.goto(`/inbox/all/${current.conversationId}`);
    const panel = page.getByRole('complementary', { name: /klant/i });
    const suggestions = panel.getByRole('region', { name: 'Misschien dezelfde persoon' });
    await expect.poll(() => suggestions.locator('li').count(), { timeout: 15_000 }).toBe(2);
    const [first, second] = [suggestions.locator('li').nth(0), suggestions.locator('li').nth(1)];
    expect(await first.textContent()).toContain('Zelfde naam en telefoonnummer (+31612345678)');
    expect(await second.textContent()).toContain('Zelfde naam en e-maildomein (bakkerij-jansen.nl)');
    expect(await suggestions.textContent()).not.toContain('gmail.com');
    await panel.screenshot({ path: 'docs/screenshots/merge-suggestions-nl.png' });

    await second.getByRole('button', { name: 'Niet dezelfde persoon' }).click();
    await expect.poll(() => suggestions.locator('li').count()).toBe(1);
    const stored = await env.app.call('GET', `/api/v1/contacts/${current.contactId}/merge-suggestions`, { token });
    expect(stored.body.items.map((i: { contact: { id: string } }) => i.contact.id)).toEqual([byPhone.contactId]);

    await suggestions.getByRole('button', { name: 'Samenvoegen bekijken' }).click();
    const dialog = page.getByRole('dialog');
    // The preview's summary, not the spinner shown while it loads (both are role="status").
    await dialog.locator('.merge-summary').waitFor();
    expect(await dialog.textContent()).toContain('+31612345678');
    await dialog.getByRole('button', { name: 'Samenvoegen', exact: true }).click();
    await expect.poll(() => suggestions.count()).toBe(0);
    const merged = await env.app.call('GET', `/api/v1/contacts/${byPhone.contactId}`, { token });
    expect(merged.body.mergedIntoId).toBe(current.contactId);
    const colleagueNow = await env.app.call('GET', `/api/v1/contacts/${colleague.contactId}`, { token });
    expect(colleagueNow.body.mergedIntoId).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });
});
