import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';

let app: TestApp;
let smtp: Awaited<ReturnType<typeof createSmtpSink>>;
let owner: { workspaceId: string; userId: string; apiToken: string };
const password = 'correct-horse-battery';

beforeAll(async () => {
  smtp = await createSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'http://balie.test', TRUST_PROXY: '1' } });
  owner = await setupWorkspace(app, 'Acme', 'owner@acme.example');
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

const cookieOf = (setCookie: string | string[] | undefined) => [setCookie].flat().find((c) => c?.startsWith('balie_session='))!.split(';')[0]!;

async function loginAs(email: string, pw = password, ip = '10.0.0.1') {
  return app.call('POST', '/api/v1/auth/login', { body: { email, password: pw }, headers: { 'x-forwarded-for': ip } });
}

describe('sessions', () => {
  it('logs in with a cookie session and a CSRF token', async () => {
    const res = await loginAs('OWNER@acme.example');
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe('owner@acme.example');
    expect(res.body.workspaces).toHaveLength(1);
    expect(res.body.csrfToken).toMatch(/.{20,}/);
    const cookie = cookieOf(res.headers['set-cookie']);
    const session = await app.call('GET', '/api/v1/auth/session', { headers: { cookie } });
    expect(session.body.user.id).toBe(owner.userId);
    const [row] = await app.balie.services.store.rows<{ id: string }>(sql`select id from sessions limit 1`);
    expect(cookie).not.toContain(row!.id);
  });

  it('requires the CSRF token for changes made with the cookie', async () => {
    const res = await loginAs('owner@acme.example');
    const cookie = cookieOf(res.headers['set-cookie']);
    const without = await app.call('POST', '/api/v1/labels', { headers: { cookie }, body: { name: 'zonder-csrf' } });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('csrf_failed');
    const wrong = await app.call('POST', '/api/v1/labels', { headers: { cookie, 'x-csrf-token': 'x'.repeat(res.body.csrfToken.length) }, body: { name: 'fout' } });
    expect(wrong.status).toBe(403);
    const ok = await app.call('POST', '/api/v1/labels', { headers: { cookie, 'x-csrf-token': res.body.csrfToken }, body: { name: 'met-csrf' } });
    expect(ok.status).toBe(201);
    expect((await app.call('GET', '/api/v1/labels', { headers: { cookie } })).status).toBe(200);
  });

  it('logs out and the cookie stops working', async () => {
    const res = await loginAs('owner@acme.example');
    const cookie = cookieOf(res.headers['set-cookie']);
    expect((await app.call('POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': res.body.csrfToken } })).status).toBe(204);
    expect((await app.call('GET', '/api/v1/auth/session', { headers: { cookie } })).status).toBe(401);
  });

  it('does not say whether an address exists', async () => {
    const a = await loginAs('nobody@acme.example', 'whatever-pass', '10.9.9.9');
    const b = await loginAs('owner@acme.example', 'wrong-password', '10.9.9.8');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body).toEqual(b.body);
  });
});

describe('login rate limit', () => {
  it('locks an IP after 5 failures in 5 minutes, whatever the account', async () => {
    for (let i = 0; i < 5; i++) expect((await loginAs(`x${i}@acme.example`, 'wrong-password', '10.1.1.1')).status).toBe(401);
    const locked = await loginAs('owner@acme.example', password, '10.1.1.1');
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
    expect((await loginAs('owner@acme.example', password, '10.1.1.2')).status).toBe(200);
  });

  it('locks an account after 5 failures from anywhere', async () => {
    const agent = await addMember(app, owner.workspaceId, 'agent', 'Locked Larry');
    for (let i = 0; i < 5; i++) expect((await loginAs(agent.email, 'wrong-password', `10.2.0.${i}`)).status).toBe(401);
    const locked = await loginAs(agent.email, password, '10.2.0.99');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
  });

  it('records failed and successful logins in the audit log', async () => {
    const rows = await app.balie.services.store.rows<{ action: string }>(sql`select action from audit_log where action like 'login.%'`);
    expect(rows.some((r) => r.action === 'login.failed')).toBe(true);
    expect(rows.some((r) => r.action === 'login.succeeded')).toBe(true);
  });
});

