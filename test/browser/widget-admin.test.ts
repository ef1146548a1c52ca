import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { apiAsPage, login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { setupWorkspace } from '../support/app';
import { identifierHash } from '../../src/domain/widget-identity';
import { appRoot } from '../../src/paths';

/**
 * The admin side of the widget in the agent app: a widget inbox is created and changed in its settings form,
 * and the embedded widget on a shop (another origin) shows the change after a reload; the generated identity
 * secret is shown once and really verifies a logged-in user. The knowledge-base editor previews Markdown, and
 * a published article is on the help center and found by the widget search. Screenshots in Dutch and English.
 */
const skip = browserUnavailableReason();
const shots = `${appRoot}/docs/screenshots`;

describe.skipIf(!!skip)('widget settings and knowledge-base editor in the agent app', () => {
  let env: AgentAppEnv;
  let host: http.Server;
  let site: string;
  let owner: { apiToken: string; workspaceId: string };
  let inboxId = '';
  let secret = '';
  const email = `owner-${Date.now()}@fietsfabriek.nl`;

  beforeAll(async () => {
    env = await startAgentApp();
    owner = await setupWorkspace(env.app, 'Fietsfabriek', email);
    host = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const identity = url.searchParams.get('identity');
      const attrs = identity ? ` data-identifier="${identity}" data-identifier-hash="${url.searchParams.get('hash')}"` : '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Fietsfabriek</h1><script src="${env.base}/widget.js" data-inbox="${inboxId}"${attrs} async></script></body></html>`);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    site = `http://localhost:${(host.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await env?.close();
    await new Promise((r) => host?.close(r));
  });

  async function widgetFrame(page: Page): Promise<Frame> {
    await expect.poll(() => page.frames().some((f) => f.url().includes('/widget/frame/')), { timeout: 10_000 }).toBe(true);
    const frame = page.frames().find((f) => f.url().includes('/widget/frame/'))!;
    await frame.getByRole('button', { name: 'Chat openen' }).click();
    await frame.getByPlaceholder('Typ uw bericht…').waitFor();
    return frame;
  }

  it('creates a widget inbox in the form, edits it, and the widget on the site follows', async () => {
    const { page, context, errors } = await openContext(env, 'nl-NL');
    await login(page, email);
    await page.goto('/settings/inboxes');
    await page.getByRole('button', { name: 'Nieuwe inbox' }).click();
    await page.locator('label.kind-option', { hasText: /^\s*Chat\s*$/ }).click();
    await page.getByLabel('Naam', { exact: true }).fill('Webshop-chat');
    await page.getByLabel('Kleur').fill('#b42318');
    await page.getByLabel('Positie').selectOption('left');
    await page.getByLabel('Begroeting (Nederlands)').fill('Welkom bij de Fietsfabriek!');
    await page.getByLabel('Sites die deze chat mogen tonen').fill(site);
    await page.getByLabel('Antwoordbot').check();
    await page.getByLabel('Om een beoordeling (1–5) vragen na afronden').uncheck();
    await page.getByRole('button', { name: 'Geheim maken' }).click();
    secret = (await page.locator('code[data-secret="identitySecret"]').textContent())!;
    expect(secret).toMatch(/^[0-9a-f]{48}$/);
    // The preview follows the colour.
    expect(await page.locator('.widget-preview-header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(180, 35, 24)');
    await page.getByRole('button', { name: 'Inbox aanmaken' }).click();

    const snippet = (await page.locator('code[data-snippet]').textContent())!;
    expect(snippet).toMatch(new RegExp(`^<script src="${env.base}/widget.js" data-inbox="[0-9a-f-]{36}" async></script>$`));
    inboxId = /data-inbox="([^"]+)"/.exec(snippet)![1]!;
    await page.getByRole('button', { name: 'Klaar' }).click();

    const stored = await apiAsPage<{ settings: Record<string, unknown>; secretsSet: string[] }>(page, 'GET', `/api/v1/inboxes/${inboxId}`);
    expect(stored.body.settings).toMatchObject({ color: '#b42318', position: 'left', allowedOrigins: [site], csat: false, bot: { enabled: true, threshold: 0.6 } });
    expect(stored.body.secretsSet).toEqual(['identitySecret']);

    // The widget on the shop: colour, greeting, and the secret really verifies a logged-in customer.
    const visitor = await openContext(env, 'nl-NL');
    await visitor.page.goto(`${site}/?identity=user-7&hash=${identifierHash(secret, 'user-7')}`);
    let frame = await widgetFrame(visitor.page);
    await frame.getByText('Welkom bij de Fietsfabriek!').waitFor();
    expect(await frame.locator('header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(180, 35, 24)');
    const iframeBox = await visitor.page.evaluate(() => document.querySelector('div[data-balie-widget]') !== null);
    expect(iframeBox).toBe(true);
    await frame.getByPlaceholder('Typ uw bericht…').fill('Ik ben ingelogd');
    await frame.getByPlaceholder('Typ uw bericht…').press('Enter');
    await frame.locator('.msg.visitor:not(.pending)').first().waitFor();
    expect(await frame.getByText('Uw identiteit kon niet worden bevestigd').count()).toBe(0);

    // Edit: a new greeting, saved; the widget shows it after a reload.
    await page.getByRole('listitem').filter({ hasText: 'Webshop-chat' }).getByRole('button', { name: 'Bewerken' }).click();
    await expect.poll(() => page.getByLabel('Begroeting (Nederlands)').inputValue()).toBe('Welkom bij de Fietsfabriek!');
    await page.getByLabel('Begroeting (Nederlands)').fill('Goedemiddag! Vraag gerust.');
    expect(await page.getByText('Er is een geheim ingesteld.').count()).toBe(1);
    // Business hours: open only tomorrow (UTC), saved on their own; the widget then says when we are back.
    const tomorrow = (new Date().getUTCDay() + 1) % 7;
    for (let d = 0; d < 7; d++) {
      const box = page.locator(`.hours-row[data-day="${d}"] input[type=checkbox]`);
      if ((await box.isChecked()) !== (d === tomorrow)) await box.click();
    }
    await page.getByLabel('Tijdzone').fill('UTC');
    await page.getByRole('button', { name: 'Openingstijden opslaan' }).click();
    await page.getByText('Deze inbox heeft eigen openingstijden.').waitFor();
    const hours = await apiAsPage<{ own: boolean; calendar: { timeZone: string; week: unknown[][] } }>(page, 'GET', `/api/v1/inboxes/${inboxId}/business-hours`);
    expect(hours.body.own).toBe(true);
    expect(hours.body.calendar.timeZone).toBe('UTC');
    expect(hours.body.calendar.week.map((d) => d.length)).toEqual(Array.from({ length: 7 }, (_, d) => (d === tomorrow ? 1 : 0)));
    await page.screenshot({ path: `${shots}/widget-settings-nl.png`, fullPage: true });
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await page.getByRole('button', { name: 'Nieuwe inbox' }).waitFor();
    await visitor.page.reload();
    frame = await widgetFrame(visitor.page);
    await frame.getByText('Goedemiddag! Vraag gerust.').waitFor();
    expect(await frame.locator('header .expect').textContent()).toMatch(/^We zijn er weer morgen om 9:00\./);

    // English: the same form for the screenshot.
    await apiAsPage(page, 'PATCH', '/api/v1/me/preferences', { locale: 'en' });
    await page.reload();
    await page.getByRole('listitem').filter({ hasText: 'Webshop-chat' }).getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Greeting (Dutch)').waitFor();
    await page.screenshot({ path: `${shots}/widget-settings-en.png`, fullPage: true });
    await apiAsPage(page, 'PATCH', '/api/v1/me/preferences', { locale: 'nl' });

    expect(errors).toEqual([]);
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
    await context.close();
  });

  it('writes, previews and publishes an article; the help center and the widget search show it', async () => {
    const { page, context, errors } = await openContext(env, 'nl-NL');
    await login(page, email);
    await page.goto('/settings/knowledge');
    await page.getByLabel('Nieuwe categorie').fill('Bezorging');
    await page.getByRole('button', { name: 'Categorie toevoegen' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Bezorging' }).waitFor();

    await page.getByRole('button', { name: 'Nieuw artikel' }).click();
    await page.getByLabel('Titel').fill('Levertijd van een fiets');
    await page.getByLabel('Categorie', { exact: true }).selectOption({ label: 'Bezorging' });
    await page.getByLabel('Tekst (Markdown)').fill('# Levertijd\n\nWe bezorgen een fiets **binnen 2 werkdagen**, ook op zaterdag.\n\n<script>alert(1)</script>');
    await page.getByRole('button', { name: 'Voorbeeld' }).click();
    await page.locator('.kb-preview h2', { hasText: 'Levertijd' }).waitFor();
    expect(await page.locator('.kb-preview strong').textContent()).toBe('binnen 2 werkdagen');
    expect(await page.locator('.kb-preview script').count()).toBe(0);
    await page.getByLabel('Status').selectOption('draft');
    await page.screenshot({ path: `${shots}/kb-editor-nl.png`, fullPage: true });
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.locator('li[data-article="levertijd-van-een-fiets"]', { hasText: 'Concept' }).waitFor();

    // A draft is not public; published, it is.
    expect((await fetch(`${env.base}/help/${owner.workspaceId}/nl/levertijd-van-een-fiets`)).status).toBe(404);
    await page.locator('li[data-article="levertijd-van-een-fiets"]').getByRole('button', { name: 'Bewerken' }).click();
    await page.getByLabel('Status').selectOption('published');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.reload();
    await page.locator('li[data-article="levertijd-van-een-fiets"]', { hasText: 'Gepubliceerd' }).waitFor();
    await page.screenshot({ path: `${shots}/kb-list-nl.png`, fullPage: true });

    const help = await context.newPage();
    await help.goto(`${env.base}/help/${owner.workspaceId}/nl/levertijd-van-een-fiets`);
    await help.getByText('binnen 2 werkdagen').waitFor();

    // The widget's search finds it.
    const visitor = await openContext(env, 'nl-NL');
    await visitor.page.goto(site);
    const frame = await widgetFrame(visitor.page);
    await frame.getByPlaceholder('Zoek in de hulpartikelen').fill('levertijd fiets');
    await frame.getByPlaceholder('Zoek in de hulpartikelen').press('Enter');
    await frame.locator('.results a', { hasText: 'Levertijd van een fiets' }).waitFor();

    // English screenshots of the editor.
    await apiAsPage(page, 'PATCH', '/api/v1/me/preferences', { locale: 'en' });
    await page.reload();
    await page.getByRole('button', { name: 'New article' }).waitFor();
    await page.screenshot({ path: `${shots}/kb-list-en.png`, fullPage: true });
    await page.locator('li[data-article="levertijd-van-een-fiets"]').getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.kb-preview h2').waitFor();
    await page.screenshot({ path: `${shots}/kb-editor-en.png`, fullPage: true });
    await apiAsPage(page, 'PATCH', '/api/v1/me/preferences', { locale: 'nl' });

    expect(errors).toEqual([]);
    await visitor.context.close();
    await context.close();
  });
});
