import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { apiAsPage, login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * Never a blank page: a screen that cannot load or cannot render (data it did not expect) says so in its own
 * place with "try again", and everything around it keeps working. The failures are made at the network edge:
 * Playwright answers the screen's request with a server error or with a malformed body.
 */
const skip = browserUnavailableReason();
const ownerEmail = 'storing@example.nl';

/** Answers with the real response, bent by `bend` (to make the screen meet data it does not expect). */
async function bent(route: Route, bend: (body: Record<string, unknown>) => void) {
  const res = await route.fetch();
  const body = (await res.json()) as Record<string, unknown>;
  bend(body);
  await route.fulfill({ response: res, json: body });
}

describe.skipIf(!!skip)('screens that fail in the agent app', () => {
  let env: AgentAppEnv;
  let owner: { workspaceId: string; userId: string; apiToken: string };
  let inboxId: string;
  let n = 0;
  const contexts: { close(): Promise<void> }[] = [];

  const conversation = async (content: string, name: string) => {
    const r = await inbound(env.app, owner.apiToken, inboxId, { externalId: `scr-${++n}`, contact: { email: `scr${n}@example.nl`, name }, content });
    expect(r.status).toBe(201);
    return r.body.conversationId as string;
  };
  const agentPage = async (locale: 'nl-NL' | 'en-GB' = 'nl-NL') => {
    const c = await openContext(env, locale);
    contexts.push(c.context);
    await login(c.page, ownerEmail);
    return c;
  };

  beforeAll(async () => {
    env = await startAgentApp();
    owner = await setupWorkspace(env.app, 'Storing', ownerEmail);
    inboxId = (await createApiInbox(env.app, owner.apiToken, {}, 'Formulier')).id;
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(() => env?.close());

  it('a customer panel that cannot render leaves the conversation working, and "try again" brings it back', async () => {
    const id = await conversation('Mijn pakket is zoek.', 'Ria Render');
    const { page } = await agentPage();
    let broken = true;
    await page.route(/\/api\/v1\/contacts\/[0-9a-f-]{36}$/, (route) =>
      broken && route.request().method() === 'GET' ? bent(route, (b) => (b.identities = null)) : route.continue(),
    );
    await page.goto(`/inbox/all/${id}`);
    const panel = page.locator('.customer-panel');
    const alert = panel.getByRole('alert');
    await alert.getByText('Dit deel van het scherm kon niet worden getoond.').waitFor();
    await alert.getByText('De rest van Balie werkt gewoon door.', { exact: false }).waitFor();

    // The conversation and the list next to it are untouched: the agent answers as usual.
    await page.locator('.msg-in', { hasText: 'Mijn pakket is zoek.' }).waitFor();
    await page.locator(`[data-conversation-id="${id}"]`).waitFor();
    await page.locator('.messages').click();
    await page.keyboard.press('r');
    await page.keyboard.type('We zoeken het voor u uit.');
    await page.keyboard.press('Control+Enter');
    await page.locator('.msg-out', { hasText: 'We zoeken het voor u uit.' }).waitFor();

    // Fixed on the server: "try again" asks afresh and shows the customer.
    broken = false;
    await alert.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await panel.getByRole('heading', { name: 'Ria Render' }).waitFor();
    await panel.getByText('scr1@example.nl').waitFor();
    expect(await panel.getByRole('alert').count()).toBe(0);
  });

  it('a conversation that fails to load says so with a retry, while the list keeps working', async () => {
    const first = await conversation('Factuur klopt niet.', 'Fenna Fout');
    const other = await conversation('Graag een nieuwe afspraak.', 'Otto Ok');
    const { page } = await agentPage();
    let failing = true;
    await page.route(new RegExp(`/api/v1/conversations/${first}$`), (route) =>
      failing ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'boom' } }) }) : route.continue(),
    );
    await page.goto(`/inbox/all/${first}`);
    const pane = page.locator('.conv-pane');
    await pane.getByRole('alert').getByText('Er ging iets mis op de server. Uw werk is bewaard; probeer het opnieuw.').waitFor({ timeout: 15_000 });

    // Another conversation opens from the list as usual…
    await page.locator(`[data-conversation-id="${other}"]`).click();
    await page.locator('.msg-in', { hasText: 'Graag een nieuwe afspraak.' }).waitFor();
    // …and back on the failing one, "try again" loads it once the server answers.
    await page.locator(`[data-conversation-id="${first}"]`).click();
    await pane.getByRole('alert').waitFor({ timeout: 15_000 });
    failing = false;
    await pane.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await page.locator('.msg-in', { hasText: 'Factuur klopt niet.' }).waitFor();
  });

  it('a settings section that breaks keeps the settings menu usable (in English)', async () => {
    const { page } = await agentPage('en-GB');
    expect((await apiAsPage(page, 'PATCH', '/api/v1/me/preferences', { locale: 'en' })).status).toBe(200);
    let broken = true;
    await page.route(/\/api\/v1\/webhooks$/, (route) => (broken && route.request().method() === 'GET' ? bent(route, (b) => (b.items = null)) : route.continue()));
    await page.goto('/settings/webhooks');
    const body = page.locator('.settings-body');
    await body.getByRole('alert').getByText('This part of the screen could not be shown.').waitFor();
    await body.getByText('The rest of Balie keeps working.', { exact: false }).waitFor();

    // The menu still works: another section opens, and the sidebar still leads back to the inbox.
    await page.locator('.settings-nav').getByRole('link', { name: 'Labels' }).click();
    await body.getByRole('heading', { name: 'Labels' }).waitFor();
    expect(await body.getByRole('alert').count()).toBe(0);
    await page.locator('.settings-nav').getByRole('link', { name: 'Webhooks' }).click();
    await body.getByRole('alert').waitFor();
    broken = false;
    await body.getByRole('button', { name: 'Try again' }).click();
    await body.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await body.getByText('No webhooks yet', { exact: false }).waitFor();
  });
});
