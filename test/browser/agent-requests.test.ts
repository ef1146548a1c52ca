import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * What the agent app asks the server for: after login only what the first screen needs, and a burst of live
 * events (a bulk change of 10 conversations) refreshes the counts once and reloads no message history.
 */
const skip = browserUnavailableReason();
/** The reference lists the app used to fetch one by one after login; now part of the bootstrap. */
const reference = ['/inboxes', '/users', '/teams', '/labels', '/me/preferences', '/conversations/counts', '/notifications'].map((p) => `GET /api/v1${p}`);

describe.skipIf(!!skip)('requests of the agent app', () => {
  let env: AgentAppEnv;
  let token: string;
  let inboxId: string;
  const ids: string[] = [];
  const ownerEmail = 'requests@fietsfabriek.example';

  beforeAll(async () => {
    env = await startAgentApp();
    token = (await setupWorkspace(env.app, 'Fietsfabriek', ownerEmail)).apiToken;
    inboxId = (await createApiInbox(env.app, token, {}, 'Webshop')).id;
    for (let i = 0; i < 10; i++) ids.push((await inbound(env.app, token, inboxId, { externalId: `r-${i}`, contact: { email: `r${i}@example.nl`, name: `Klant ${i}` }, content: `Vraag ${i}` })).body.conversationId);
  });
  afterAll(() => env?.close());

  it('counts the API calls after login, for a burst of events and for a new message in the open conversation', async () => {
    const { context, page } = await openContext(env);
    try {
      const calls: string[] = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname.startsWith('/api/')) calls.push(`${r.method()} ${u.pathname}`);
      });
      await login(page, ownerEmail);
      await page.locator('.list-pane').waitFor();
      await page.waitForLoadState('networkidle');
      const afterLogin = calls.splice(0);
      console.log(`after login: ${afterLogin.length} calls\n  ${afterLogin.join('\n  ')}`);
      // The reference lists of the first screen come in one bootstrap call, not one request each.
      expect(afterLogin.filter((c) => c === 'GET /api/v1/agent-app/bootstrap')).toHaveLength(1);
      expect(afterLogin.filter((c) => reference.includes(c))).toEqual([]);
      // Session, setup state, login, bootstrap and the inbox list — the list once more after the realtime
      // socket is subscribed, when it was read before (api/catch-up.ts); plus two first-screen reads that
      // features added after the bootstrap and that are not in it yet: calls ringing for me (screen pop after a
      // reload) and the certainty settings (the inbox's speed targets). Anything else is a regression.
      const notYetInBootstrap = ['GET /api/v1/calls/current', 'GET /api/v1/certainty/settings'];
      expect(afterLogin.filter((c) => c === 'GET /api/v1/conversations').length).toBeLessThanOrEqual(2);
      expect(afterLogin.filter((c) => !notYetInBootstrap.includes(c)).length).toBeLessThanOrEqual(6);
      expect(afterLogin.length).toBeLessThanOrEqual(8);

      await page.goto(`/inbox/all/${ids[0]}`);
      await page.locator('.msg-in').first().waitFor();
      await page.waitForFunction(() => document.querySelector('.connection') === null, undefined, { timeout: 10_000 });
      await page.waitForLoadState('networkidle');
      calls.splice(0);

      // A burst: ten conversations get a priority at once (as a bulk action does).
      await Promise.all(ids.slice(1).map((id) => env.app.call('POST', `/api/v1/conversations/${id}/priority`, { token, body: { priority: 'high' } })));
      await page.waitForTimeout(2_000);
      const burst = calls.splice(0);
      console.log(`burst of 9 changes: ${burst.length} calls\n  ${burst.join('\n  ')}`);
      // Coalesced, not once per event: one refresh per 700 ms window, and on a loaded machine the nine changes
      // can straddle two windows.
      expect(burst.filter((c) => c.endsWith('/conversations/counts')).length).toBeLessThanOrEqual(2);

      // A new inbound message in the open conversation is appended from the event, not by reloading the history.
      await inbound(env.app, token, inboxId, { externalId: 'r-new', contact: { email: 'r0@example.nl' }, content: 'Nog een vraag' });
      await page.locator('.msg-in', { hasText: 'Nog een vraag' }).waitFor({ timeout: 10_000 });
      await page.waitForTimeout(1_500);
      const message = calls.splice(0);
      console.log(`new message in the open conversation: ${message.length} calls\n  ${message.join('\n  ')}`);
      expect(message.filter((c) => c.startsWith('GET') && c.includes(`/conversations/${ids[0]}/messages`))).toEqual([]);
      // One read marker, and the counts and the bell refreshed once for it (not once per event and per caller).
      expect(message.filter((c) => c.endsWith('/read') && c.includes('/conversations/')).length).toBe(1);
      expect(message.filter((c) => c === 'POST /api/v1/notifications/read').length).toBe(1);
      expect(message.filter((c) => c.endsWith('/conversations/counts')).length).toBeLessThanOrEqual(2);
      expect(message.filter((c) => c === 'GET /api/v1/notifications').length).toBeLessThanOrEqual(1);

      // A reference list changed live (an admin adds an inbox elsewhere): the sidebar shows it, fetched from the
      // list's own endpoint — the bootstrap only served the first load.
      await createApiInbox(env.app, token, {}, 'Zakelijk');
      await page.locator('.sidebar .nav-label', { hasText: 'Zakelijk' }).waitFor({ timeout: 10_000 });
      await page.waitForTimeout(1_000);
      const live = calls.splice(0);
      console.log(`an inbox added elsewhere: ${live.length} calls\n  ${live.join('\n  ')}`);
      expect(live.filter((c) => c === 'GET /api/v1/inboxes')).toHaveLength(1);
      expect(live.filter((c) => c.endsWith('/agent-app/bootstrap'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
