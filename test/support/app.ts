import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { LightMyRequestResponse } from 'fastify';
import { createBalie, type Balie } from '../../src/balie';
import { loadConfig, type Config } from '../../src/config';
import type { Runtime } from '../../src/shared/runtime';
import { createTestStore } from './db';
import type { Store } from '../../src/store/db';

export interface TestApp {
  balie: Balie;
  config: Config;
  dataDir: string;
  /** JSON API call through fastify.inject (no socket). */
  call(method: string, url: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string; remoteAddress?: string }): Promise<Res>;
  /** Listens on a random port (for WebSocket and real HTTP clients) and returns the base URL. */
  listen(): Promise<string>;
  /** Dispatches the outbox and waits until the given condition holds (jobs run in the background). */
  until<T>(check: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export interface Res {
  status: number;
  body: any;
  headers: LightMyRequestResponse['headers'];
  text: string;
}

export async function createTestApp(opts: { env?: Record<string, string>; runtime?: Runtime; workers?: boolean; store?: Store } = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-test-'));
  const store = opts.store ?? (await createTestStore());
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', WEBHOOK_ALLOW_PRIVATE: '1', BALIE_ALLOW_PRIVATE_MAIL_HOSTS: '1', ...opts.env });
  const balie = await createBalie({
    config,
    store,
    runtime: opts.runtime,
    log: pino({ level: process.env.BALIE_TEST_LOG ?? 'silent' }),
    workers: opts.workers ?? true,
  });
  await balie.start();
  let baseUrl: string | null = null;

  const app: TestApp = {
    balie,
    config,
    dataDir,
    async call(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let payload: string | undefined = o.raw;
      if (o.body !== undefined) {
        payload = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await balie.app.inject({ method: method as 'GET', url, headers, payload, ...(o.remoteAddress ? { remoteAddress: o.remoteAddress } : {}) });
      let body: unknown = undefined;
      try {
        body = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        body = res.body;
      }
      return { status: res.statusCode, body, headers: res.headers, text: res.body };
    },
    async listen() {
      if (!baseUrl) {
        await balie.app.listen({ port: 0, host: '127.0.0.1' });
        const addr = balie.app.server.address() as { port: number };
        baseUrl = `http://127.0.0.1:${addr.port}`;
      }
      return baseUrl;
    },
    async until(check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await balie.dispatcher.drain();
        for (const q of ['send-outbound', 'deliver-webhook', 'auto-assign', 'process-inbound-event']) balie.queue.nudge(q);
        const v = await check();
        if (v) return v;
        if (Date.now() > deadline) throw new Error('condition not reached in time');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await balie.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return app;
}

/** Runs first-run setup and returns the owner's token and ids. */
export async function setupWorkspace(app: TestApp, name = 'Acme', email = `owner-${Math.random().toString(36).slice(2)}@example.com`) {
  const res = await app.call('POST', '/api/v1/setup', { body: { workspaceName: name, name: 'Owner', email, password: 'correct-horse-battery' } });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.text}`);
  return res.body as { workspaceId: string; userId: string; apiToken: string };
}

/** A second workspace with its own owner (setup only works once per install). */
export async function createSecondWorkspace(app: TestApp, name = 'Other') {
  const { createWorkspace, createUser, createApiToken } = await import('../../src/app/auth');
  const { memberships } = await import('../../src/store/schema');
  const s = app.balie.services;
  return s.store.transaction(async (tx) => {
    const ws = await createWorkspace(tx, s, { name });
    const user = await createUser(tx, s, { email: `owner-${Math.random().toString(36).slice(2)}@example.org`, name: `${name} owner`, password: 'correct-horse-battery' });
    await tx.insert(memberships).values({ workspaceId: ws.id, userId: user.id, role: 'owner' });
    const { token } = await createApiToken(tx, s, { workspaceId: ws.id, userId: user.id, name: 'test' });
    return { workspaceId: ws.id, userId: user.id, apiToken: token };
  });
}

/** Adds a member with a role and returns an API token for them. */
export async function addMember(app: TestApp, workspaceId: string, role: 'admin' | 'agent', name = 'Agent') {
  const { createUser, createApiToken } = await import('../../src/app/auth');
  const { memberships } = await import('../../src/store/schema');
  const s = app.balie.services;
  return s.store.transaction(async (tx) => {
    const user = await createUser(tx, s, { email: `${role}-${Math.random().toString(36).slice(2)}@example.com`, name, password: 'correct-horse-battery' });
    await tx.insert(memberships).values({ workspaceId, userId: user.id, role });
    const { token } = await createApiToken(tx, s, { workspaceId, userId: user.id, name: 'test' });
    return { userId: user.id, token, email: user.email };
  });
}

export async function createApiInbox(app: TestApp, token: string, settings: Record<string, unknown> = {}, name = `API ${Math.random().toString(36).slice(2, 7)}`) {
  const res = await app.call('POST', '/api/v1/inboxes', { token, body: { name, kind: 'api', settings } });
  if (res.status !== 201) throw new Error(`inbox failed: ${res.status} ${res.text}`);
  return res.body as { id: string; generatedSecrets: { webhookSecret: string } };
}

export async function inbound(app: TestApp, token: string, inboxId: string, body: Record<string, unknown>) {
  return app.call('POST', `/api/v1/inboxes/${inboxId}/inbound`, { token, body });
}
