import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason } from '../support/browser';
import { login, openContext, startAgentApp, type AgentAppEnv } from '../support/agent-app';
import { setupWorkspace } from '../support/app';
import { demoKb } from '../support/demo-kb';

/**
 * The answer bot never passes for a person: a conversation with bot messages shows the bot's name and a "Bot" tag
 * on each of them, in the conversation and in the customer's cross-channel timeline beside it — and a person's
 * reply in the same conversation has neither.
 */
const skip = browserUnavailableReason();
const SITE = 'https://www.fietsfabriek.example';

describe.skipIf(!!skip)('bot messages in the agent app', () => {
  let env: AgentAppEnv;
  let token: string;
  let conversationId: string;
  const email = `owner-${Date.now()}@fietsfabriek.nl`;

  beforeAll(async () => {
    env = await startAgentApp();
    token = (await setupWorkspace(env.app, 'Fietsfabriek', email)).apiToken;
    const own = new URL(env.app.config.publicUrl).origin;
    const inbox = await env.app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Webshop-chat', kind: 'widget', settings: { allowedOrigins: [SITE], bot: { enabled: true } } } });
    expect(inbox.status, inbox.text).toBe(201);
    for (const a of demoKb) expect((await env.app.call('POST', '/api/v1/kb/articles', { token, body: { locale: a.locale, title: a.title, body: a.body, status: 'published' } })).status).toBe(201);
    // A visitor asks what the knowledge base answers: the bot replies in the conversation.
    const session = await env.app.call('POST', `/api/widget/v1/inboxes/${inbox.body.id}/session`, { body: { hostOrigin: SITE, locale: 'nl', name: 'Sanne de Vries' }, headers: { origin: own } });
    expect(session.status, session.text).toBe(200);
    const sent = await env.app.call('POST', '/api/widget/v1/messages', {
      body: { clientId: 'bot-tag-question-1', content: 'Hoe kan ik mijn bestelling retourneren?', locale: 'nl' },
      headers: { origin: own, 'x-widget-token': session.body.token },
    });
    expect(sent.status, sent.text).toBe(201);
    conversationId = sent.body.conversationId;
    await env.app.until(async () => {
      const m = await env.app.call('GET', `/api/v1/conversations/${conversationId}/messages`, { token });
      return m.body.items.some((x: { senderType: string }) => x.senderType === 'bot');
    });
    expect((await env.app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { kind: 'message', content: 'Ik kijk even mee, Sanne.' } })).status).toBe(201);
  }, 120_000);
  afterAll(() => env?.close());

  it('shows the bot name and a Bot tag in the conversation and in the customer timeline', async () => {
    const { context, page, errors } = await openContext(env, 'nl-NL');
    try {
      await login(page, email);
      await page.goto(`/inbox/all/${conversationId}`);
      await page.locator('.msg-in', { hasText: 'Hoe kan ik mijn bestelling retourneren?' }).waitFor();

      const bot = page.locator('.messages .msg-bot').first();
      await bot.waitFor();
      expect(await bot.locator('.msg-sender').textContent()).toBe('Chatbot');
      expect(await bot.locator('.bot-tag').textContent()).toBe('Bot');
      expect(await bot.locator('.bot-tag').getAttribute('title')).toMatch(/chatbot/i);
      // The agent's reply is a person's: no tag.
      const human = page.locator('.msg-out', { hasText: 'Ik kijk even mee, Sanne.' });
      await human.waitFor();
      expect(await human.locator('.bot-tag').count()).toBe(0);

      const timelineBot = page.locator('.timeline-list .tl-bot').first();
      await timelineBot.waitFor({ timeout: 10_000 });
      expect(await timelineBot.locator('.tl-who').textContent()).toBe('Chatbot Bot');
      expect(await timelineBot.locator('.bot-tag').textContent()).toBe('Bot');
      const timelineHuman = page.locator('.timeline-list .tl-msg', { hasText: 'Ik kijk even mee, Sanne.' });
      await timelineHuman.waitFor();
      expect(await timelineHuman.locator('.bot-tag').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
