import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserUnavailableReason, launchBrowser } from '../support/browser';
import { createApiInbox, inbound } from '../support/app';
import { startVoiceLine, type VoiceLine } from '../support/voice-line';
import { uuidv7, type Runtime } from '../../src/shared/runtime';
import { appRoot } from '../../src/paths';

/**
 * The customer picks a callback time on their phone: the case-status page (as opened from the link in a written
 * reply) offers the phone line's free slots by day; a slot that filled up meanwhile is refused with a clear
 * message, the typed number stays, and another pick goes through. Server clock: Wednesday 23 December 2026, 16:10.
 */
const skip = browserUnavailableReason();
const shots = `${appRoot}/docs/screenshots`;
const runtime: Runtime = { now: () => new Date('2026-12-23T15:10:00Z'), id: () => uuidv7(), random: Math.random };
const nineToFive = [{ start: '09:00', end: '17:00' }];

describe.skipIf(!!skip)('picking a callback slot on the case-status page', () => {
  let line: VoiceLine;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let base: string;
  let apiInboxId: string;
  /** A fresh case per language: a case with a callback booked shows "we will call you" instead of the form. */
  const caseLink = async (ext: string) => {
    const r = await inbound(line.app, line.token, apiInboxId, { externalId: ext, contact: { email: `${ext}@example.nl`, name: 'Sanne' }, content: 'Mijn modem knippert rood.' });
    const link = await line.app.call('POST', `/api/v1/conversations/${r.body.conversationId}/status-link`, { token: line.token });
    return new URL(link.body.url).pathname;
  };

  beforeAll(async () => {
    line = await startVoiceLine({ runtime, settings: { callbackSlots: { minutes: 30, days: 5, capacity: 1 } } });
    base = await line.app.listen();
    await line.app.call('PATCH', '/api/v1/certainty/settings', {
      token: line.token,
      body: { calendars: { [line.inboxId]: { timeZone: 'Europe/Amsterdam', week: [[], nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, []], dutchHolidays: true } } },
    });
    apiInboxId = (await createApiInbox(line.app, line.token)).id;
    ({ browser, close: closeBrowser } = await launchBrowser());
    fs.mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await line?.close();
  });

  for (const lang of ['nl', 'en'] as const) {
    it(`${lang}: a full slot is refused with a clear message and nothing typed is lost; another slot is booked`, async () => {
      const context = await browser.newContext({ locale: lang === 'nl' ? 'nl-NL' : 'en-GB', baseURL: base, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${await caseLink(`slot-page-${lang}`)}?lang=${lang}#callback`);
      const form = page.locator('form[data-action="callback"]');
      await form.getByLabel(lang === 'nl' ? 'Telefoonnummer' : 'Phone number').fill('06 1234 5678');
      const picker = form.getByLabel(lang === 'nl' ? 'Wanneer mogen we bellen?' : 'When may we call?');
      const first = await picker.locator('option:not([disabled]):not([value=""])').first().getAttribute('value');
      await picker.selectOption(first!);
      await form.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/callback-slot-picker-${lang}.png`, fullPage: false });

      // Someone else takes that slot before this customer presses the button.
      expect((await line.app.call('POST', `${await caseLink(`slot-rival-${lang}`)}/callback`, { body: { phone: '0611111111', slot: first } })).status).toBe(201);

      await form.getByRole('button', { name: lang === 'nl' ? 'Bel mij terug' : 'Call me back' }).click();
      const result = form.locator('.result');
      await result.filter({ hasText: lang === 'nl' ? 'Dit tijdstip is net vol geraakt' : 'This time has just filled up' }).waitFor({ timeout: 10_000 });
      expect(await result.getAttribute('class')).toContain('err');
      expect(await form.getByLabel(lang === 'nl' ? 'Telefoonnummer' : 'Phone number').inputValue()).toBe('06 1234 5678');
      expect(await picker.locator(`option[value="${first}"]`).isDisabled()).toBe(true);
      await page.screenshot({ path: `${shots}/callback-slot-full-${lang}.png` });

      const next = await picker.locator('option:not([disabled]):not([value=""])').first();
      const when = (await next.getAttribute('data-when'))!;
      await picker.selectOption((await next.getAttribute('value'))!);
      await form.getByRole('button', { name: lang === 'nl' ? 'Bel mij terug' : 'Call me back' }).click();
      await result.filter({ hasText: when }).waitFor({ timeout: 10_000 });
      expect(await result.textContent()).toBe(lang === 'nl' ? `We bellen je ${when}.` : `We will call you ${when}.`);
      // The page fits the phone's width: nothing scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: `${shots}/callback-slot-booked-${lang}.png` });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
