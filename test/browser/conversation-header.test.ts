import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appRoot } from '../../src/paths';
import { browserUnavailableReason } from '../support/browser';
import { addMember, createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * The conversation header at the widths agents work at (1280 and 1440 px), in Dutch and English: every action in
 * one row — the primary action with its text, the others as icon buttons with a name and a tooltip — also for a
 * conversation with a long assignee, team and several labels. Screenshots go to docs/screenshots/.
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('the conversation header', () => {
  let env: AgentAppEnv;
  let conversationId: string;
  let ownerToken: string;
  /** The interface language is the agent's own setting. */
  const useLanguage = async (locale: 'nl' | 'en') => expect((await env.app.call('PATCH', '/api/v1/me', { token: ownerToken, body: { locale } })).status).toBe(204);
  const ownerEmail = 'header@fietsfabriek.example';

  beforeAll(async () => {
    env = await startAgentApp();
    const owner = await setupWorkspace(env.app, 'Fietsfabriek', ownerEmail);
    ownerToken = owner.apiToken;
    const colleague = await addMember(env.app, owner.workspaceId, 'agent', 'Maximiliaan van Oldenbarnevelt');
    const call = async (method: string, url: string, body?: unknown) => {
      const r = await env.app.call(method, url, { token: owner.apiToken, body });
      expect(r.status, `${method} ${url}: ${r.text}`).toBeLessThan(300);
      return r.body;
    };
    const inboxId = (await createApiInbox(env.app, owner.apiToken, {}, 'Webshop klantenservice')).id;
    const team = await call('POST', '/api/v1/teams', { name: 'Tweedelijns support', memberIds: [colleague.userId] });
    await call('PATCH', `/api/v1/inboxes/${inboxId}`, { memberIds: [colleague.userId] });
    for (const name of ['retour', 'factuur', 'garantie-aanvraag']) await call('POST', '/api/v1/labels', { name });
    const r = await inbound(env.app, owner.apiToken, inboxId, {
      externalId: 'header-1',
      contact: { email: 'wilhelmina.van.der.heijden@example.nl', name: 'Wilhelmina van der Heijden-Verbeek' },
      content: 'Mijn fiets is kapot aangekomen en de factuur klopt niet.',
    });
    conversationId = r.body.conversationId;
    await call('POST', `/api/v1/conversations/${conversationId}/assign`, { assigneeId: colleague.userId, teamId: team.id });
    await call('PUT', `/api/v1/conversations/${conversationId}/labels`, { labels: ['retour', 'factuur', 'garantie-aanvraag'] });
    await call('POST', `/api/v1/conversations/${conversationId}/priority`, { priority: 'high' });
  });
  afterAll(() => env?.close());

  /** The distinct top offsets of the header's action controls: one value means one row. */
  const actionRows = (p: Page) =>
    p.evaluate(() => {
      const bar = document.querySelector('.conv-actions')!;
      const tops = [...bar.querySelectorAll<HTMLElement>('button')].filter((b) => b.offsetParent !== null).map((b) => Math.round(b.getBoundingClientRect().top + b.getBoundingClientRect().height / 2));
      return [...new Set(tops)];
    });

  for (const [locale, lang] of [
    ['nl-NL', 'nl'],
    ['en-GB', 'en'],
  ] as const) {
    it(`keeps every action in one row at 1280 and 1440 px (${lang})`, async () => {
      await useLanguage(lang);
      const { context, page, errors } = await openContext(env, locale);
      try {
        await login(page, ownerEmail);
        const names =
          lang === 'nl'
            ? { resolve: 'Oplossen', assign: /^Toewijzen \(nu: Maximiliaan/, labels: /^Labels/, priority: /^Prioriteit/, snooze: /^Snoozen tot/, pending: /^Wacht op klant/ }
            : { resolve: 'Resolve', assign: /^Assign \(now: Maximiliaan/, labels: /^Labels/, priority: /^Priority/, snooze: /^Snooze until/, pending: /^Wait for customer/ };
        for (const width of [1280, 1440]) {
          await page.setViewportSize({ width, height: 860 });
          await page.goto(`/inbox/all/${conversationId}`);
          await page.locator('.msg-in').first().waitFor();
          const bar = page.getByRole('toolbar', { name: lang === 'nl' ? 'Acties' : 'Actions' });
          // The primary action carries its text; the others are named for screen readers and have a tooltip.
          const resolve = bar.getByRole('button', { name: names.resolve, exact: true });
          expect((await resolve.textContent())?.trim()).toBe(names.resolve);
          for (const name of [names.assign, names.labels, names.priority, names.snooze, names.pending]) {
            const b = bar.getByRole('button', { name });
            await b.waitFor();
            expect(await b.getAttribute('title'), String(name)).toBeTruthy();
          }
          expect(await actionRows(page), `rows at ${width}px`).toHaveLength(1);
          // The labels stay readable next to the title, the label button says which are set.
          expect((await page.locator('.conv-labels .chip').allTextContents()).sort()).toEqual(['factuur', 'garantie-aanvraag', 'retour']);
          expect(await bar.getByRole('button', { name: names.labels }).getAttribute('aria-label')).toMatch(/^Labels: (?=.*retour)(?=.*factuur)(?=.*garantie-aanvraag)/);
          // Nothing spills out of the header sideways.
          expect(await page.evaluate(() => { const h = document.querySelector('.conv-header')!; return h.scrollWidth <= h.clientWidth; })).toBe(true);
          await page
            .locator('.conv-header')
            .screenshot({ path: path.join(appRoot, 'docs/screenshots', `conversation-header-${width}-${lang}.png`) });
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('opens the actions from their icon buttons and the shortcuts still work', async () => {
    await useLanguage('nl');
    const { context, page } = await openContext(env);
    try {
      await login(page, ownerEmail);
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.goto(`/inbox/all/${conversationId}`);
      await page.locator('.msg-in').first().waitFor();
      const bar = page.getByRole('toolbar', { name: 'Acties' });
      await bar.getByRole('button', { name: /^Prioriteit/ }).click();
      await page.getByRole('menuitemradio', { name: 'Urgent' }).click();
      await bar.getByRole('button', { name: /^Prioriteit: Urgent/ }).waitFor();
      await page.locator('.messages').click();
      await page.keyboard.press('s');
      await page.getByRole('menuitem', { name: /Over 3 uur/ }).waitFor();
      await page.keyboard.press('Escape');
      expect(fs.existsSync(path.join(appRoot, 'docs/screenshots/conversation-header-1280-nl.png'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});
