import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * How the first screen loads (issue #4's "inbox visible ≤ 1 s after login", "a conversation ≤ 200 ms to its
 * first messages"), checked by holding single requests back: the list is asked for alongside the bootstrap, not
 * after it; an opened conversation shows from the list's copy while its record is on its way; and a conversation
 * that arrives before the realtime socket is subscribed still appears.
 */
const skip = browserUnavailableReason();
const EMAIL = 'owner@eerste-scherm.example';

describe.skipIf(!!skip)('the first screen', () => {
  let env: AgentAppEnv;
  let owner: { workspaceId: string; userId: string; apiToken: string };
  let inboxId: string;
  let n = 0;
  const contexts: BrowserContext[] = [];

  const conversation = async (content: string, assigneeId?: string) => {
    const r = await inbound(env.app, owner.apiToken, inboxId, { externalId: `fs-${++n}`, contact: { email: `fs${n}@example.nl`, name: `Klant ${n}` }, content });
    expect(r.status).toBe(201);
    const id = r.body.conversationId as string;
    if (assigneeId) expect((await env.app.call('POST', `/api/v1/conversations/${id}/assign`, { token: owner.apiToken, body: { assigneeId } })).status).toBe(200);
    return id;
  };
  async function page(): Promise<Page> {
    const { context, page } = await openContext(env);
    contexts.push(context);
    return page;
  }

  beforeAll(async () => {
    env = await startAgentApp();
    owner = await setupWorkspace(env.app, 'Eerste Scherm', EMAIL);
    inboxId = (await createApiInbox(env.app, owner.apiToken, {}, 'Webshop')).id as string;
    await conversation('Mijn bestelling is niet aangekomen', owner.userId);
  });
  afterAll(async () => {
    await env?.close();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  it('asks for the conversation list at login alongside the bootstrap, not after it', async () => {
    const p = await page();
    const started: Record<string, number> = {};
    p.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/v1/agent-app/bootstrap' || u.pathname === '/api/v1/conversations') started[u.pathname] ??= Date.now();
    });
    // The bootstrap held back 1.5 s: a list that waited for it would start at least that much later.
    await p.route('**/api/v1/agent-app/bootstrap', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await login(p, EMAIL);
    await p.locator('[data-conversation-id]', { hasText: 'Mijn bestelling' }).waitFor();
    expect(started['/api/v1/conversations']).toBeDefined();
    expect(started['/api/v1/conversations']! - started['/api/v1/agent-app/bootstrap']!).toBeLessThan(1000);
  });

  it('shows an opened conversation from the list row while its record is on its way, and waits for the record to mark it read', async () => {
    const id = await conversation('Kan ik mijn fiets ruilen voor een grotere maat?', owner.userId);
    const p = await page();
    await login(p, EMAIL);
    let detailAnswered = 0;
    let readAt = 0;
    p.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === `/api/v1/conversations/${id}/read`) readAt ||= Date.now();
    });
    await p.route(`**/api/v1/conversations/${id}`, async (route) => {
      await new Promise((r) => setTimeout(r, 2500));
      await route.continue();
      detailAnswered = Date.now();
    });
    await p.locator(`[data-conversation-id="${id}"] .row-link`).click();
    await p.locator('.messages .msg-in', { hasText: 'grotere maat' }).waitFor({ timeout: 2000 });
    expect(detailAnswered).toBe(0);
    await expect.poll(() => p.locator('.conv-header').textContent()).toContain('Klant');
    // The customer panel and the read marker wait for the real record.
    expect(await p.locator('.customer-panel').count()).toBe(0);
    await p.locator('.customer-panel').waitFor();
    await expect.poll(() => readAt).toBeGreaterThan(0);
    expect(readAt).toBeGreaterThanOrEqual(detailAnswered - 50);
  });

  it('loads a conversation’s messages when the pointer rests on its row, and opens it without asking again', async () => {
    const id = await conversation('Wanneer komt de monteur langs?', owner.userId);
    const p = await page();
    await login(p, EMAIL);
    const asked: number[] = [];
    p.on('request', (r) => {
      if (new URL(r.url()).pathname === `/api/v1/conversations/${id}/messages`) asked.push(Date.now());
    });
    await p.locator(`[data-conversation-id="${id}"] .row-link`).hover();
    await expect.poll(() => asked.length, { timeout: 5000 }).toBe(1);
    await p.locator(`[data-conversation-id="${id}"] .row-link`).click();
    await p.locator('.messages .msg-in', { hasText: 'monteur' }).waitFor();
    expect(asked).toHaveLength(1);
  });

  it('shows a conversation that arrived before the realtime socket was subscribed', async () => {
    const p = await page();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await p.routeWebSocket(/\/api\/v1\/realtime/, async (ws) => {
      await held;
      ws.connectToServer();
    });
    await login(p, EMAIL);
    await p.goto('/inbox/all');
    await p.locator('[data-conversation-id]', { hasText: 'Mijn bestelling' }).waitFor();
    await conversation('Tussendoor: de bel op mijn stuur rammelt');
    // The list was read before this conversation existed, and no socket has told the page about it yet.
    expect(await p.locator('[data-conversation-id]', { hasText: 'Tussendoor' }).count()).toBe(0);
    release();
    await p.locator('[data-conversation-id]', { hasText: 'Tussendoor' }).waitFor({ timeout: 10_000 });
  });
});
