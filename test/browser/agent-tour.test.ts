import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { memberships } from '../../src/store/schema';
import { browserUnavailableReason } from '../support/browser';
import { createHttpSink } from '../support/http-sink';
import { createSmtpSink } from '../support/smtp-sink';
import { addMember, createApiInbox, createSecondWorkspace, inbound, setupWorkspace } from '../support/app';
import { login, openContext, PASSWORD, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * The rest of an agent's day, in Dutch, in a real Chromium: a forgotten password and an invitation by e-mail,
 * moving and resolving with the keyboard, Ctrl+K search with highlighted hits, a failed delivery sent again,
 * a second workspace, a tablet screen, and text that meets WCAG AA contrast.
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('an agent’s day in the agent app', () => {
  let env: AgentAppEnv;
  let smtp: Awaited<ReturnType<typeof createSmtpSink>>;
  let shop: Awaited<ReturnType<typeof createHttpSink>>;
  let shopAnswers = 400;
  let owner: { workspaceId: string; userId: string; apiToken: string };
  let inboxId: string;
  const ownerEmail = 'joris@fietsfabriek.example';
  let n = 0;
  let ownerPassword = PASSWORD;

  const newConversation = async (content: string, name = `Klant ${++n}`) => {
    const r = await inbound(env.app, owner.apiToken, inboxId, { externalId: `t-${Date.now()}-${++n}`, contact: { email: `tour${n}@example.nl`, name }, content });
    expect(r.status).toBe(201);
    return r.body as { conversationId: string; contactId: string };
  };

  beforeAll(async () => {
    smtp = await createSmtpSink();
    shop = await createHttpSink(() => ({ status: shopAnswers, body: shopAnswers === 200 ? '{"id":"shop-1"}' : '{"error":"unknown order"}' }));
    env = await startAgentApp({ env: { SMTP_URL: smtp.url } });
    owner = await setupWorkspace(env.app, 'Fietsfabriek', ownerEmail);
    inboxId = (await createApiInbox(env.app, owner.apiToken, { webhookUrl: `${shop.url}/replies` }, 'Webshop')).id;
  });
  afterAll(async () => {
    await env?.close();
    await smtp?.close();
    await shop?.close();
  });

  const contexts: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  async function page(viewport?: { width: number; height: number }): Promise<Page> {
    const { context, page } = await openContext(env);
    contexts.push(context);
    if (viewport) await page.setViewportSize(viewport);
    return page;
  }
  const linkIn = (text: string) => new URL(/https?:\/\/\S+/.exec(text)![0]).pathname;

  it('resets a forgotten password by the e-mailed link, and a colleague joins by invitation', async () => {
    const p = await page();
    await p.goto('/login');
    await p.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
    await p.getByLabel('E-mailadres').fill(ownerEmail);
    await p.getByRole('button', { name: 'Link versturen' }).click();
    await p.getByText(`Als ${ownerEmail} een account heeft, is er een link onderweg.`, { exact: false }).waitFor();
    await expect.poll(() => smtp.messages.filter((m) => m.to && JSON.stringify(m.to).includes(ownerEmail)).length, { timeout: 15_000 }).toBe(1);
    const resetMail = smtp.messages.find((m) => JSON.stringify(m.to).includes(ownerEmail))!;
    await p.goto(linkIn(resetMail.text!));
    await p.getByRole('textbox', { name: 'Nieuw wachtwoord' }).fill('nieuw-wachtwoord-123');
    await p.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await p.getByText('Uw wachtwoord is gewijzigd. U kunt nu inloggen.').waitFor();
    await login(p, ownerEmail, 'nieuw-wachtwoord-123');
    ownerPassword = 'nieuw-wachtwoord-123';

    // The owner invites a colleague from Settings; the colleague follows the e-mailed link.
    await p.goto('/settings/agents');
    await p.getByLabel('E-mailadres').fill('femke@fietsfabriek.example');
    await p.getByRole('button', { name: 'Uitnodiging versturen' }).click();
    await p.getByText('Er is een uitnodiging gemaild naar femke@fietsfabriek.example', { exact: false }).waitFor();
    await expect.poll(() => smtp.messages.filter((m) => JSON.stringify(m.to).includes('femke@')).length, { timeout: 15_000 }).toBe(1);
    const invite = smtp.messages.find((m) => JSON.stringify(m.to).includes('femke@'))!;
    const q = await page();
    await q.goto(linkIn(invite.text!));
    await q.getByRole('heading', { name: 'Word lid van Fietsfabriek' }).waitFor();
    await q.getByLabel('Uw naam').fill('Femke de Boer');
    await q.getByRole('textbox', { name: 'Wachtwoord' }).fill(PASSWORD);
    await q.getByRole('button', { name: 'Uitnodiging accepteren' }).click();
    await q.waitForURL(/\/inbox\//);
    await q.getByRole('button', { name: /Menu van Femke de Boer/ }).waitFor();
  });

  it('moves with j and k, resolves with e, and lists the shortcuts on ?', async () => {
    const a = await newConversation('Mijn bestelling is beschadigd aangekomen');
    const b = await newConversation('Kan ik mijn bestelling nog wijzigen?');
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.goto('/inbox/all');
    await p.locator(`[data-conversation-id="${b.conversationId}"]`).waitFor();
    await p.keyboard.press('j');
    await p.waitForURL(new RegExp(b.conversationId));
    await p.locator('.messages').click();
    await p.keyboard.press('j');
    await p.waitForURL(new RegExp(a.conversationId));
    await p.keyboard.press('k');
    await p.waitForURL(new RegExp(b.conversationId));
    await p.keyboard.press('e');
    await p.locator('.conv-header .status-badge', { hasText: 'Opgelost' }).waitFor();
    expect((await env.app.call('GET', `/api/v1/conversations/${b.conversationId}`, { token: owner.apiToken })).body.status).toBe('resolved');

    await p.keyboard.press('?');
    const help = p.getByRole('dialog', { name: 'Sneltoetsen' });
    for (const what of ['Volgend gesprek', 'Vorig gesprek', 'Antwoorden', 'Interne notitie', 'Oplossen of heropenen', 'Toewijzen']) await help.getByText(what, { exact: true }).waitFor();
    await p.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });

  it('asks for a conversation and its messages at once when it opens (one round trip, not two)', async () => {
    const { conversationId } = await newConversation('Is mijn pakket al onderweg?');
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.goto('/inbox/all');
    const row = p.locator(`[data-conversation-id="${conversationId}"]`);
    await row.waitFor();
    // A slow conversation answer: the messages must not wait for it.
    const single = /\/api\/v1\/conversations\/[0-9a-f-]{36}$/;
    await p.route(single, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    const started: { conversation?: number; messages?: number } = {};
    p.on('request', (r) => {
      if (single.test(r.url())) started.conversation ??= Date.now();
      if (r.url().includes(`/conversations/${conversationId}/messages`)) started.messages ??= Date.now();
    });
    await row.locator('.row-link').click();
    await p.locator('.msg-in', { hasText: 'Is mijn pakket al onderweg?' }).waitFor();
    expect(started.messages).toBeDefined();
    expect(started.messages! - started.conversation!).toBeLessThan(1000);
  });

  it('puts a picked emoji at the caret and keeps typing after it, also when frames come late', async () => {
    const { conversationId } = await newConversation('Bedankt voor de snelle hulp');
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.addInitScript(() => {
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => window.setTimeout(() => raf(cb), 300);
    });
    await p.goto(`/inbox/all/${conversationId}`);
    await p.locator('.msg-in').first().waitFor();
    await p.locator('.messages').click();
    await p.keyboard.press('r');
    await p.keyboard.type('Graag gedaan');
    await p.getByRole('button', { name: 'Emoji' }).click();
    await p.getByRole('menuitem', { name: '🙂' }).click();
    await p.keyboard.type(' Tot ziens');
    await expect.poll(() => p.getByPlaceholder(/Antwoord aan/).inputValue()).toBe('Graag gedaan🙂 Tot ziens');
  });

  it('edits the customer’s card: name and an own field, kept by the server', async () => {
    const { conversationId, contactId } = await newConversation('Mijn naam is verkeerd gespeld', 'Jan Jansen');
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.goto(`/inbox/all/${conversationId}`);
    const panel = p.getByRole('complementary', { name: 'Klant' });
    await panel.getByRole('button', { name: 'Klant bewerken' }).click();
    await panel.getByLabel('Naam').fill('Jan Janssen');
    await panel.getByRole('button', { name: 'Veld toevoegen' }).click();
    await panel.getByLabel('Veld', { exact: true }).fill('klantnummer');
    await panel.getByLabel('Waarde').fill('K-1001');
    await panel.getByRole('button', { name: 'Opslaan' }).click();
    await panel.getByText('K-1001').waitFor();
    await panel.getByText('Jan Janssen').first().waitFor();
    const c = (await env.app.call('GET', `/api/v1/contacts/${contactId}`, { token: owner.apiToken })).body;
    expect(c.name).toBe('Jan Janssen');
    expect(c.attributes).toEqual({ klantnummer: 'K-1001' });
  });

  it('lets an admin add a label and set the workspace time zone in settings', async () => {
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.goto('/settings/labels');
    await p.getByRole('button', { name: 'Nieuw label' }).click();
    await p.getByLabel('Naam', { exact: true }).fill('retour');
    await p.getByRole('button', { name: 'Opslaan' }).click();
    await p.getByRole('navigation', { name: 'Weergaven' }).getByRole('link', { name: /retour/ }).waitFor();
    const labels = (await env.app.call('GET', '/api/v1/labels', { token: owner.apiToken })).body.items as { name: string }[];
    expect(labels.map((l) => l.name)).toContain('retour');

    await p.getByRole('link', { name: 'Werkruimte' }).click();
    await p.getByLabel('Tijdzone').selectOption('Europe/Brussels');
    await p.getByRole('button', { name: 'Opslaan' }).click();
    await expect.poll(async () => (await env.app.call('GET', '/api/v1/workspace', { token: owner.apiToken })).body.timeZone).toBe('Europe/Brussels');
  });

  it('shows a browser notification instead of a chime when the agent chose so, while Balie is in the background', async () => {
    const agent = await addMember(env.app, owner.workspaceId, 'agent', 'Noor Peeters');
    expect((await env.app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token: owner.apiToken, body: { memberIds: [agent.userId] } })).status).toBe(200);
    const { conversationId } = await newConversation('Wie helpt mij met mijn retour?');
    const p = await page();
    // The browser's notification permission granted and the tab in the background (test-only stand-ins for the
    // browser and the window manager; the app's own code runs unchanged).
    await p.addInitScript(() => {
      const shown: { title: string; body?: string }[] = [];
      (window as unknown as { __shown: typeof shown }).__shown = shown;
      class GrantedNotification {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, opts?: { body?: string }) {
          shown.push({ title, body: opts?.body });
        }
        close() {}
      }
      (window as unknown as { Notification: unknown }).Notification = GrantedNotification;
      document.hasFocus = () => false;
    });
    await login(p, agent.email);
    await p.goto('/settings/profile');
    await p.getByLabel('Geluid afspelen').uncheck();
    await p.getByLabel('Browsermelding tonen als Balie op de achtergrond staat').check();
    await expect.poll(async () => (await env.app.call('GET', '/api/v1/me/preferences', { token: agent.token })).body).toMatchObject({ notifySound: false, notifyBrowser: true });
    await p.goto('/inbox/mine');
    await p.waitForFunction(() => document.querySelector('.connection') === null, undefined, { timeout: 10_000 });
    const chimes = await p.evaluate(() => window.__balieChimes?.() ?? 0);

    const number = (await env.app.call('GET', `/api/v1/conversations/${conversationId}`, { token: owner.apiToken })).body.number;
    expect((await env.app.call('POST', `/api/v1/conversations/${conversationId}/assign`, { token: owner.apiToken, body: { assigneeId: agent.userId } })).status).toBe(200);
    await expect.poll(() => p.evaluate(() => (window as unknown as { __shown: { title: string }[] }).__shown.map((n) => n.title)), { timeout: 10_000 }).toEqual([`Aan u toegewezen: #${number}`]);
    expect(await p.evaluate(() => window.__balieChimes?.() ?? 0)).toBe(chimes);
    await p.getByRole('button', { name: 'Meldingen, 1 ongelezen' }).click();
    await p.getByRole('menuitem', { name: new RegExp(`Owner wees #${number} aan u toe`) }).waitFor();
  });

  it('moves a notification switch at once, and puts it back with a message when the server refuses', async () => {
    const agent = await addMember(env.app, owner.workspaceId, 'agent', 'Daan Vos');
    const p = await page();
    await login(p, agent.email);
    await p.goto('/settings/profile');
    const sound = p.getByLabel('Geluid afspelen');
    await sound.waitFor();
    expect(await sound.isChecked()).toBe(true);
    // A slow server: the switch shows the agent's choice while the change is on its way.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await p.route('**/api/v1/me/preferences', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      await held;
      await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'down' } }) });
    });
    await sound.uncheck();
    expect(await sound.isChecked()).toBe(false);
    release();
    await p.getByText('Er ging iets mis op de server', { exact: false }).waitFor();
    await expect.poll(() => sound.isChecked()).toBe(true);
    expect((await env.app.call('GET', '/api/v1/me/preferences', { token: agent.token })).body.notifySound).toBe(true);
  });

  it('snoozes until a preset time and shows it in the snoozed tab', async () => {
    const { conversationId } = await newConversation('Ik ben pas volgende week thuis');
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.goto(`/inbox/all/${conversationId}`);
    await p.locator('.msg-in').first().waitFor();
    await p.locator('.messages').click();
    await p.keyboard.press('s');
    await p.getByRole('menuitem', { name: /Over een week/ }).click();
    await p.locator('.conv-header .status-badge', { hasText: 'Gesnoozed' }).waitFor();
    const conv = (await env.app.call('GET', `/api/v1/conversations/${conversationId}`, { token: owner.apiToken })).body;
    expect(conv.status).toBe('snoozed');
    const days = (Date.parse(conv.snoozedUntil) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6);
    expect(days).toBeLessThan(8);
  });

  it('finds message text with Ctrl+K across Dutch word forms and highlights the hit', async () => {
    const { conversationId } = await newConversation('De facturen van februari kloppen niet', 'Anouk Smit');
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.keyboard.press('Control+k');
    const dialog = p.getByRole('dialog', { name: 'Zoeken' });
    await dialog.getByRole('combobox').fill('factuur');
    const hit = dialog.getByRole('option', { name: /facturen van februari/ });
    await hit.waitFor({ timeout: 10_000 });
    expect(await hit.locator('mark').first().textContent()).toBe('facturen');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Enter');
    await p.waitForURL(new RegExp(conversationId));
  });

  it('shows a failed delivery with its reason and sends it again on retry', async () => {
    const { conversationId } = await newConversation('Klopt mijn adres nog?');
    shopAnswers = 400;
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.goto(`/inbox/all/${conversationId}`);
    await p.locator('.msg-in').first().waitFor();
    await p.locator('.messages').click();
    await p.keyboard.press('r');
    await p.keyboard.type('Ja, Dorpsstraat 1 in Zwolle.');
    await p.keyboard.press('Control+Enter');
    const out = p.locator('.msg-out', { hasText: 'Dorpsstraat 1' });
    const failed = out.locator('.delivery.failed');
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.textContent()).toContain('Niet afgeleverd');
    expect(await failed.textContent()).toMatch(/400/);
    shopAnswers = 200;
    await failed.getByRole('button', { name: 'Opnieuw versturen' }).click();
    await out.locator('.delivery.sent').waitFor({ timeout: 15_000 });
  });

  it('fits a tablet of 768 px: no sideways scrolling, the conversation and composer usable', async () => {
    const { conversationId } = await newConversation('Werkt de app ook op mijn tablet?');
    const p = await page({ width: 768, height: 1024 });
    await login(p, ownerEmail, ownerPassword);
    await p.goto('/inbox/all');
    await p.locator('[data-conversation-id]').first().waitFor();
    const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    await p.locator(`[data-conversation-id="${conversationId}"] .row-link`).click();
    await p.locator('.msg-in', { hasText: 'Werkt de app ook op mijn tablet?' }).waitFor();
    expect(await overflow()).toBe(0);
    const box = await p.getByPlaceholder(/Antwoord aan/).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(768);
    expect(box!.width).toBeGreaterThan(300);
    // Back to the list on a narrow screen.
    await p.getByRole('button', { name: 'Terug naar de lijst' }).click();
    await p.locator('[data-conversation-id]').first().waitFor();
    await p.goto('/settings/agents');
    await p.getByRole('heading', { level: 1 }).waitFor();
    expect(await overflow()).toBe(0);
  });

  it('has text that meets WCAG AA contrast on the inbox, a conversation and settings', async () => {
    const { conversationId } = await newConversation('Hoe lees ik dit goed?');
    await env.app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token: owner.apiToken, body: { kind: 'note', content: 'Interne notitie voor het team' } });
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    const failures: string[] = [];
    for (const url of [`/inbox/all/${conversationId}`, '/settings/agents', '/settings/inboxes']) {
      await p.goto(url);
      await p.waitForLoadState('networkidle');
      await p.locator('.msg-note, h1').first().waitFor();
      failures.push(...(await p.evaluate(contrastFailures)).map((f) => `${url}: ${f}`));
      // One main heading per screen, for screen-reader navigation.
      expect(await p.locator('h1').count(), url).toBe(1);
    }
    expect(failures).toEqual([]);
  });

  it('switches to another workspace and shows that workspace’s inbox', async () => {
    const other = await createSecondWorkspace(env.app, 'Bakkerij Brood');
    await env.app.balie.services.store.db.insert(memberships).values({ workspaceId: other.workspaceId, userId: owner.userId, role: 'admin' });
    const otherInbox = (await createApiInbox(env.app, other.apiToken, {}, 'Bestellingen')).id;
    const r = await inbound(env.app, other.apiToken, otherInbox, { externalId: 'brood-1', contact: { email: 'brood@example.nl', name: 'Broodklant' }, content: 'Zijn er nog krentenbollen?' });
    const p = await page();
    await login(p, ownerEmail, ownerPassword);
    await p.goto('/inbox/all');
    await p.getByLabel('Werkruimte').selectOption({ label: 'Bakkerij Brood' });
    await p.waitForURL(/\/inbox\/mine/);
    await p.getByRole('link', { name: /^Alle/ }).click();
    await p.locator(`[data-conversation-id="${r.body.conversationId}"]`).waitFor();
    await p.getByRole('link', { name: /^Bestellingen/ }).waitFor();
    expect(await p.getByRole('link', { name: /^Webshop/ }).count()).toBe(0);
    // Live updates follow the chosen workspace.
    await p.waitForFunction(() => document.querySelector('.connection') === null, undefined, { timeout: 10_000 });
    const live = await inbound(env.app, other.apiToken, otherInbox, { externalId: 'brood-2', contact: { email: 'brood2@example.nl', name: 'Tweede broodklant' }, content: 'Hebben jullie spelt?' });
    await p.locator(`[data-conversation-id="${live.body.conversationId}"]`).waitFor({ timeout: 10_000 });
  });
});

