import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiInbox, createSecondWorkspace, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';

let app: TestApp;
let token: string;
let inboxId: string;

beforeAll(async () => {
  app = await createTestApp({ workers: false });
  token = (await setupWorkspace(app)).apiToken;
  inboxId = (await createApiInbox(app, token)).id;
});
afterAll(() => app.close());

const fromInbound = async (contact: Record<string, unknown>) => {
  const r = await inbound(app, token, inboxId, { externalId: crypto.randomUUID(), contact, content: 'Hallo' });
  expect(r.status).toBe(201);
  return r.body.contactId as string;
};
const created = async (body: Record<string, unknown>, t = token) => {
  const r = await app.call('POST', '/api/v1/contacts', { token: t, body });
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const suggestions = async (id: string, t = token) => {
  const r = await app.call('GET', `/api/v1/contacts/${id}/merge-suggestions`, { token: t });
  expect(r.status).toBe(200);
  return r.body.items as { contact: { id: string }; reason: string; detail: string | null }[];
};

describe('merge suggestions', () => {
  it('suggests the same name with the same company e-mail domain, not with the same freemail domain', async () => {
    const a = await fromInbound({ email: 'jan@bakkerij-jansen.nl', name: 'Jan Jansen' });
    const b = await fromInbound({ email: 'j.jansen@bakkerij-jansen.nl', name: 'jan jansen' });
    const other = await fromInbound({ email: 'info@bakkerij-jansen.nl', name: 'Kees Bakker' });
    expect(await suggestions(a)).toEqual([expect.objectContaining({ reason: 'same_name_domain', detail: 'bakkerij-jansen.nl', contact: expect.objectContaining({ id: b }) })]);
    expect((await suggestions(b)).map((s) => s.contact.id)).toEqual([a]);
    expect(await suggestions(other)).toEqual([]);

    const g1 = await fromInbound({ email: 'marieke.devries@gmail.com', name: 'Marieke de Vries' });
    await fromInbound({ email: 'mdevries@gmail.com', name: 'Marieke de Vries' });
    await fromInbound({ email: 'marieke@ziggo.nl', name: 'Marieke de Vries' });
    expect(await suggestions(g1)).toEqual([]);
  });

  it('suggests the same name with the same phone number, strongest reason first', async () => {
    const mail = await fromInbound({ email: 'sanne@hotmail.com', name: 'Sanne Smit' });
    await app.call('PATCH', `/api/v1/contacts/${mail}`, { token, body: { attributes: { telefoon: '06 11 22 33 44' } } });
    const sms = await fromInbound({ phone: '+31611223344', name: 'Sanne Smit' });
    const sameChannelOnlyName = await fromInbound({ identifier: `crm-${crypto.randomUUID()}`, name: 'Sanne Smit' });
    const items = await suggestions(sms);
    expect(items.map((s) => [s.contact.id, s.reason])).toEqual([
      [mail, 'same_name_phone'],
      [sameChannelOnlyName, 'same_name'],
    ]);
    expect(items[0]!.detail).toBe('+31611223344');
  });

  it('forgets a dismissed pair in both directions, and a merged contact is no longer suggested', async () => {
    const a = await fromInbound({ email: 'p.peters@installatie-peters.nl', name: 'Piet Peters' });
    const b = await fromInbound({ email: 'piet@installatie-peters.nl', name: 'Piet Peters' });
    const c = await fromInbound({ email: 'pp@installatie-peters.nl', name: 'Piet Peters' });
    expect((await suggestions(a)).map((s) => s.contact.id).sort()).toEqual([b, c].sort());
    const dismissed = await app.call('POST', `/api/v1/contacts/${b}/merge-suggestions/dismiss`, { token, body: { otherContactId: a } });
    expect(dismissed.status).toBe(204);
    expect((await suggestions(a)).map((s) => s.contact.id)).toEqual([c]);
    expect((await suggestions(b)).map((s) => s.contact.id)).toEqual([c]);
    // Dismissing twice is fine.
    expect((await app.call('POST', `/api/v1/contacts/${a}/merge-suggestions/dismiss`, { token, body: { otherContactId: b } })).status).toBe(204);
    expect((await app.call('POST', `/api/v1/contacts/${a}/merge`, { token, body: { sourceId: c } })).status).toBe(200);
    expect(await suggestions(a)).toEqual([]);
    expect(await suggestions(c)).toEqual([]);
  });

  it('never crosses workspaces', async () => {
    const mine = await fromInbound({ email: 'eva@architecten-bos.nl', name: 'Eva Bos' });
    const other = await createSecondWorkspace(app);
    const theirs = await created({ name: 'Eva Bos', email: 'e.bos@architecten-bos.nl' }, other.apiToken);
    expect(await suggestions(mine)).toEqual([]);
    expect(await suggestions(theirs, other.apiToken)).toEqual([]);
    const cross = await app.call('POST', `/api/v1/contacts/${mine}/merge-suggestions/dismiss`, { token, body: { otherContactId: theirs } });
    expect(cross.status).toBe(404);
  });
});
