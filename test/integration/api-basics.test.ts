import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { BODY_LIMIT_BYTES: '200000' } });
});
afterAll(() => app.close());

describe('first run and the public contract', () => {
  it('reports health and readiness', async () => {
    expect((await app.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await app.call('GET', '/readyz')).status).toBe(200);
  });

  it('needs setup on an empty database, then sets up exactly once', async () => {
    expect((await app.call('GET', '/api/v1/setup')).body).toEqual({ needsSetup: true });
    const bad = await app.call('POST', '/api/v1/setup', { body: { workspaceName: 'X', name: 'Y', email: 'not-an-email', password: 'short' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['email', 'password']);

    const first = await app.call('POST', '/api/v1/setup', { body: { workspaceName: 'Acme', name: 'Ann', email: 'ann@example.com', password: 'correct-horse-battery' } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ workspaceId: expect.any(String), userId: expect.any(String), apiToken: expect.stringMatching(/^blt_/) });
    expect(first.headers['set-cookie']).toMatch(/balie_session=.*HttpOnly.*SameSite=Lax/i);

    const second = await app.call('POST', '/api/v1/setup', { body: { workspaceName: 'B', name: 'Bob', email: 'bob@example.com', password: 'correct-horse-battery' } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_set_up');
    expect((await app.call('GET', '/api/v1/setup')).body).toEqual({ needsSetup: false });

    const me = await app.call('GET', '/api/v1/me', { token: first.body.apiToken });
    expect(me.body).toMatchObject({ email: 'ann@example.com', role: 'owner', workspaceId: first.body.workspaceId });
  });

  it('stores API tokens hashed, never in clear', async () => {
    const { apiToken } = await setupWorkspaceIfNeeded();
    const rows = await app.balie.services.store.rows<{ token_hash: string }>((await import('drizzle-orm')).sql`select token_hash from api_tokens`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.token_hash).not.toContain(apiToken.slice(4));
  });

  it('publishes OpenAPI 3.1 and human docs', async () => {
    const doc = await app.call('GET', '/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/conversations', '/api/v1/inboxes/{inboxId}/inbound', '/api/v1/contacts/{contactId}/merge']));
    expect(doc.body.components.schemas.Conversation.properties.status).toBeDefined();
    const docs = await app.call('GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('/api/v1/conversations');
  });

  describe('bad input', () => {
    it('answers malformed JSON with 400 invalid_json', async () => {
      const { apiToken } = await setupWorkspaceIfNeeded();
      const res = await app.call('POST', '/api/v1/contacts', { token: apiToken, raw: '{"name": "x",', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
    });
    it('names the field in a 422', async () => {
      const { apiToken } = await setupWorkspaceIfNeeded();
      const res = await app.call('POST', '/api/v1/labels', { token: apiToken, body: { name: 'ok', color: 'red' } });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual([{ path: 'color', message: expect.any(String), code: 'invalid_format' }]);
    });
    it('answers 413 for bodies over the limit', async () => {
      const { apiToken } = await setupWorkspaceIfNeeded();
      const res = await app.call('POST', '/api/v1/contacts', { token: apiToken, body: { name: 'x'.repeat(300_000) } });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    });
    it('answers 405 with Allow for a known path and a wrong method', async () => {
      const res = await app.call('DELETE', '/api/v1/conversations');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toContain('GET');
      expect(res.body.error.code).toBe('method_not_allowed');
    });
    it('answers 404 in the error shape for unknown routes and ids', async () => {
      const { apiToken } = await setupWorkspaceIfNeeded();
      expect((await app.call('GET', '/api/v1/nope')).body.error.code).toBe('not_found');
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' or '1'='1"]) {
        const res = await app.call('GET', `/api/v1/conversations/${encodeURIComponent(id)}`, { token: apiToken });
        expect(res.status).toBe(404);
      }
    });
    it('requires authentication', async () => {
      const res = await app.call('GET', '/api/v1/conversations');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
      expect((await app.call('GET', '/api/v1/conversations', { token: 'blt_forged' })).body.error.code).toBe('invalid_token');
    });
    it('rejects a tampered cursor with 422, not 500', async () => {
      const { apiToken } = await setupWorkspaceIfNeeded();
      for (const cursor of ['garbage', Buffer.from('{"k":"nope","i":"x"}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
        const res = await app.call('GET', `/api/v1/conversations?cursor=${cursor}`, { token: apiToken });
        expect(res.status).toBe(422);
      }
    });
    it('never leaks a stack trace', async () => {
      const res = await app.call('POST', '/api/v1/inboxes', { token: (await setupWorkspaceIfNeeded()).apiToken, raw: '\u0000\u0001', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    });
  });

  it('exposes Prometheus metrics', async () => {
    const res = await app.call('GET', '/metrics');
    expect(res.text).toContain('balie_http_request_duration_seconds');
    expect(res.text).toContain('balie_job_queue_depth');
  });
});

let cached: Awaited<ReturnType<typeof setupWorkspace>> | null = null;
async function setupWorkspaceIfNeeded() {
  if (cached) return cached;
  const { createSecondWorkspace } = await import('../support/app');
  cached = await createSecondWorkspace(app, 'Basics');
  return cached;
}
