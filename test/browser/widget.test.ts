import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { login, openContext, type AgentAppEnv } from '../support/agent-app';
import { openWidget as openLauncher, say, startWidgetShop, type WidgetShop } from '../support/widget-shop';
import { identifierHash } from '../../src/domain/widget-identity';
import { appRoot } from '../../src/paths';

/**
 * The widget as a visitor and an agent meet it: a shop page on ANOTHER origin (its own port, with a strict CSP
 * that only allows Balie's script and frame) embeds the snippet; the visitor writes, the agent sees it live
 * and answers, the visitor sees that live, reloads and keeps the conversation; a forged identity is refused;
 * the visitor rates the resolved conversation; a photo shows as a thumbnail. (The answer bot is covered by test/integration/widget.test.ts.)
 */
const skip = browserUnavailableReason();
const SECRET = 'shop-identity-secret-0123456789';

describe.skipIf(!!skip)('chat widget on a customer site', () => {
  let shop: WidgetShop;
  let env: AgentAppEnv;
  let site: string;
  let email: string;
  const inboxes: Record<string, string> = {};
  const api = (method: string, url: string, body?: unknown) => shop.api(method, url, body);

  beforeAll(async () => {
    // The shop: a different origin, a strict CSP allowing only Balie's script and frame, no inline anything.
    shop = await startWidgetShop({
      page: (url, balie) => {
        const inbox = inboxes[url.searchParams.get('inbox') ?? 'main'];
        const identity = url.searchParams.get('identity');
        const attrs = identity ? ` data-identifier="${identity}" data-identifier-hash="${url.searchParams.get('hash')}" data-name="Marieke Visser"` : '';
        return {
          strictCsp: true,
          html: `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fietsfabriek</title></head><body><h1 id="shop">Fietsfabriek</h1><p>Welkom in onze webshop.</p><script src="${balie}/widget.js" data-inbox="${inbox}"${attrs} async></script></body></html>`,
        };
      },
    });
    ({ env, site, ownerEmail: email } = shop);
    const main = await api('POST', '/api/v1/inboxes', { name: 'Webshop-chat', kind: 'widget', settings: { allowedOrigins: [site], identitySecret: SECRET, color: '#0b7a53', greeting: { nl: 'Hoi! Waarmee kunnen we helpen?' } } });
    expect(main.status).toBe(201);
    inboxes.main = main.body.id;
  });
  afterAll(async () => {
    await shop?.close();
  });

  async function openWidget(page: Parameters<typeof openLauncher>[0]) {
    const frame = await openLauncher(page);
    await frame.getByPlaceholder('Typ uw bericht…').waitFor();
    return frame;
  }

  it('visitor ↔ agent live, across origins, under a strict host CSP; reload keeps the conversation; CSAT', async () => {
    const visitor = await openContext(env, 'nl-NL');
    const cspErrors: string[] = [];
    visitor.page.on('console', (m) => {
      if (/Content Security Policy|Refused/.test(m.text())) cspErrors.push(m.text());
    });
    await visitor.page.goto(`${site}/?inbox=main`);
    const bodyBefore = await visitor.page.evaluate(() => getComputedStyle(document.body).cssText + getComputedStyle(document.body).fontFamily);
    const frame = await openWidget(visitor.page);
    // No CSS or globals leak into the shop page.
    expect(await visitor.page.evaluate(() => getComputedStyle(document.body).cssText + getComputedStyle(document.body).fontFamily)).toBe(bodyBefore);
    expect(await visitor.page.evaluate(() => document.querySelectorAll('style, link[rel=stylesheet]').length)).toBe(0);
    await frame.getByText('Hoi! Waarmee kunnen we helpen?').waitFor();
    // Icons are inline SVG (no emoji that render as boxes without an emoji font); the header is concrete.
    expect(await frame.locator('.attach svg').count()).toBe(1);
    expect(await frame.locator('.launcher svg').count()).toBe(1);
    expect((await frame.locator('.attach').textContent())!.trim()).toBe('');
    const expectation = (await frame.locator('header .expect').textContent())!;
    expect(expectation).toMatch(/^(We streven ernaar binnen \d+ minuten te antwoorden|We zijn er weer .+ om \d{1,2}:\d\d\.)/);
    expect(expectation).not.toMatch(/zo snel mogelijk/);

    const agent = await openContext(env, 'nl-NL');
    await login(agent.page, email);
    await agent.page.goto('/inbox/all');
    await agent.page.waitForFunction(() => document.querySelector('.connection') === null, undefined, { timeout: 10_000 });

    await say(frame, 'Hallo, waar blijft mijn bestelling 1234?');
    // The agent sees it arrive live, opens it and replies.
    const row = agent.page.locator('[data-conversation-id]', { hasText: 'waar blijft mijn bestelling 1234' });
    await row.waitFor({ timeout: 10_000 });
    const conversationId = (await row.getAttribute('data-conversation-id'))!;
    await row.click();
    await agent.page.locator('.msg-in').getByText('Hallo, waar blijft mijn bestelling 1234?').waitFor();
    await agent.page.keyboard.press('r');
    await agent.page.keyboard.type('Hoi! Uw pakket wordt vandaag bezorgd.');
    await agent.page.keyboard.press('Control+Enter');

    // The visitor sees it live, with the agent's first name.
    await frame.locator('.msg.agent .bubble', { hasText: 'Uw pakket wordt vandaag bezorgd.' }).waitFor({ timeout: 10_000 });
    expect(await frame.locator('.msg.agent .who').last().textContent()).toBe('Owner');

    // A reload keeps the conversation.
    await visitor.page.reload();
    const again = await openWidget(visitor.page);
    await again.locator('.msg.visitor .bubble', { hasText: 'waar blijft mijn bestelling 1234' }).waitFor();
    await again.locator('.msg.agent .bubble', { hasText: 'Uw pakket wordt vandaag bezorgd.' }).waitFor();

    // Dutch screenshot for the docs.
    await visitor.page.screenshot({ path: `${appRoot}/docs/screenshots/widget-nl.png` });

    // Resolved: the visitor is asked for a rating, live.
    expect((await api('POST', `/api/v1/conversations/${conversationId}/status`, { status: 'resolved' })).status).toBe(200);
    await again.getByText('Hoe tevreden bent u over de hulp?').waitFor({ timeout: 10_000 });
    await again.getByRole('radio', { name: '4 van 5' }).click();
    await again.getByLabel('Toelichting (optioneel)').fill('Snel en vriendelijk');
    await again.getByRole('button', { name: 'Beoordeling versturen' }).click();
    await again.getByText('Bedankt voor uw beoordeling!').waitFor();
    const conv = await api('GET', `/api/v1/conversations/${conversationId}`);
    expect(conv.body.customAttributes.csat).toMatchObject({ rating: 4, comment: 'Snel en vriendelijk' });

    expect(cspErrors).toEqual([]);
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
    await agent.context.close();
  });

  it('a visitor sends a photo: it shows as a thumbnail in the widget (under the strict host CSP) and reaches the agent', async () => {
    const visitor = await openContext(env, 'nl-NL');
    await visitor.page.goto(`${site}/?inbox=main`);
    const frame = await openWidget(visitor.page);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
    await frame.locator('input[name="file"]').setInputFiles({ name: 'kapotte-bel.png', mimeType: 'image/png', buffer: png });
    await say(frame, 'Zo ziet de bel eruit.');
    const thumb = frame.locator('.msg.visitor img.thumb[alt="kapotte-bel.png"]');
    await thumb.waitFor({ timeout: 10_000 });
    // Loaded, not a broken image: the frame's CSP allows it and the file route serves it to this visitor.
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    const list = await api('GET', `/api/v1/conversations?inboxId=${inboxes.main}`);
    const conv = list.body.items.find((c: { preview: string }) => c.preview.includes('Zo ziet de bel eruit.'));
    const msgs = (await api('GET', `/api/v1/conversations/${conv.id}/messages`)).body.items as { attachments: { fileName: string; contentType: string }[] }[];
    expect(msgs.flatMap((m) => m.attachments)).toContainEqual(expect.objectContaining({ fileName: 'kapotte-bel.png', contentType: 'image/png' }));
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
  });

  it('a forged identity hash is refused; a valid one is accepted', async () => {
    const { page, context } = await openContext(env, 'nl-NL');
    await page.goto(`${site}/?inbox=main&identity=user-42&hash=${'0'.repeat(64)}`);
    const frame = await openWidget(page);
    await frame.getByText('Uw identiteit kon niet worden bevestigd. U chat nu als gast.').waitFor();
    await context.close();

    const ok = await openContext(env, 'nl-NL');
    await ok.page.goto(`${site}/?inbox=main&identity=user-42&hash=${identifierHash(SECRET, 'user-42')}`);
    const f2 = await openWidget(ok.page);
    await say(f2, 'Ik ben ingelogd');
    expect(await f2.getByText('Uw identiteit kon niet worden bevestigd').count()).toBe(0);
    const list = await api('GET', `/api/v1/conversations?inboxId=${inboxes.main}`);
    const mine = list.body.items.find((c: { preview: string }) => c.preview.includes('Ik ben ingelogd'));
    expect(mine.contact.name).toBe('Marieke Visser');
    await ok.context.close();
  });
});
