import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';
import { createHttpSink } from '../support/http-sink';
import { isBlockedAddress } from '../../src/app/safe-http';

let app: TestApp;
let token: string;
let sink: Awaited<ReturnType<typeof createHttpSink>>;
let failures = 0;

beforeAll(async () => {
  sink = await createHttpSink(() => (failures-- > 0 ? { status: 500, body: 'boom' } : { status: 204 }));
  app = await createTestApp();
  token = (await setupWorkspace(app)).apiToken;
  await app.balie.queue.boss.updateQueue('deliver-webhook', { name: 'deliver-webhook', retryLimit: 3, retryDelay: 1, retryBackoff: true, expireInSeconds: 30 });
});
afterAll(async () => {
  await app.close();
  await sink.close();
});

describe('outgoing webhooks', () => {
  it('delivers subscribed events signed with the subscription secret', async () => {
    const hook = await app.call('POST', '/api/v1/webhooks', { token, body: { url: `${sink.url}/balie`, events: ['message.created', 'conversation.created'] } });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/.{20,}/);
    const inbox = await createApiInbox(app, token);
    const r = await inbound(app, token, inbox.id, { externalId: 'wh-1', contact: { email: 'wh@example.com' }, content: 'webhook test' });
    const got = await app.until(async () => {
      const types = sink.received.map((x) => x.headers['x-balie-event']);
      return types.includes('message.created') && types.includes('conversation.created') ? sink.received : null;
    });
    for (const req of got) {
      expect(req.headers['x-balie-signature']).toBe(`sha256=${crypto.createHmac('sha256', hook.body.secret).update(req.body).digest('hex')}`);
      expect(req.headers['x-balie-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const msg = JSON.parse(got.find((x) => x.headers['x-balie-event'] === 'message.created')!.body);
    expect(msg).toMatchObject({ type: 'message.created', data: { message: { content: 'webhook test', conversationId: r.body.conversationId } } });
    // Unsubscribed event types are not sent.
    expect(got.some((x) => x.headers['x-balie-event'] === 'contact.created')).toBe(false);
    await app.call('DELETE', `/api/v1/webhooks/${hook.body.id}`, { token });
  });

  it('retries failures with backoff and logs every attempt', async () => {
    sink.received.length = 0;
    const hook = await app.call('POST', '/api/v1/webhooks', { token, body: { url: `${sink.url}/retry`, events: ['contact.created'] } });
    failures = 1;
    await app.call('POST', '/api/v1/contacts', { token, body: { name: 'Retry Ria', email: 'ria@example.com' } });
    const log = await app.until(async () => {
      const d = await app.call('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, { token });
      return d.body.items[0]?.status === 'delivered' ? d.body.items : null;
    }, 20_000);
    expect(log[0]).toMatchObject({ eventType: 'contact.created', attempts: 2, responseStatus: 204 });
    expect(sink.received.filter((x) => x.url === '/retry')).toHaveLength(2);
    await app.call('DELETE', `/api/v1/webhooks/${hook.body.id}`, { token });
  });

  it('changes only what an update sends: pausing keeps the chosen events', async () => {
    const hook = await app.call('POST', '/api/v1/webhooks', { token, body: { url: `${sink.url}/paused`, events: ['conversation.created'] } });
    expect(hook.status).toBe(201);
    const paused = await app.call('PATCH', `/api/v1/webhooks/${hook.body.id}`, { token, body: { active: false } });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ active: false, events: ['conversation.created'] });
  });

  it('refuses unknown event types', async () => {
    const res = await app.call('POST', '/api/v1/webhooks', { token, body: { url: 'https://example.com/x', events: ['everything.happened'] } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unknown_event');
  });
});

describe('private address protection', () => {
  it('classifies loopback, private, link-local and mapped addresses as blocked', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '0.0.0.0', '100.64.0.1']) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) expect(isBlockedAddress(a), a).toBe(false);
  });

  it('does not deliver to a private address unless the operator allows it', async () => {
    const strict = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: '0' } });
    try {
      const t = (await setupWorkspace(strict)).apiToken;
      const hook = await strict.call('POST', '/api/v1/webhooks', { token: t, body: { url: `${sink.url}/private`, events: ['contact.created'] } });
      await strict.call('POST', '/api/v1/contacts', { token: t, body: { name: 'X', email: 'x@example.com' } });
      const d = await strict.until(async () => {
        const r = await strict.call('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, { token: t });
        return r.body.items[0]?.status === 'failed' ? r.body.items[0] : null;
      });
      expect(d.error).toMatch(/private or loopback/);
      expect(sink.received.some((x) => x.url === '/private')).toBe(false);
    } finally {
      await strict.close();
    }
  });
});
