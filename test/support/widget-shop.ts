import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { startAgentApp, type AgentAppEnv } from './agent-app';
import { setupWorkspace } from './app';

/**
 * The stage of the widget's browser tests: a Balie with the agent app, a workspace owner, and a shop page on
 * ANOTHER origin (its own port) that embeds the snippet. `page` writes the shop's HTML per request; with
 * `strictCsp` the shop allows only Balie's script and frame, no inline anything.
 */
export interface WidgetShop {
  env: AgentAppEnv;
  owner: { apiToken: string; workspaceId: string };
  ownerEmail: string;
  /** The shop's origin (http://localhost:port). */
  site: string;
  /** An API call as the owner. */
  api(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startWidgetShop(opts: {
  env?: Record<string, string>;
  page: (url: URL, balie: string) => { html: string; strictCsp?: boolean };
}): Promise<WidgetShop> {
  const env = await startAgentApp({ env: opts.env });
  const ownerEmail = `owner-${Date.now()}@fietsfabriek.nl`;
  const owner = await setupWorkspace(env.app, 'Fietsfabriek', ownerEmail);
  const host = http.createServer((req, res) => {
    const { html, strictCsp } = opts.page(new URL(req.url!, 'http://x'), env.base);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(strictCsp ? { 'content-security-policy': `default-src 'none'; script-src ${env.base}/widget.js; frame-src ${env.base}; style-src 'self'` } : {}),
    });
    res.end(html);
  });
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${env.base}${url}`, {
      method,
      headers: { authorization: `Bearer ${owner.apiToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
  };
  return {
    env,
    owner,
    ownerEmail,
    site: `http://localhost:${(host.address() as AddressInfo).port}`,
    api,
    async close() {
      await env.close();
      await new Promise((r) => host.close(r));
    },
  };
}

/** The widget's frame inside the shop page, once the loader has put it there. */
export async function widgetFrame(page: Page): Promise<Frame> {
  await page.waitForSelector('div[data-balie-widget]', { state: 'attached' });
  await expect.poll(() => page.frames().some((f) => f.url().includes('/widget/frame/')), { timeout: 10_000 }).toBe(true);
  return page.frames().find((f) => f.url().includes('/widget/frame/'))!;
}

/** Opens the widget with its launcher button (`button` in the page's language). */
export async function openWidget(page: Page, button: string | RegExp = 'Chat openen'): Promise<Frame> {
  const frame = await widgetFrame(page);
  await frame.getByRole('button', { name: button }).click();
  return frame;
}

/** The visitor writes a message and (unless `wait` is false: offline) waits until the server has it. */
export async function say(frame: Frame, text: string, placeholder = 'Typ uw bericht…', wait = true) {
  await frame.getByPlaceholder(placeholder).fill(text);
  await frame.getByPlaceholder(placeholder).press('Enter');
  if (wait) await frame.locator('.msg.visitor:not(.pending) .bubble', { hasText: text }).waitFor();
}
