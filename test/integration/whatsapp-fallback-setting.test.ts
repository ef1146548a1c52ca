import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiInbox, createSecondWorkspace, createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { TW } from '../support/fakes/twilio';
import { WA } from '../support/fakes/whatsapp';

/**
 * The WhatsApp inbox's SMS fallback (`settings.fallbackInboxId`) is checked when it is saved: only an SMS inbox of
 * the same workspace that is in use is accepted; anything else is refused on that field with the reason, and the
 * inbox keeps what it had. `null` removes the fallback.
 */
let app: TestApp;
let token: string;
let sms: string;
let whatsapp: string;

const smsInbox = async (t: string, name: string) => {
  const res = await app.call('POST', '/api/v1/inboxes', { token: t, body: { name, kind: 'sms', settings: { accountSid: TW.accountSid, authToken: TW.authToken, phoneNumber: TW.number } } });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
};
const waSettings = { phoneNumberId: WA.phoneNumberId, accessToken: WA.token, appSecret: WA.appSecret, verifyToken: WA.verifyToken };
const patch = (settings: Record<string, unknown>) => app.call('PATCH', `/api/v1/inboxes/${whatsapp}`, { token, body: { settings } });
const stored = async () => (await app.call('GET', `/api/v1/inboxes/${whatsapp}`, { token })).body.settings.fallbackInboxId;
const refusal = (res: { status: number; body: { error: { code: string; message: string; fields?: { path: string; message: string }[] } } }) => ({
  status: res.status,
  code: res.body.error.code,
  field: res.body.error.fields?.[0]?.path,
  message: res.body.error.fields?.[0]?.message,
});

beforeAll(async () => {
  app = await createTestApp();
  token = (await setupWorkspace(app, 'Energiebedrijf')).apiToken;
  sms = await smsInbox(token, 'Sms-nummer');
  const res = await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'WhatsApp', kind: 'whatsapp', settings: { ...waSettings, fallbackInboxId: sms } } });
  expect(res.status, res.text).toBe(201);
  whatsapp = res.body.id;
});
afterAll(() => app.close());

describe('WhatsApp → SMS fallback inbox setting', () => {
  it('accepts an SMS inbox of the workspace when creating and when editing', async () => {
    expect(await stored()).toBe(sms);
    const second = await smsInbox(token, 'Tweede sms-nummer');
    expect((await patch({ fallbackInboxId: second })).status).toBe(200);
    expect(await stored()).toBe(second);
    expect((await patch({ fallbackInboxId: sms })).status).toBe(200);
  });

  it('refuses an inbox of another kind, with its name and kind, and keeps the stored fallback', async () => {
    const api = (await createApiInbox(app, token, {}, 'Webshop-API')).id;
    expect(refusal(await patch({ fallbackInboxId: api }))).toEqual({
      status: 422,
      code: 'invalid_fallback_inbox',
      field: 'settings.fallbackInboxId',
      message: '"Webshop-API" is not an SMS inbox (its channel is api); the fallback must be an SMS inbox',
    });
    expect(await stored()).toBe(sms);
    // Also when creating: no inbox is made.
    const res = await app.call('POST', '/api/v1/inboxes', { token, body: { name: 'WhatsApp 2', kind: 'whatsapp', settings: { ...waSettings, phoneNumberId: '106540352242999', fallbackInboxId: api } } });
    expect(refusal(res)).toMatchObject({ status: 422, code: 'invalid_fallback_inbox', field: 'settings.fallbackInboxId' });
    const names = (await app.call('GET', '/api/v1/inboxes', { token })).body.items.map((i: { name: string }) => i.name);
    expect(names).not.toContain('WhatsApp 2');
  });

  it('refuses the inbox itself, an unknown id, another workspace’s SMS inbox and an archived one', async () => {
    expect(refusal(await patch({ fallbackInboxId: whatsapp }))).toMatchObject({ code: 'invalid_fallback_inbox', field: 'settings.fallbackInboxId' });
    expect(refusal(await patch({ fallbackInboxId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ status: 422, code: 'unknown_fallback_inbox' });
    const other = await createSecondWorkspace(app, 'Ander');
    const foreign = await smsInbox(other.apiToken, 'Sms elders');
    expect(refusal(await patch({ fallbackInboxId: foreign }))).toMatchObject({ status: 422, code: 'unknown_fallback_inbox', message: 'is not an inbox of this workspace' });
    const old = await smsInbox(token, 'Oud sms-nummer');
    expect((await app.call('DELETE', `/api/v1/inboxes/${old}`, { token })).status).toBe(204);
    expect(refusal(await patch({ fallbackInboxId: old }))).toMatchObject({ status: 422, code: 'invalid_fallback_inbox', message: '"Oud sms-nummer" is archived; choose an SMS inbox in use' });
    expect(refusal(await patch({ fallbackInboxId: 'sms' }))).toMatchObject({ status: 422, code: 'invalid_settings', field: 'settings.fallbackInboxId' });
    expect(await stored()).toBe(sms);
  });

  it('removes the fallback with null; other settings can change without naming it', async () => {
    expect((await patch({ verifyToken: 'another-verify-token' })).status).toBe(200);
    expect(await stored()).toBe(sms);
    expect((await patch({ fallbackInboxId: null })).status).toBe(200);
    expect(await stored()).toBeUndefined();
  });
});
