import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appRoot } from '../../src/paths';
import { launchBrowser, newContext } from './browser';
import { createTestApp, type TestApp } from './app';

/**
 * The agent app in a real Chromium against a real Balie on a port. The app is built once (the server serves
 * dist/web only when it exists at start-up), then each suite gets its own empty Balie.
 */
let built = false;
export function ensureWebBuilt() {
  if (built && fs.existsSync(path.join(appRoot, 'dist/web/index.html'))) return;
  // The production build that `npm start` serves: Vitest sets NODE_ENV=test, and Vite then builds React's
  // development bundle, whose StrictMode mounts every screen twice (and doubles the requests the tests count).
  execFileSync(process.execPath, [path.join(appRoot, 'scripts/build.mjs'), '--if-stale'], { cwd: appRoot, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
  built = true;
}

export interface AgentAppEnv {
  app: TestApp;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startAgentApp(opts: { env?: Record<string, string> } = {}): Promise<AgentAppEnv> {
  ensureWebBuilt();
  const app = await createTestApp({ env: { ...opts.env } });
  const base = await app.listen();
  const { browser, close } = await launchBrowser();
  return {
    app,
    base,
    browser,
    async close() {
      await close();
      await app.close();
    },
  };
}

export const PASSWORD = 'correct-horse-battery';

export async function openContext(env: AgentAppEnv, locale: 'nl-NL' | 'en-GB' = 'nl-NL'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(env.browser, { locale, baseURL: env.base });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Logs in through the login form (labels in either language). */
export async function login(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel(/^(E-mailadres|E-mail address)$/).fill(email);
  await page.getByLabel(/^(Wachtwoord|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(Inloggen|Log in)$/ }).click();
  await page.waitForURL(/\/inbox\//);
}

/** The CSRF token of the page's session, for API calls made as the logged-in agent. */
export async function apiAsPage<T = unknown>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const s = await (await fetch('/api/v1/auth/session')).json();
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    { method, url, body },
  );
}
