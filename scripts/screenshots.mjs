#!/usr/bin/env node
/**
 * `node scripts/screenshots.mjs [outDir]`: the README screenshots of the agent app, reproducibly. Builds Balie,
 * fills a fresh embedded database with the Dutch demo workspace (`balie seed:demo`), starts Balie on a free port
 * and photographs the inbox, a conversation, the customer panel and settings in headless Chromium (light theme,
 * Dutch; the inbox also in English). Not part of `npm test`.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'docs/screenshots'));
const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && fs.existsSync(p));
if (!chromiumPath) {
  console.error('No Chromium found (set CHROMIUM_PATH).');
  process.exit(1);
}

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-screenshots-'));
const port = Number(process.env.PORT ?? (await freePort()));
const smtpPort = Number(process.env.SMTP_PORT ?? (await freePort()));
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), SMTP_PORT: String(smtpPort), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
execFileSync(process.execPath, [path.join(root, 'dist/server/cli.js'), 'seed:demo'], { env, stdio: 'inherit' });

const server = spawn(process.execPath, [path.join(root, 'dist/server/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
server.stdout.on('data', (d) => (out += d));
server.stderr.on('data', (d) => (out += d));
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (server.exitCode !== null || i > 600) throw new Error(`Balie did not start:\n${out}`);
  const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
  if (ok) break;
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
fs.mkdirSync(outDir, { recursive: true });
const shots = [];

async function session(locale) {
  const context = await browser.newContext({ baseURL: base, locale: locale === 'nl' ? 'nl-NL' : 'en-GB', viewport: { width: 1440, height: 900 }, colorScheme: 'light', timezoneId: 'Europe/Amsterdam' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto('/login');
  await page.getByLabel(/^(E-mailadres|E-mail address)$/).fill('demo@balie.test');
  await page.getByLabel(/^(Wachtwoord|Password)$/).fill('demo-wachtwoord');
  await page.getByRole('button', { name: /^(Inloggen|Log in)$/ }).click();
  await page.waitForURL(/\/inbox\//);
  // The language is a per-user setting; set it the way the user menu does.
  await page.evaluate(async (l) => {
    const s = await (await fetch('/api/v1/auth/session')).json();
    await fetch('/api/v1/me/preferences', { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: JSON.stringify({ locale: l }) });
  }, locale);
  return { context, page };
}

/** Waits until the page is quiet (fonts, lazy chunks, live updates) so a screenshot shows the settled screen. */
async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate(() => document.fonts.ready);
  await page.mouse.move(0, 899);
  await page.waitForTimeout(400);
}

async function shot(page, name, target, clip) {
  await settle(page);
  const file = path.join(outDir, `${name}.png`);
  await (target ?? page).screenshot({ path: file, animations: 'disabled', caret: 'hide', ...(clip ? { clip } : {}) });
  shots.push(`${name}.png ${Math.round(fs.statSync(file).size / 1024)} KB`);
}

/** A demo conversation (found by a text in its row), opened from the All view. */
async function openConversation(page, rowText) {
  await page.goto('/inbox/all');
  const row = page.locator('[data-conversation-id]', { hasText: rowText }).first();
  await row.waitFor();
  await row.locator('.row-link').click();
  await page.locator('.messages .msg').first().waitFor();
}

try {
  {
    const { context, page } = await session('nl');
    await openConversation(page, 'Emma Visser');
    await shot(page, 'inbox-nl');
    await openConversation(page, 'Internet valt steeds weg');
    // What an agent would have filled in on this customer's card: their own fields.
    await page.evaluate(async () => {
      const id = location.pathname.split('/').pop();
      const s = await (await fetch('/api/v1/auth/session')).json();
      const h = { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken, 'x-workspace-id': s.workspaces[0].id };
      const conv = await (await fetch(`/api/v1/conversations/${id}`, { headers: h })).json();
      await fetch(`/api/v1/contacts/${conv.contact.id}`, {
        method: 'PATCH',
        headers: h,
        body: JSON.stringify({ attributes: { klantnummer: 'GN-204518', abonnement: 'Glasvezel 1000 Mbit/s', adres: 'Lindelaan 14, Zwolle' } }),
      });
    });
    await page.reload();
    await page.locator('.messages .msg').first().waitFor();
    await shot(page, 'conversation-nl');
    const panel = page.getByRole('complementary', { name: 'Klant' });
    await panel.locator('.timeline-list').waitFor();
    await panel.getByText('GN-204518').waitFor();
    await settle(page);
    // The panel down to its last control, not the empty space under it.
    const box = await panel.boundingBox();
    const end = await panel.locator('button').last().boundingBox();
    await shot(page, 'customer-panel-nl', null, { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, end.y + end.height + 16 - box.y) });
    await page.goto('/settings/agents');
    await page.getByRole('heading', { level: 1, name: 'Agents en rollen' }).waitFor();
    await shot(page, 'settings-nl');
    await context.close();
  }
  {
    const { context, page } = await session('en');
    await openConversation(page, 'Emma Visser');
    await shot(page, 'inbox-en');
    // Back to Dutch: the demo user's language is a stored setting.
    await page.evaluate(async () => {
      const s = await (await fetch('/api/v1/auth/session')).json();
      await fetch('/api/v1/me/preferences', { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: JSON.stringify({ locale: 'nl' }) });
    });
    await context.close();
  }
  console.log(`Screenshots in ${outDir}:\n  ${shots.join('\n  ')}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
