import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { attachments, inboundEvents, messages } from '../../../src/store/schema';
import { processInboundEvent } from '../../../src/app/receive-webhook';
import { startContractApp } from '../../support/channel-harness';
import { CUSTOMER_WA_ID, signedMeta, startWhatsAppFake, WA, waEnvelope } from '../../support/fakes/whatsapp';

/**
 * Inbound events that did not become messages are visible to admins, with the error, and can be processed
 * again: a WhatsApp image whose download kept failing (the media API was unreachable until the job's last
 * retry) arrives once the cause is fixed, exactly once; a signed payload Balie did not understand is listed
 * as quarantined with the parse error.
 */
let app: Awaited<ReturnType<typeof startContractApp>>;
let wa: Awaited<ReturnType<typeof startWhatsAppFake>>;
let inbox: string;

beforeAll(async () => {
  [app, wa] = await Promise.all([startContractApp(), startWhatsAppFake()]);
  inbox = (await app.createInbox('whatsapp', { ...wa.settings, ...wa.secrets })).inboxId;
}, 120_000);
afterAll(async () => {
  await Promise.all([app?.close(), wa?.stop()]);
});

const db = () => app.test.balie.services.store.db;
const until = <T,>(check: () => Promise<T | undefined | null | false>) => app.test.until(check, 60_000);
const post = (body: string) =>
  app.postWebhook('whatsapp', inbox, signedMeta(WA.appSecret, { method: 'POST', url: `${app.test.config.publicUrl}/webhooks/whatsapp/${inbox}`, contentType: 'application/json', body }));
type Listed = { items: { id: string; inboxId: string; inboxName: string | null; channel: string; status: string; error: string | null; attempts: number }[]; nextCursor: string | null };

describe('failed inbound events for admins', () => {
  let eventId = '';

  it('lists an event whose media download failed for good, with the error', async () => {
    // The media API is unreachable (a wrong apiBaseUrl, an outage): every attempt fails.
    expect((await app.callApi('PATCH', `/api/v1/inboxes/${inbox}`, { settings: { apiBaseUrl: 'http://127.0.0.1:9' } })).status).toBe(200);
    const image = { from: CUSTOMER_WA_ID, id: 'wamid.STUCK-1', timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image: { id: 'media-img-1', mime_type: 'image/jpeg', caption: 'Meterstand' } };
    expect(await post(JSON.stringify(waEnvelope({ contacts: [{ profile: { name: 'Bram' }, wa_id: CUSTOMER_WA_ID }], messages: [image] })))).toBe(200);
    const first = await until(async () => {
      const [e] = await db().select().from(inboundEvents).where(and(eq(inboundEvents.inboxId, inbox), eq(inboundEvents.providerEventId, 'wa:m:wamid.STUCK-1')));
      return e?.error ? e : undefined;
    });
    eventId = first.id;
    // The queue's last retry (the earlier ones back off for minutes): the event is marked failed and kept.
    await processInboundEvent(app.test.balie.services, { workspaceId: first.workspaceId, eventId }, { retryCount: 6, retryLimit: 6 });

    const res = await app.callApi('GET', '/api/v1/inbound-events/failed');
    expect(res.status).toBe(200);
    const listed = (res.body as Listed).items.find((i) => i.id === eventId);
    expect(listed).toMatchObject({ inboxId: inbox, channel: 'whatsapp', status: 'failed', attempts: 7 });
    expect(listed!.inboxName).toMatch(/^whatsapp /);
    expect(listed!.error).toMatch(/ECONNREFUSED|connect/i);
    expect((await db().select().from(messages).where(eq(messages.externalId, 'wamid.STUCK-1'))).length).toBe(0);
  });

  it('processes it again on "retry" once the cause is fixed: one message with its image', async () => {
    expect((await app.callApi('PATCH', `/api/v1/inboxes/${inbox}`, { settings: { apiBaseUrl: wa.url } })).status).toBe(200);
    const retried = await app.callApi('POST', `/api/v1/inbound-events/${eventId}/retry`);
    expect(retried).toEqual({ status: 202, body: { id: eventId, status: 'pending' } });
    const m = await until(async () => (await db().select().from(messages).where(and(eq(messages.inboxId, inbox), eq(messages.externalId, 'wamid.STUCK-1'))))[0]);
    expect(m.content).toBe('Meterstand');
    const files = await until(async () => {
      const rows = await db().select().from(attachments).where(eq(attachments.messageId, m.id));
      return rows.length ? rows : undefined;
    });
    expect(files).toHaveLength(1);
    await until(async () => (await db().select().from(inboundEvents).where(eq(inboundEvents.id, eventId)))[0]?.status === 'processed');
    expect(((await app.callApi('GET', '/api/v1/inbound-events/failed')).body as Listed).items.map((i) => i.id)).not.toContain(eventId);
    // A processed event is not retried again, and an unknown one does not exist.
    expect((await app.callApi('POST', `/api/v1/inbound-events/${eventId}/retry`)).status).toBe(409);
    expect((await app.callApi('POST', '/api/v1/inbound-events/00000000-0000-4000-8000-000000000000/retry')).status).toBe(404);
    expect((await db().select().from(messages).where(eq(messages.externalId, 'wamid.STUCK-1'))).length).toBe(1);
  });

  it('lists a signed payload Balie did not understand as quarantined, with the parse error', async () => {
    expect(await post(JSON.stringify({ object: 'whatsapp_business_account', entry: 'not-a-list' }))).toBe(200);
    const res = await app.callApi('GET', `/api/v1/inbound-events/failed?status=quarantined&inboxId=${inbox}`);
    const items = (res.body as Listed).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'quarantined', channel: 'whatsapp' });
    expect(items[0]!.error).toMatch(/^not understood: /);
  });

  it('pages with a cursor, newest first', async () => {
    for (const n of [1, 2]) await post(JSON.stringify({ object: 'whatsapp_business_account', entry: `broken-${n}` }));
    const first = (await app.callApi('GET', '/api/v1/inbound-events/failed?limit=2')).body as Listed;
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = (await app.callApi('GET', `/api/v1/inbound-events/failed?limit=2&cursor=${first.nextCursor}`)).body as Listed;
    expect(second.items.length).toBeGreaterThanOrEqual(1);
    expect(second.items.map((i) => i.id).filter((id) => first.items.some((f) => f.id === id))).toEqual([]);
  });
});
