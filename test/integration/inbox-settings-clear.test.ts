import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { inboxes } from '../../src/store/schema';
import { readSecrets } from '../../src/app/inboxes';

/**
 * PATCH /api/v1/inboxes/{id} keeps what an update does not mention, clears an optional setting sent as null,
 * and leaves write-only secrets alone unless they are replaced or sent as null. The settings form relies on
 * exactly this (web/src/settings/inbox-forms/settings-patch.ts).
 */
let app: TestApp;
let token: string;
let workspaceId: string;

beforeAll(async () => {
  app = await createTestApp();
  const ws = await setupWorkspace(app);
  token = ws.apiToken;
  workspaceId = ws.workspaceId;
});
afterAll(() => app.close());

const patch = (id: string, settings: Record<string, unknown>) => app.call('PATCH', `/api/v1/inboxes/${id}`, { token, body: { settings } });
async function stored(id: string) {
  const [row] = await app.balie.services.store.db.select().from(inboxes).where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, id)));
  return { settings: row!.settings, secrets: readSecrets(app.balie.services, row!) };
}

async function emailInbox() {
  const res = await app.call('POST', '/api/v1/inboxes', {
    token,
    body: {
      name: `Mail ${Math.random().toString(36).slice(2, 7)}`,
      kind: 'email',
      settings: {
        address: `hallo-${Math.random().toString(36).slice(2, 7)}@acme.test`,
        fromName: 'Klantenservice',
        signature: 'Met vriendelijke groet,\nTeam Acme',
        smtpHost: '127.0.0.1',
        smtpPort: 2525,
        smtpUser: 'balie',
        smtpPassword: 'oud-geheim',
        imapHost: '127.0.0.1',
        imapPassword: 'imap-geheim',
      },
    },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; secretsSet: string[] };
}

describe('clearing inbox settings', () => {
  it('clears optional settings sent as null and keeps everything not mentioned', async () => {
    const inbox = await emailInbox();
    const res = await patch(inbox.id, { signature: null, smtpHost: null, smtpPort: null, fromName: null });
    expect(res.status).toBe(200);
    for (const key of ['signature', 'smtpHost', 'smtpPort', 'fromName']) expect(res.body.settings).not.toHaveProperty(key);
    expect(res.body.settings).toMatchObject({ smtpUser: 'balie', imapHost: '127.0.0.1' });
    const s = await stored(inbox.id);
    expect(s.settings).not.toHaveProperty('signature');
    expect(s.settings).not.toHaveProperty('smtpHost');
    // The secrets were not mentioned: both passwords are still there, unchanged.
    expect(s.secrets).toEqual({ smtpPassword: 'oud-geheim', imapPassword: 'imap-geheim' });
    expect(res.body.secretsSet).toEqual(['imapPassword', 'smtpPassword']);
  });

  it('replaces a secret when one is sent, clears it on null, and never returns it', async () => {
    const inbox = await emailInbox();
    const replaced = await patch(inbox.id, { smtpPassword: 'nieuw-geheim' });
    expect(replaced.status).toBe(200);
    expect(JSON.stringify(replaced.body)).not.toContain('geheim');
    expect((await stored(inbox.id)).secrets).toEqual({ smtpPassword: 'nieuw-geheim', imapPassword: 'imap-geheim' });
    const cleared = await patch(inbox.id, { imapPassword: null });
    expect(cleared.body.secretsSet).toEqual(['smtpPassword']);
    expect((await stored(inbox.id)).secrets).toEqual({ smtpPassword: 'nieuw-geheim' });
  });

  it('refuses null for a required setting, with the field named, and changes nothing', async () => {
    const inbox = await emailInbox();
    const before = await stored(inbox.id);
    const res = await patch(inbox.id, { address: null, signature: null });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_settings');
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('settings.address');
    expect(await stored(inbox.id)).toEqual(before);
  });

  it('refuses a wrong type instead of storing it', async () => {
    const inbox = await emailInbox();
    const res = await patch(inbox.id, { smtpPort: 'vijfentwintig', signature: 42 });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['settings.signature', 'settings.smtpPort']);
  });

  it('clears an API inbox webhook URL, keeping its signing secret', async () => {
    const created = await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'Formulier', kind: 'api', settings: { webhookUrl: 'https://example.com/hook' } } });
    expect(created.status).toBe(201);
    const res = await patch(created.body.id, { webhookUrl: null });
    expect(res.status).toBe(200);
    expect(res.body.settings).not.toHaveProperty('webhookUrl');
    expect(res.body.secretsSet).toEqual(['webhookSecret']);
  });
});
