import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../src/store/schema';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * Drafts belong to their conversation and survive an expired session and a new login; a customer's file is offered
 * as a download the browser will not render (Content-Disposition: attachment, no HTML or SVG inline).
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('drafts and downloads', () => {
  let env: AgentAppEnv;
  let token: string;
  let inboxId: string;
  const ownerEmail = 'drafts@fietsfabriek.example';
  let n = 0;
  const conversation = async (content: string, attachments?: unknown[]) =>
    (await inbound(env.app, token, inboxId, { externalId: `d-${++n}`, contact: { email: `d${n}@example.nl`, name: `Klant ${n}` }, content, attachments })).body.conversationId as string;

  beforeAll(async () => {
    env = await startAgentApp();
    token = (await setupWorkspace(env.app, 'Fietsfabriek', ownerEmail)).apiToken;
    inboxId = (await createApiInbox(env.app, token, {}, 'Webshop')).id;
  });
  afterAll(() => env?.close());

  it('keeps one draft per conversation across an expired session and a new login', async () => {
    const a = await conversation('Waar blijft mijn pakket?');
    const b = await conversation('Kan ik ruilen?');
    const { context, page } = await openContext(env);
    try {
      await login(page, ownerEmail);
      for (const [id, text] of [
        [a, 'Het pakket is onderweg.'],
        [b, 'Ruilen kan binnen 30 dagen.'],
      ] as const) {
        await page.goto(`/inbox/all/${id}`);
        await page.locator('.msg-in').first().waitFor();
        await page.locator('.messages').click();
        await page.keyboard.press('r');
        await page.keyboard.type(text);
        await page.waitForTimeout(400); // the draft is saved a moment after typing stops
      }
      await env.app.balie.services.store.db.update(sessions).set({ expiresAt: new Date(Date.now() - 60_000) });
      await page.goto(`/inbox/all/${a}`);
      await page.getByRole('heading', { name: 'Inloggen bij Balie' }).waitFor();
      await page.getByLabel('E-mailadres').fill(ownerEmail);
      await page.getByLabel('Wachtwoord').fill('correct-horse-battery');
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.waitForURL(new RegExp(a));
      const box = page.getByRole('textbox', { name: /Antwoord aan/ });
      await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toBe('Het pakket is onderweg.');
      await page.goto(`/inbox/all/${b}`);
      await expect.poll(() => box.inputValue(), { timeout: 10_000 }).toBe('Ruilen kan binnen 30 dagen.');
    } finally {
      await context.close();
    }
  });

  it('serves a customer’s HTML and SVG files as downloads, never inline', async () => {
    const id = await conversation('Zie bijlagen', [
      { fileName: 'factuur.html', contentType: 'text/html', data: Buffer.from('<script>alert(1)</script>').toString('base64') },
      { fileName: 'logo.svg', contentType: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').toString('base64') },
    ]);
    const { context, page } = await openContext(env);
    try {
      await login(page, ownerEmail);
      await page.goto(`/inbox/all/${id}`);
      await page.locator('.msg-in').first().waitFor();
      // The SVG is not shown as an image preview.
      expect(await page.locator('.msg-in img[alt="logo.svg"]').count()).toBe(0);
      for (const name of ['factuur.html', 'logo.svg']) {
        const link = page.getByRole('link', { name: new RegExp(name.replace('.', '\\.')) });
        expect(await link.getAttribute('download')).toBe(name);
        const res = await page.request.get((await link.getAttribute('href'))!);
        expect(res.status()).toBe(200);
        expect(res.headers()['content-disposition'], name).toMatch(/^attachment/);
        expect(res.headers()['content-type'], name).not.toMatch(/html|svg/);
        expect(res.headers()['x-content-type-options']).toBe('nosniff');
      }
    } finally {
      await context.close();
    }
  });
});
