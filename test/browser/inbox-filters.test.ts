import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { addMember, createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * The list filters in a real Chromium, in Dutch: priority and agent narrow the list, the choice is in the
 * address and survives a reload, a live change moves a conversation into the filtered list, a chip removes it.
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('the list filters', () => {
  let env: AgentAppEnv;
  let token: string;
  let colleague: Awaited<ReturnType<typeof addMember>>;
  const ids: string[] = [];
  const ownerEmail = 'filters@fietsfabriek.example';
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await env.app.call(method, url, { token, body });
    expect(r.status, `${method} ${url}: ${r.text}`).toBeLessThan(300);
    return r.body;
  };

  beforeAll(async () => {
    env = await startAgentApp();
    const owner = await setupWorkspace(env.app, 'Fietsfabriek', ownerEmail);
    token = owner.apiToken;
    colleague = await addMember(env.app, owner.workspaceId, 'agent', 'Noor Peeters');
    const inboxId = (await createApiInbox(env.app, token, {}, 'Webshop')).id;
    await call('PATCH', `/api/v1/inboxes/${inboxId}`, { memberIds: [colleague.userId] });
    for (const name of ['Urgent Een', 'Urgent Twee', 'Gewoon Drie']) {
      const r = await inbound(env.app, token, inboxId, { externalId: name, contact: { email: `${name.replace(' ', '.')}@example.nl`, name }, content: `Vraag van ${name}` });
      ids.push(r.body.conversationId);
    }
    await call('POST', `/api/v1/conversations/${ids[0]}/priority`, { priority: 'urgent' });
    await call('POST', `/api/v1/conversations/${ids[1]}/priority`, { priority: 'urgent' });
    await call('POST', `/api/v1/conversations/${ids[1]}/assign`, { assigneeId: colleague.userId });
  });
  afterAll(() => env?.close());

  const rowIds = (p: Page) => p.evaluate(() => [...document.querySelectorAll<HTMLElement>('.list-pane [data-conversation-id]')].map((r) => r.dataset.conversationId!).sort());

  it('narrows the list by priority and agent, keeps it over a reload, follows live changes', async () => {
    const { context, page, errors } = await openContext(env);
    try {
      await login(page, ownerEmail);
      await page.goto('/inbox/all');
      await page.locator(`[data-conversation-id="${ids[0]}"]`).waitFor();
      await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual([...ids].sort());

      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await page.getByLabel('Prioriteit', { exact: true }).selectOption({ label: 'Urgent' });
      await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual([ids[0], ids[1]].sort());
      await page.getByLabel('Medewerker', { exact: true }).selectOption({ label: 'Noor Peeters' });
      await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual([ids[1]]);
      expect(new URL(page.url()).searchParams.get('priority')).toBe('urgent');
      expect(new URL(page.url()).searchParams.get('agent')).toBe(colleague.userId);

      // A reload shows the same list, and the active filters as chips.
      await page.reload();
      await page.getByText('Medewerker: Noor Peeters').waitFor();
      await page.getByText('Prioriteit: Urgent').waitFor();
      await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual([ids[1]]);

      // Live: the third becomes urgent and Noor's, and joins the list without a reload.
      await page.waitForFunction(() => document.querySelector('.connection') === null, undefined, { timeout: 10_000 });
      await call('POST', `/api/v1/conversations/${ids[2]}/priority`, { priority: 'urgent' });
      await call('POST', `/api/v1/conversations/${ids[2]}/assign`, { assigneeId: colleague.userId });
      await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual([ids[1], ids[2]].sort());

      // Removing a chip widens the list again.
      await page.getByRole('button', { name: 'Filter Medewerker: Noor Peeters weghalen' }).click();
      await expect.poll(() => rowIds(page), { timeout: 10_000 }).toEqual([...ids].sort());
      expect(new URL(page.url()).searchParams.get('agent')).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
