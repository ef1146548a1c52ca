import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (browsers cannot be downloaded here). Without a Chromium the
 * browser suite is skipped — loudly — unless BALIE_REQUIRE_BROWSER=1 (CI), where a missing browser fails.
 */
export const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && fs.existsSync(p));
export const browserRequired = process.env.BALIE_REQUIRE_BROWSER === '1';

export function browserUnavailableReason(): string | null {
  if (chromiumPath) return null;
  const msg = 'No Chromium found (set CHROMIUM_PATH or install Debian\'s chromium): BROWSER TESTS SKIPPED';
  if (browserRequired) throw new Error(`${msg} — but BALIE_REQUIRE_BROWSER=1 requires them.`);
  console.warn(`\n\u001b[33m⚠ ${msg}\u001b[0m\n`);
  return msg;
}

export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  // Playwright refuses --user-data-dir in launch(); it starts every browser with a fresh temporary profile of its
  // own, and this directory stays as the place for anything else the run writes.
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-chromium-'));
  const browser = await chromium.launch({
    executablePath: chromiumPath!,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function newContext(browser: Browser, opts: { locale?: string; baseURL?: string } = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: opts.locale ?? 'nl-NL', baseURL: opts.baseURL, viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
}
