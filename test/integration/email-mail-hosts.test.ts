import net from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';
import { inboxes } from '../../src/store/schema';

/**
 * Admin-entered SMTP/IMAP servers must not reach into the server's own network (SSRF) unless the operator sets
 * BALIE_ALLOW_PRIVATE_MAIL_HOSTS: refused when saved, and checked again on every connection.
 */
let app: TestApp;
let token: string;
let workspaceId: string;
let trap: net.Server;
let trapPort: number;
let connections = 0;

beforeAll(async () => {
  // Something listening on loopback that must never be reached.
  trap = net.createServer((s) => {
    connections++;
    s.end('220 internal service\r\n');
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
  trapPort = (trap.address() as net.AddressInfo).port;
  app = await createTestApp({ env: { BALIE_ALLOW_PRIVATE_MAIL_HOSTS: '0' } });
  app.balie.services.dnsResolver = fakeDns();
  const ws = await setupWorkspace(app);
  token = ws.apiToken;
  workspaceId = ws.workspaceId;
});
afterAll(async () => {
  await app.close();
  await new Promise((r) => trap.close(r));
});

const create = (settings: Record<string, unknown>) =>
  app.call('POST', '/api/v1/inboxes', { token, body: { name: `Mail ${Math.random().toString(36).slice(2, 7)}`, kind: 'email', settings: { address: `s${Math.random().toString(36).slice(2, 7)}@acme.test`, ...settings } } });

/** What a host that resolved to a public address when saved, and to a private one later (DNS rebinding), leaves behind. */
async function pointAtTrap(inboxId: string, extra: Record<string, unknown>) {
  const [row] = await app.balie.services.store.db.select().from(inboxes).where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId)));
  await app.balie.services.store.db
    .update(inboxes)
    .set({ settings: { ...row!.settings, ...extra } })
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId)));
}

describe('private SMTP and IMAP hosts', () => {
  it.each([
    ['smtpHost', '127.0.0.1', 'SMTP'],
    ['smtpHost', 'localhost', 'SMTP'],
    ['imapHost', '169.254.169.254', 'IMAP'],
    ['imapHost', '10.1.2.3', 'IMAP'],
    ['smtpHost', '192.168.1.10', 'SMTP'],
    ['imapHost', '[::1]', 'IMAP'],
    ['smtpHost', '0.0.0.0', 'SMTP'],
  ])('refuses %s %s when the inbox is saved', async (field, host, role) => {
    const res = await create({ [field]: host, ...(field === 'imapHost' ? { imapUser: 'u' } : {}) });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('mail_host_blocked');
    expect(res.body.error.fields).toEqual([{ path: `settings.${field}`, message: expect.stringContaining(`The ${role} server ${host}`) }]);
    expect(res.body.error.message).toContain('BALIE_ALLOW_PRIVATE_MAIL_HOSTS=1');
  });

  it('says when a host does not exist, and accepts a public address', async () => {
    const missing = await create({ smtpHost: 'no-such-host.invalid' });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'mail_host_not_found', fields: [{ path: 'settings.smtpHost', message: 'The SMTP server no-such-host.invalid could not be found (DNS).' }] });
    const ok = await create({ smtpHost: '93.184.215.14', smtpPort: 587 });
    expect(ok.status).toBe(201);
    const changed = await app.call('PATCH', `/api/v1/inboxes/${ok.body.id}`, { token, body: { settings: { imapHost: '127.0.0.2', imapUser: 'u' } } });
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('mail_host_blocked');
  });

  it('checks again on every connection: test mail, check IMAP, IMAP poll and a reply never reach the private address', async () => {
    const inbox = await createEmailInbox(app, token, { address: 'support@acme.test' });
    await pointAtTrap(inbox.id, { smtpHost: '127.0.0.1', smtpPort: trapPort, smtpSecure: false, imapHost: '127.0.0.1', imapPort: trapPort, imapSecure: false, imapUser: 'u', imapIdle: false });

    const testMail = await app.call('POST', `/api/v1/inboxes/${inbox.id}/email/test-mail`, { token, body: { to: 'someone@example.com' } });
    expect(testMail.body).toMatchObject({ ok: false, code: 'smtp_host_blocked', message: expect.stringContaining('The SMTP server 127.0.0.1 is a loopback, private or link-local address') });
    const imap = await app.call('POST', `/api/v1/inboxes/${inbox.id}/email/check-imap`, { token });
    expect(imap.body).toMatchObject({ ok: false, code: 'imap_host_blocked', message: expect.stringContaining('The IMAP server 127.0.0.1') });
    const poll = await app.call('POST', `/api/v1/inboxes/${inbox.id}/email/poll`, { token });
    expect(poll.status).toBeLessThan(500);

    // A customer writes in; the agent's reply must fail visibly instead of going to the internal service.
    const client = customerClient(await app.balie.listenSmtp(0, '127.0.0.1'));
    await client.send({ from: 'jan@klant.test', to: 'support@acme.test', subject: 'Vraag', text: 'Hallo', messageId: '<ssrf-1@klant.test>' });
    client.close();
    const conversationId = await app.until(async () => (await app.call('GET', '/api/v1/conversations?status=open', { token })).body.items[0]?.id as string | undefined);
    const reply = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: 'Antwoord' } });
    expect(reply.status).toBe(201);
    const failed = await app.until(async () => {
      const items = (await app.call('GET', `/api/v1/conversations/${conversationId}/messages`, { token })).body.items as { id: string; status: string; statusReason: string | null }[];
      return items.find((m) => m.id === reply.body.id && m.status === 'failed');
    }, 20_000);
    expect(failed.statusReason).toMatch(/^smtp_host_blocked/);
    expect(connections).toBe(0);
  });
});
