import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from 'playwright-core';
import { browserUnavailableReason } from '../support/browser';
import { openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { TW } from '../support/fakes/twilio';
import { alwaysOpenWeek } from '../support/voice-line';
import { appRoot } from '../../src/paths';

/**
 * "Call me back" in the chat widget, on a shop page of another origin: after writing, the visitor picks a slot
 * of the phone line; a slot that filled up meanwhile is refused with the reason and the typed number stays;
 * another pick is booked and lands in the callback queue as coming from the chat.
 */
const skip = browserUnavailableReason();
const shots = `${appRoot}/docs/screenshots`;

describe.skipIf(!!skip)('callback from the chat widget', () => {
  let env: AgentAppEnv;
  let host: http.Server;
  let site: string;
  let token: string;
  let widgetInbox: string;

  beforeAll(async () => {
    env = await startAgentApp();
    token = (await setupWorkspace(env.app, 'Fietsfabriek', `owner-${Date.now()}@fietsfabriek.nl`)).apiToken;
    const line = await env.app.call('POST', '/api/v1/inboxes', {
      token,
      body: { name: 'Telefoon', kind: 'voice', settings: { accountSid: TW.accountSid, authToken: TW.authToken, phoneNumber: TW.number, apiBaseUrl: 'http://127.0.0.1:9', callbackSlots: { minutes: 30, days: 2, capacity: 1 } } },
    });
    expect(line.status, line.text).toBe(201);
    await env.app.call('PATCH', '/api/v1/certainty/settings', { token, body: { calendars: { [line.body.id]: { timeZone: 'Europe/Amsterdam', week: alwaysOpenWeek(), dutchHolidays: false } } } });
    host = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': `default-src 'none'; script-src ${env.base}/widget.js; frame-src ${env.base}` });
      res.end(`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fietsfabriek</title></head><body><h1>Fietsfabriek</h1><script src="${env.base}/widget.js" data-inbox="${widgetInbox}" async></script></body></html>`);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    site = `http://localhost:${(host.address() as AddressInfo).port}`;
    const w = await env.app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Webshop-chat', kind: 'widget', settings: { allowedOrigins: [site] } } });
    expect(w.status, w.text).toBe(201);
    widgetInbox = w.body.id;
    fs.mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await env?.close();
    await new Promise((r) => host?.close(r));
  });

  it('books a picked slot, and says so when the slot filled up meanwhile', async () => {
    const { context, page, errors } = await openContext(env);
    await page.goto(site);
    await expect.poll(() => page.frames().some((f) => f.url().includes('/widget/frame/')), { timeout: 15_000 }).toBe(true);
    const frame: Frame = page.frames().find((f) => f.url().includes('/widget/frame/'))!;
    await frame.getByRole('button', { name: 'Chat openen' }).click();
    await frame.getByPlaceholder('Typ uw bericht…').fill('Mijn e-bike laadt niet meer op.');
    await frame.getByPlaceholder('Typ uw bericht…').press('Enter');
    await frame.locator('.msg.visitor:not(.pending) .bubble', { hasText: 'Mijn e-bike laadt niet meer op.' }).waitFor({ timeout: 10_000 });

    await frame.getByText('Liever gebeld worden?').click();
    const picker = frame.getByRole('combobox', { name: 'Wanneer mogen we bellen?' });
    await picker.waitFor({ timeout: 10_000 });
    await frame.getByRole('textbox', { name: 'Uw telefoonnummer' }).fill('06 2345 6789');
    const first = (await picker.locator('option:not([disabled]):not([value=""])').first().getAttribute('value'))!;
    await picker.selectOption(first);

    // Another customer books that slot first (capacity 1).
    const api = await createApiInbox(env.app, token);
    const rival = await inbound(env.app, token, api.id, { externalId: 'rival', contact: { email: 'rival@example.nl' }, content: 'Bellen?' });
    const link = await env.app.call('POST', `/api/v1/conversations/${rival.body.conversationId}/status-link`, { token });
    expect((await env.app.call('POST', `${new URL(link.body.url).pathname}/callback`, { body: { phone: '0611111111', slot: first } })).status).toBe(201);

    await frame.getByRole('button', { name: 'Bel mij terug' }).click();
    await frame.getByRole('alert').filter({ hasText: 'Dit tijdstip is net vol geraakt. Kies een ander moment.' }).waitFor({ timeout: 10_000 });
    expect(await frame.getByRole('textbox', { name: 'Uw telefoonnummer' }).inputValue()).toBe('06 2345 6789');
    expect(await picker.locator(`option[value="${first}"]`).isDisabled()).toBe(true);
    await page.screenshot({ path: `${shots}/widget-callback-full-nl.png` });

    const next = (await picker.locator('option:not([disabled]):not([value=""])').first().getAttribute('value'))!;
    await picker.selectOption(next);
    await frame.getByRole('button', { name: 'Bel mij terug' }).click();
    await frame.getByText(/^We bellen u .+\.$/).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${shots}/widget-callback-booked-nl.png` });
    const queue = await env.app.call('GET', '/api/v1/callbacks', { token });
    expect(queue.body.items.find((i: { source: string }) => i.source === 'widget')).toMatchObject({ phone: '+31623456789', dueAt: next, overdue: false });
    expect(errors).toEqual([]);
    await context.close();
  });
});