describe('roles and tokens', () => {
  it('enforces roles per route', async () => {
    const agent = await addMember(app, owner.workspaceId, 'agent');
    const res = await app.call('POST', '/api/v1/inboxes', { token: agent.token, body: { name: 'Nope', kind: 'api' } });
    expect(res.status).toBe(403);
    expect((await app.call('GET', '/api/v1/webhooks', { token: agent.token })).status).toBe(403);
    expect((await app.call('GET', '/api/v1/labels', { token: agent.token })).status).toBe(200);
  });

  it('shows a new token once, stores it hashed, and revokes it', async () => {
    const created = await app.call('POST', '/api/v1/tokens', { token: owner.apiToken, body: { name: 'CI' } });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect((await app.call('GET', '/api/v1/me', { token })).status).toBe(200);
    const list = await app.call('GET', '/api/v1/tokens', { token: owner.apiToken });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect((await app.call('DELETE', `/api/v1/tokens/${created.body.id}`, { token: owner.apiToken })).status).toBe(204);
    expect((await app.call('GET', '/api/v1/me', { token })).status).toBe(401);
  });

  it('keeps a workspace from losing its last owner', async () => {
    const res = await app.call('PATCH', `/api/v1/users/${owner.userId}`, { token: owner.apiToken, body: { role: 'agent' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('last_owner');
  });
});

describe('invitations and password reset', () => {
  it('invites by e-mail; the invitee sets a password and is in', async () => {
    const inv = await app.call('POST', '/api/v1/invitations', { token: owner.apiToken, body: { email: 'nieuw@acme.example', name: 'Nieuw', role: 'agent' } });
    expect(inv.status).toBe(201);
    expect(inv.body.mailed).toBe(true);
    await app.until(async () => smtp.messages.find((m) => m.subject?.includes('Uitnodiging')));
    const mail = smtp.messages.find((m) => m.subject?.includes('Uitnodiging'))!;
    const token = /\/invite\/(\S+)/.exec(mail.text!)![1]!;
    expect(inv.body.url).toBe(`http://balie.test/invite/${token}`);
    const look = await app.call('GET', `/api/v1/invitations/by-token/${token}`);
    expect(look.body).toMatchObject({ email: 'nieuw@acme.example', workspaceName: 'Acme', hasAccount: false });
    const accepted = await app.call('POST', '/api/v1/invitations/accept', { body: { token, password: 'another-good-pass' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.workspaces[0].role).toBe('agent');
    expect((await app.call('POST', '/api/v1/invitations/accept', { body: { token, password: 'another-good-pass' } })).status).toBe(404);
    expect((await loginAs('nieuw@acme.example', 'another-good-pass', '10.5.5.5')).status).toBe(200);
  });

  it('resets a password by e-mail and ends old sessions', async () => {
    const before = await loginAs('nieuw@acme.example', 'another-good-pass', '10.6.6.6');
    const oldCookie = cookieOf(before.headers['set-cookie']);
    const req = await app.call('POST', '/api/v1/auth/password-reset', { body: { email: 'nieuw@acme.example' } });
    expect(req.status).toBe(202);
    expect((await app.call('POST', '/api/v1/auth/password-reset', { body: { email: 'unknown@acme.example' } })).status).toBe(202);
    await app.until(async () => smtp.messages.find((m) => m.subject?.includes('wachtwoord')));
    const mail = smtp.messages.find((m) => m.subject?.includes('wachtwoord'))!;
    const token = /\/reset-password\/(\S+)/.exec(mail.text!)![1]!;
    expect((await app.call('POST', '/api/v1/auth/password-reset/confirm', { body: { token, password: 'brand-new-password' } })).status).toBe(204);
    expect((await app.call('GET', '/api/v1/auth/session', { headers: { cookie: oldCookie } })).status).toBe(401);
    expect((await loginAs('nieuw@acme.example', 'brand-new-password', '10.6.6.7')).status).toBe(200);
    expect((await app.call('POST', '/api/v1/auth/password-reset/confirm', { body: { token, password: 'brand-new-password2' } })).status).toBe(404);
  });
});
