import http from 'node:http';
import https from 'node:https';
import { and, eq } from 'drizzle-orm';
import type { ContractApp } from '../../src/channels/contract';
import type { HttpClient, RawRequest } from '../../src/channels/channel';
import { inboundEvents, messages } from '../../src/store/schema';
import { createTestApp, setupWorkspace, type TestApp } from './app';

/** A plain HTTP client for adapters under test: the fakes listen on loopback. */
export const testHttp: HttpClient = {
  request(url, init) {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      const lib = u.protocol === 'https:' ? https : http;
      const req = lib.request(u, { method: init.method, headers: init.headers, timeout: init.timeoutMs ?? 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(init.body);
    });
  },
};

/** A started Balie (current test driver) for the contract's end-to-end cases. */
export async function startContractApp(env: Record<string, string> = {}): Promise<ContractApp & { test: TestApp; token: string }> {
  const app = await createTestApp({ env: { PUBLIC_URL: 'http://balie.test', ...env } });
  const owner = await setupWorkspace(app);
  const ws = owner.workspaceId;
  return {
    test: app,
    token: owner.apiToken,
    async createInbox(kind, settings) {
      const res = await app.call('POST', '/api/v1/inboxes', { token: owner.apiToken, body: { name: `${kind} ${Math.random().toString(36).slice(2, 7)}`, kind, settings } });
      if (res.status !== 201) throw new Error(`inbox failed: ${res.status} ${res.text}`);
      return { inboxId: res.body.id as string, webhookBase: app.config.publicUrl };
    },
    async postWebhook(kind, inboxId, req: RawRequest) {
      const path = new URL(req.url).pathname + new URL(req.url).search;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      const res = await app.balie.app.inject({ method: req.method as 'POST', url: path || `/webhooks/${kind}/${inboxId}`, headers, payload: req.rawBody });
      return res.statusCode;
    },
    async settledMessages(inboxId, expected) {
      await app.until(async () => {
        const pending = await app.balie.services.store.db
          .select({ id: inboundEvents.id })
          .from(inboundEvents)
          .where(and(eq(inboundEvents.workspaceId, ws), eq(inboundEvents.inboxId, inboxId), eq(inboundEvents.status, 'pending')));
        const rows = await app.balie.services.store.db.select({ id: messages.id }).from(messages).where(and(eq(messages.workspaceId, ws), eq(messages.inboxId, inboxId)));
        return pending.length === 0 && rows.length >= expected;
      });
      // Give a late duplicate a chance to show up before counting.
      await app.until(async () => true);
      return app.balie.services.store.db
        .select({ direction: messages.direction, externalId: messages.externalId, content: messages.content })
        .from(messages)
        .where(and(eq(messages.workspaceId, ws), eq(messages.inboxId, inboxId)));
    },
    async inboundEventCount(inboxId) {
      const rows = await app.balie.services.store.db
        .select({ id: inboundEvents.id })
        .from(inboundEvents)
        .where(and(eq(inboundEvents.workspaceId, ws), eq(inboundEvents.inboxId, inboxId)));
      return rows.length;
    },
    async callApi(method, url, body) {
      const res = await app.call(method, url, { token: owner.apiToken, body });
      return { status: res.status, body: res.body };
    },
    close: () => app.close(),
  };
}
