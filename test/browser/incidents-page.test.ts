import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { createHttpSink } from '../support/http-sink';
import { startWhatsAppFake } from '../support/fakes/whatsapp';
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
  let wa: Awaited<ReturnType<typeof startWhatsAppFake>>;
  let waInbox: string;
  let owner: { apiToken: string; workspaceId: string };
  let widgetInbox: string;
  let conversationId: string;
  const email = 'iris@netbedrijf.nl';
  const nudging = () => setInterval(() => ['incident-broadcast', 'send-batch'].forEach((q) => env.app.balie.queue.nudge(q)), 200);

  beforeAll(async () => {
    env = await startAgentApp();
    owner = await setupWorkspace(env.app, 'Netbedrijf', email);
    sink = await createHttpSink();
    wa = await startWhatsAppFake();
    wa.addTemplate({ name: 'storing_melding', language: 'nl', body: 'Hoi {{1}}, er is een storing in {{2}}. We verwachten herstel {{3}}.' });
    const waRes = await env.app.call('POST', '/api/v1/inboxes', { token: owner.apiToken, body: { name: 'WhatsApp', kind: 'whatsapp', settings: { ...wa.settings, ...wa.secrets } } });
    expect(waRes.status, waRes.text).toBe(201);
    waInbox = waRes.body.id;
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
    // History for the reports: 60 conversations over three weeks with case types, some repeat contacts, and their
    // promises kept, missed or revised (written in bulk; the report reads what the app would have recorded).
    const ws = owner.workspaceId;
    await env.app.balie.services.store.rows(sql`
      with c as (
        insert into contacts (workspace_id, id, name, email, attributes, last_activity_at)
        select ${ws}, gen_random_uuid(), 'Klant ' || g, 'hist' || g || '@klant.nl', '{}'::jsonb, now() from generate_series(1, 40) g returning id)
      , cn as (select id, row_number() over (order by id) as n from c)
      , v as (
        insert into conversations (workspace_id, id, number, inbox_id, contact_id, status, labels, created_at, resolved_at, first_response_at, last_activity_at)
        select ${ws}, gen_random_uuid(), 1000 + g, ${inboxId}::uuid, (select id from cn where n = 1 + (g % 40)),
          'resolved', array[(array['storing', 'factuur', 'verhuizing', 'opzeggen'])[1 + g % 4]], now() - (g * interval '8 hours'), now() - (g * interval '8 hours') + interval '5 hours', now() - (g * interval '8 hours') + interval '1 hour', now()
        from generate_series(1, 60) g returning id, inbox_id, created_at, number)
      insert into conversation_promises (workspace_id, conversation_id, inbox_id, made_at, first_response_due_at, resolution_due_at, basis, sample_size, text, locale, state, state_changed_at, revisions, history)
      select ${ws}, v.id, v.inbox_id, v.created_at, v.created_at + interval '2 hours', v.created_at + interval '1 day', 'inbox', 30, 'Je hoort binnen 2 uur van ons.', 'nl',
        case when v.number % 5 = 0 then 'missed' else 'kept' end, v.created_at + interval '1 hour',
        case when v.number % 7 = 0 then 1 else 0 end,
        case when v.number % 7 = 0 then jsonb_build_array(jsonb_build_object('madeAt', v.created_at, 'dueAt', v.created_at, 'text', '', 'state', 'will_miss', 'revisedAt', v.created_at + interval '50 minutes', 'newDueAt', v.created_at, 'messageId', gen_random_uuid(), 'revisedBy', null)) else '[]'::jsonb end
      from v`);
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
    await wa?.stop();
    await new Promise((r) => host?.close(r));
  });

  // The page scrolls inside <main>: shoot its top at a tall viewport.
  const shot = async (page: Page, name: string) => {
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.evaluate(() => document.querySelector('.certainty-page')?.scrollTo(0, 0));
    await page.screenshot({ path: `${shots}/${name}.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('declares an incident from the page, shows the broadcast live, and the banner reaches the status page and the widget', async () => {
    const { context, page, errors } = await openContext(env);
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, email);
    await page.getByRole('link', { name: 'Storingen' }).click();
    await page.waitForURL(/\/incidents$/);
    const form = page.getByTestId('incident-declare');
    await form.getByLabel('Scenario').selectOption('cable_break');
    await form.getByLabel('Gebied').fill('Utrecht-Oost');
    // A time is picked, not typed: each language writes it in its own words.
    await form.getByLabel('Verwacht herstel').fill('2026-12-04T18:00');
    await form.getByLabel('Postcode vanaf').fill('3500');
    await form.getByLabel('Postcode tot en met').fill('3599');
    await form.getByRole('button', { name: 'Getroffen klanten tellen' }).click();
    expect(await page.getByTestId('segment-preview').textContent()).toContain('3 klanten in het segment');
    // The texts per channel start from the scenario and can be edited for this incident; the preview fills them in.
    const sms = form.locator('textarea[name="text-nl-sms"]');
    await sms.fill('Kabelbreuk in {area}. Verwacht herstel {expected}. U hoeft niet te bellen.');
    expect(await form.locator('[data-preview="nl-sms"]').textContent()).toMatch(/^Kabelbreuk in Utrecht-Oost\. Verwacht herstel vrijdag 4 december( 2026)? om 18:00\. U hoeft niet te bellen\.$/);
    await form.getByRole('tab', { name: 'English' }).click();
    expect(await form.locator('[data-preview="en-banner"]').textContent()).toMatch(/^Cable break in Utrecht-Oost: internet and TV are down there\. The repair is expected to take until Friday 4 December( 2026)? at 18:00\.$/);
    await form.getByRole('tab', { name: 'Nederlands' }).click();
    // Channels without a length limit (this API inbox, like e-mail) get the long text.
    await form.locator('textarea[name="text-nl-email"]').fill('Hoi {name}, de kabel in {area} is kapot. We verwachten herstel {expected}. Je hoeft niet te bellen.');
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
    const contents = sink.received.map((r) => JSON.parse(r.body).message.content as string);
    expect(contents.filter((c) => /de kabel in Utrecht-Oost is kapot\. We verwachten herstel vrijdag 4 december( 2026)? om 18:00\. Je hoeft niet te bellen\.$/.test(c))).toHaveLength(3);
    expect(contents.some((c) => c.startsWith('Hoi Joost,'))).toBe(true);
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

  it('keeps the broadcast progress right when its realtime events are lost', async () => {
    const { context, page, errors } = await openContext(env);
    await page.setViewportSize({ width: 1280, height: 900 });
    // Every incident event on this tab's socket is dropped, as when a loaded server or a reconnect loses them.
    await page.routeWebSocket(/\/api\/v1\/realtime/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (!String(m).includes('"incident.')) ws.send(m);
      });
      ws.onMessage((m) => server.send(m));
    });
    await login(page, email);
    await page.getByRole('link', { name: 'Storingen' }).click();
    const card = page.getByTestId('incident-card').first();
    await card.waitFor({ timeout: 10_000 });
    await card.getByLabel('Update (Nederlands)').fill('De monteurs zijn ter plaatse.');
    await card.getByRole('button', { name: 'Update versturen' }).click();
    // The new broadcast is on screen before its notices go out, so only the page's own asking can move the bar.
    await card.locator('[data-testid="broadcast"][data-kind="update"]').waitFor({ timeout: 10_000 });
    const timer = nudging();
    try {
      await card.locator('[data-testid="broadcast"][data-kind="update"] [data-testid="broadcast-progress"]', { hasText: '3 van 3 verstuurd' }).waitFor({ timeout: 30_000 });
    } finally {
      clearInterval(timer);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('picks a WhatsApp template per scenario and language and maps the incident variables onto it', async () => {
    const { context, page, errors } = await openContext(env);
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, email);
    await page.getByRole('link', { name: 'Storingen' }).click();
    const card = page.getByTestId('wa-templates');
    await card.getByRole('heading', { name: 'WhatsApp-sjablonen voor meldingen' }).waitFor({ timeout: 10_000 });
    await card.getByLabel('Scenario').selectOption('cable_break');
    await card.getByLabel('Bericht').selectOption('notice');
    await card.getByLabel('Taal').selectOption('nl');
    // Only the number's approved templates are offered (the rejected one is not).
    await expect.poll(async () => (await card.getByLabel('Goedgekeurd sjabloon').locator('option').allTextContents()).join('|'), { timeout: 10_000 }).toBe(
      'Geen sjabloon (sms als terugval)|order_update (nl)|storing_melding (nl)',
    );
    await card.getByLabel('Goedgekeurd sjabloon').selectOption('storing_melding|nl');
    expect(await card.getByTestId('wa-template-body').textContent()).toContain('Hoi {{1}}, er is een storing in {{2}}. We verwachten herstel {{3}}.');
    // Each placeholder offers the scenario's variables and the name; {update} is only for updates.
    const offered = await card.getByLabel('Plek {{1}}').locator('option').allTextContents();
    expect(offered.some((o) => o.startsWith('{area}'))).toBe(true);
    expect(offered.some((o) => o.startsWith('{update}'))).toBe(false);
    await card.getByLabel('Plek {{1}}').selectOption('name');
    await card.getByLabel('Plek {{2}}').selectOption('area');
    await card.getByLabel('Plek {{3}}').selectOption('expected');
    expect(await card.getByTestId('wa-template-preview').textContent()).toContain('Hoi {name}, er is een storing in {area}. We verwachten herstel {expected}.');
    await card.getByRole('button', { name: 'Sjabloon opslaan' }).click();
    await card.getByTestId('wa-template-mapping').filter({ hasText: 'storing_melding' }).waitFor({ timeout: 10_000 });
    const stored = await env.app.call('GET', '/api/v1/certainty/settings', { token: owner.apiToken });
    expect(stored.body.incidentWhatsAppTemplates.cable_break.nl.notice).toMatchObject({ inboxId: waInbox, name: 'storing_melding', language: 'nl', parameters: ['name', 'area', 'expected'] });
    // English has no template yet: the form says SMS is the fallback; back in Dutch the saved choice is shown.
    await card.getByLabel('Taal').selectOption('en');
    expect(await card.getByLabel('Goedgekeurd sjabloon').inputValue()).toBe('');
    await card.getByText('Zonder sjabloon krijgen klanten buiten het 24-uursvenster').waitFor();
    await card.getByLabel('Taal').selectOption('nl');
    await expect.poll(() => card.getByLabel('Goedgekeurd sjabloon').inputValue()).toBe('storing_melding|nl');
    expect(await card.getByLabel('Plek {{3}}').inputValue()).toBe('expected');
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: `${shots}/incidents-whatsapp-templates-nl.png` });
    await card.getByRole('button', { name: 'Sjabloon verwijderen' }).click();
    await card.getByTestId('wa-template-mapping').waitFor({ state: 'detached', timeout: 10_000 });
    expect((await env.app.call('GET', '/api/v1/certainty/settings', { token: owner.apiToken })).body.incidentWhatsAppTemplates.cable_break.nl.notice).toBeUndefined();
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
    expect(await nl.page.getByTestId('report-promises').locator('rect[data-series="missed"]').count()).toBeGreaterThan(0);
    expect(await nl.page.getByTestId('report-promises').textContent()).toMatch(/80\s?% gehaald/);
    expect(await nl.page.getByTestId('report-prevention').textContent()).toContain('3 geïnformeerd');
    // No conversation bounced enough for a call suggestion: the nudge section says so instead of an empty table.
    await nl.page.getByTestId('report-call-nudges').getByText('Nog geen belvoorstellen in deze periode.').waitFor({ timeout: 10_000 });
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
    // The English banner writes the time in English (it once said "until vrijdag 18:00").
    expect(await card.getByTestId('incident-banner-text').textContent()).toMatch(/until Friday 4 December( 2026)? at 18:00/);
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