/** Runs in the page: every visible text node's colour against its effective background, WCAG 2.x AA. */
function contrastFailures(): string[] {
  const parse = (c: string) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: r!, g: g!, b: b!, a };
  };
  const lum = ({ r, g, b }: { r: number; g: number; b: number }) => {
    const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (top: { r: number; g: number; b: number; a: number }, under: { r: number; g: number; b: number }) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
  });
  const background = (el: Element | null): { r: number; g: number; b: number } => {
    const layers: { r: number; g: number; b: number; a: number }[] = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let bg = { r: 255, g: 255, b: 255 };
    for (const l of layers.reverse()) bg = blend(l, bg);
    return bg;
  };
  const out: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set<Element>();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent?.trim()) continue;
    seen.add(el);
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || el.closest('[aria-hidden="true"], .sr-only, [disabled]')) continue;
    if (Number(s.opacity) === 0) continue;
    const fg = parse(s.color);
    if (!fg) continue;
    const bg = background(el);
    const f = blend(fg, bg);
    const [hi, lo] = [lum(f), lum(bg)].sort((x, y) => y - x);
    const ratio = (hi! + 0.05) / (lo! + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push(`"${n.textContent.trim().slice(0, 30)}" (${el.className || el.tagName}) ${ratio.toFixed(2)}:1`);
  }
  return out;
}
