import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { createHttpSink } from '../support/http-sink';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { appRoot } from '../../src/paths';

/**
 * The incidents page as an admin uses it: declare a cable break from the scenario (variables, segment with a
 * preview count, a text edited for this incident), follow the broadcast live, and see the banner on the
 * customer's case-status page and in the chat widget on a customer's site. Then the reports page renders its
 * charts, in Dutch and English. Screenshots for the README.
 */
const skip = browserUnavailableReason();
const shots = `${appRoot}/docs/screenshots`;

describe.skipIf(!!skip)('incidents and reports pages', () => {
  let env: AgentAppEnv;
  let host: http.Server;
  let site: string;
  let sink: Awaited<ReturnType<typeof createHttpSink>>;
  let owner: { apiToken: string; workspaceId: string };
  let widgetInbox: string;
  let conversationId: string;
  const email = 'iris@netbedrijf.nl';
  const nudging = () => setInterval(() => ['incident-broadcast', 'send-batch'].forEach((q) => env.app.balie.queue.nudge(q)), 200);

  beforeAll(async () => {
    env = await startAgentApp();
    owner = await setupWorkspace(env.app, 'Netbedrijf', email);
    sink = await createHttpSink();
    const inboxId = (await createApiInbox(env.app, owner.apiToken, { webhookUrl: `${sink.url}/hook` }, 'Website')).id;
    for (const [ext, name, postcode] of [
      ['joost', 'Joost Mulder', '3512AB'],
      ['karin', 'Karin Smit', '3521CD'],
      ['lars', 'Lars de Wit', '3584EF'],
      ['mila', 'Mila Peters', '1012GH'],
    ] as const) {
      const r = await inbound(env.app, owner.apiToken, inboxId, { externalId: ext, contact: { email: `${ext}@klant.nl`, name }, content: 'Mijn internet doet het niet.' });
      await env.app.call('PATCH', `/api/v1/contacts/${r.body.contactId}`, { token: owner.apiToken, body: { attributes: { postcode } } });
      if (ext === 'joost') conversationId = r.body.conversationId;
    }
    host = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Netbedrijf</title></head><body><h1>Netbedrijf</h1><script src="${env.base}/widget.js" data-inbox="${widgetInbox}" async></script></body></html>`);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    site = `http://localhost:${(host.address() as AddressInfo).port}`;
    const w = await env.app.call('POST', '/api/v1/inboxes', { token: owner.apiToken, body: { name: 'Chat', kind: 'widget', settings: { allowedOrigins: [site] } } });
    expect(w.status).toBe(201);
    widgetInbox = w.body.id;
  }, 300_000);
  afterAll(async () => {
    await env?.close();
    await sink?.close();
    await new Promise((r) => host?.close(r));
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

  it('declares an incident from the page, shows the broadcast live, and the banner reaches the status page and the widget', async () => {
    const { context, page, errors } = await openContext(env);
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, email);
    await page.getByRole('link', { name: 'Storingen' }).click();
    await page.waitForURL(/\/incidents$/);
    const form = page.getByTestId('incident-declare');
    await form.getByLabel('Scenario').selectOption('cable_break');
    await form.getByLabel('Gebied').fill('Utrecht-Oost');
    await form.getByLabel('Verwacht herstel').fill('vrijdag 18:00');
    await form.getByLabel('Postcode vanaf').fill('3500');
    await form.getByLabel('Postcode tot en met').fill('3599');
    await form.getByRole('button', { name: 'Getroffen klanten tellen' }).click();
    expect(await page.getByTestId('segment-preview').textContent()).toContain('3 klanten in het segment');
    // The texts per channel start from the scenario and can be edited for this incident; the preview fills them in.
    const sms = form.locator('textarea[name="text-nl-sms"]');
    await sms.fill('Kabelbreuk in {area}. Verwacht herstel {expected}. U hoeft niet te bellen.');
    expect(await form.locator('[data-preview="nl-sms"]').textContent()).toBe('Kabelbreuk in Utrecht-Oost. Verwacht herstel vrijdag 18:00. U hoeft niet te bellen.');
    const timer = nudging();
    try {
      await form.getByRole('button', { name: 'Storing melden' }).click();
      const card = page.getByTestId('incident-card').first();
      await card.waitFor({ timeout: 10_000 });
      expect(await card.getByTestId('incident-banner-text').textContent()).toContain('Kabelbreuk in Utrecht-Oost');
      // The broadcast's progress moves by realtime events, without a reload.
      await card.getByTestId('broadcast-progress').filter({ hasText: '3 van 3 verstuurd' }).waitFor({ timeout: 20_000 });
    } finally {
      clearInterval(timer);
    }
    expect(sink.received.map((r) => JSON.parse(r.body).message.content as string).filter((c) => c.startsWith('Kabelbreuk in Utrecht-Oost. Verwacht herstel vrijdag 18:00. U hoeft niet te bellen.'))).toHaveLength(3);
    await shot(page, 'incidents-nl');

    // The customer's case-status page shows the banner.
    const link = await env.app.call('POST', `/api/v1/conversations/${conversationId}/status-link`, { token: owner.apiToken });
    const status = await context.newPage();
    await status.goto(new URL(link.body.url).pathname);
    await status.getByRole('status').filter({ hasText: 'Kabelbreuk in Utrecht-Oost' }).waitFor({ timeout: 10_000 });
    await status.close();

    // And so does the chat widget on the customer's own site.
    const shop = await context.newPage();
    await shop.goto(site);
    await expect.poll(() => shop.frames().some((f) => f.url().includes('/widget/frame/')), { timeout: 10_000 }).toBe(true);
    const frame = shop.frames().find((f) => f.url().includes('/widget/frame/'))!;
    await frame.getByRole('button', { name: 'Chat openen' }).click();
    await frame.locator('.incident', { hasText: 'Kabelbreuk in Utrecht-Oost' }).waitFor({ timeout: 10_000 });
    await shop.close();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('renders the reports page with its charts, and both pages in English', async () => {
    const nl = await openContext(env);
    await nl.page.setViewportSize({ width: 1280, height: 900 });
    await login(nl.page, email);
    await nl.page.getByRole('link', { name: 'Rapportages' }).click();
    await nl.page.getByTestId('report-drivers').locator('svg.chart').waitFor({ timeout: 10_000 });
    await nl.page.getByTestId('report-prevention').locator('svg.chart').waitFor({ timeout: 10_000 });
    expect(await nl.page.getByTestId('report-promises').locator('svg.chart').count()).toBe(1);
    expect(await nl.page.getByTestId('report-prevention').textContent()).toContain('3 geïnformeerd');
    await shot(nl.page, 'reports-nl');
    expect(nl.errors).toEqual([]);
    await nl.context.close();

    expect((await env.app.call('PATCH', '/api/v1/me', { token: owner.apiToken, body: { locale: 'en' } })).status).toBe(204);
    const en = await openContext(env, 'en-GB');
    await en.page.setViewportSize({ width: 1280, height: 900 });
    await login(en.page, email);
    await en.page.getByRole('link', { name: 'Reports' }).click();
    await en.page.getByTestId('report-drivers').locator('svg.chart').waitFor({ timeout: 10_000 });
    expect(await en.page.getByRole('heading', { name: 'Top contact drivers' }).isVisible()).toBe(true);
    await en.page.getByTestId('report-prevention').locator('svg.chart').waitFor({ timeout: 10_000 });
    await shot(en.page, 'reports-en');
    await en.page.getByRole('link', { name: 'Incidents' }).click();
    const card = en.page.getByTestId('incident-card').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('Cable break in Utrecht-Oost');
    await shot(en.page, 'incidents-en');
    // Resolve from the page: the banner disappears from the public surfaces.
    await card.getByRole('button', { name: 'Resolve incident' }).click();
    await card.getByRole('button', { name: 'Yes' }).click();
    await en.page.locator('[data-testid="incident-card"].incident-resolved').waitFor({ timeout: 10_000 });
    const pub = await env.app.call('GET', `/api/v1/public/workspaces/${owner.workspaceId}/incidents`);
    expect(pub.body.items).toEqual([]);
    expect(en.errors).toEqual([]);
    await en.context.close();
  });
});
