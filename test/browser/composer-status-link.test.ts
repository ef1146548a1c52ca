import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { createApiInbox, inbound, setupWorkspace } from '../support/app';
import { startApiReceiver } from '../support/fakes/api-receiver';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';

/**
 * The composer's "insert status link" button: it puts the conversation's case-status link at the caret (making
 * the link when the conversation has none yet), works from the keyboard, is not offered for notes, and the reply
 * that carries it reaches the customer's system with a link whose page opens.
 */
const skip = browserUnavailableReason();

describe.skipIf(!!skip)('composer: insert status link', () => {
  let env: AgentAppEnv;
  let receiver: Awaited<ReturnType<typeof startApiReceiver>>;
  let token: string;
  let inboxId: string;
  const email = 'sanne@example.nl';

  const newConversation = async (externalId: string, name: string) =>
    (await inbound(env.app, token, inboxId, { externalId, contact: { email: `${externalId}@klant.nl`, name }, content: 'Wanneer hoor ik iets over mijn storing?' })).body.conversationId as string;

  beforeAll(async () => {
    receiver = await startApiReceiver();
    env = await startAgentApp();
    token = (await setupWorkspace(env.app, 'Netbedrijf', email)).apiToken;
    inboxId = (await createApiInbox(env.app, token, { ...receiver.settings, ...receiver.secrets }, 'Website')).id;
  });
  afterAll(async () => {
    await env?.close();
    await receiver?.stop();
  });

  it('inserts the link at the caret, and the sent reply delivers a status link whose page opens', async () => {
    const conversationId = await newConversation('sl-1', 'Joost Mulder');
    const { context, page, errors } = await openContext(env);
    await login(page, email);
    await page.goto(`/inbox/all/${conversationId}`);
    const box = page.getByPlaceholder('Antwoord aan Joost Mulder…');
    await box.fill('Hoi Joost, de stand van zaken: Groet, Sanne');
    // Caret right after "zaken: ", in the middle of the text.
    await box.evaluate((el: HTMLTextAreaElement) => {
      const at = el.value.indexOf('Groet');
      el.focus();
      el.setSelectionRange(at, at);
    });
    const button = page.getByRole('button', { name: 'Statuslink invoegen' });
    expect(await button.getAttribute('title')).toContain('statuspagina');
    await button.click();
    await expect.poll(() => box.inputValue()).toMatch(/^Hoi Joost, de stand van zaken: http\S+\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+ Groet, Sanne$/);
    const url = /(http\S+\/s\/\S+)/.exec(await box.inputValue())![1]!;
    // The conversation's own link, made on this first use and the same from then on.
    expect((await env.app.call('POST', `/api/v1/conversations/${conversationId}/status-link`, { token })).body.url).toBe(url);

    await page.getByRole('button', { name: 'Versturen', exact: true }).click();
    await expect.poll(() => receiver.sent().map((m) => m.text), { timeout: 15_000 }).toContainEqual(expect.stringContaining(url));
    const res = await fetch(`${env.base}${new URL(url).pathname}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Wanneer hoor ik iets over mijn storing?');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works from the keyboard (English labels) and is not offered for an internal note', async () => {
    const conversationId = await newConversation('sl-2', 'Mia de Vries');
    expect((await env.app.call('PATCH', '/api/v1/me', { token, body: { locale: 'en' } })).status).toBe(204);
    const { context, page, errors } = await openContext(env, 'en-GB');
    await login(page, email);
    await page.goto(`/inbox/all/${conversationId}`);
    const box = page.getByPlaceholder('Reply to Mia de Vries…');
    await box.fill('Follow your case here:');
    const button = page.getByRole('button', { name: 'Insert status link' });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => box.inputValue()).toMatch(/^Follow your case here: http\S+\/s\/\S+ $/);

    await page.getByRole('button', { name: 'Note', exact: true }).click();
    await page.getByPlaceholder(/Internal note/).waitFor();
    expect(await page.getByRole('button', { name: 'Insert status link' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
