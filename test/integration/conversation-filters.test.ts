import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInbound } from '../../src/app/ingest-inbound';
import { addMember, createApiInbox, createTestApp, inbound, setupWorkspace, type TestApp } from '../support/app';

/**
 * The list filters the inbox offers: priority, channel (the inbox kind), assigned agent and team, alone and
 * combined with each other and with status, and paginated without losing or repeating a row.
 */
let app: TestApp;
let token: string;
let ids: Record<string, string>;
let agentId: string;
let teamId: string;

const list = async (query: string) => {
  const r = await app.call('GET', `/api/v1/conversations?status=all&${query}`, { token });
  expect(r.status, r.text).toBe(200);
  return (r.body.items as { id: string }[]).map((c) => c.id);
};
const call = async (method: string, url: string, body?: unknown) => {
  const r = await app.call(method, url, { token, body });
  expect(r.status, `${method} ${url}: ${r.text}`).toBeLessThan(300);
  return r.body;
};

beforeAll(async () => {
  app = await createTestApp();
  const owner = await setupWorkspace(app);
  token = owner.apiToken;
  agentId = (await addMember(app, owner.workspaceId, 'agent', 'Noor')).userId;
  teamId = (await call('POST', '/api/v1/teams', { name: 'Retouren', memberIds: [agentId] })).id;
  const api = (await createApiInbox(app, token)).id;
  await call('PATCH', `/api/v1/inboxes/${api}`, { memberIds: [agentId] });
  const mail = (await call('POST', '/api/v1/inboxes', { name: 'Mail', kind: 'email', settings: { address: 'support@example.com' } })).id;
  const viaApi = async () => (await inbound(app, token, api, { externalId: crypto.randomUUID(), contact: { email: `${crypto.randomUUID()}@example.com` }, content: 'Hallo' })).body.conversationId as string;
  // The e-mail channel's own path into Balie (what the SMTP listener calls after parsing).
  const viaMail = async () =>
    (await ingestInbound(app.balie.services, { workspaceId: owner.workspaceId, inboxId: mail, externalId: `<${crypto.randomUUID()}@example.com>`, contact: { identities: [{ kind: 'email', value: `${crypto.randomUUID()}@example.com`, verified: true }] }, content: 'Beste', subject: 'Vraag' })).conversationId;
  ids = { apiUrgent: await viaApi(), apiPlain: await viaApi(), mailHigh: await viaMail(), mailUrgentTeam: await viaMail() };
  await call('POST', `/api/v1/conversations/${ids.apiUrgent}/priority`, { priority: 'urgent' });
  await call('POST', `/api/v1/conversations/${ids.mailHigh}/priority`, { priority: 'high' });
  await call('POST', `/api/v1/conversations/${ids.mailUrgentTeam}/priority`, { priority: 'urgent' });
  await call('POST', `/api/v1/conversations/${ids.apiUrgent}/assign`, { assigneeId: agentId });
  await call('POST', `/api/v1/conversations/${ids.mailUrgentTeam}/assign`, { teamId });
  await call('POST', `/api/v1/conversations/${ids.mailHigh}/status`, { status: 'resolved' });
});
afterAll(() => app?.close());

describe('conversation list filters', () => {
  it('filters by priority', async () => {
    expect((await list('priority=urgent')).sort()).toEqual([ids.apiUrgent, ids.mailUrgentTeam].sort());
    expect(await list('priority=high')).toEqual([ids.mailHigh]);
    expect(await list('priority=none')).toEqual([ids.apiPlain]);
  });

  it('filters by channel, the kind of the inbox', async () => {
    expect((await list('channel=email')).sort()).toEqual([ids.mailHigh, ids.mailUrgentTeam].sort());
    expect((await list('channel=api')).sort()).toEqual([ids.apiUrgent, ids.apiPlain].sort());
    expect(await list('channel=whatsapp')).toEqual([]);
  });

  it('filters by agent and by team, and combines filters with each other and with the status', async () => {
    expect(await list(`assigneeId=${agentId}`)).toEqual([ids.apiUrgent]);
    expect(await list(`teamId=${teamId}`)).toEqual([ids.mailUrgentTeam]);
    expect(await list('priority=urgent&channel=email')).toEqual([ids.mailUrgentTeam]);
    expect(await list(`priority=urgent&assigneeId=none`)).toEqual([ids.mailUrgentTeam]);
    expect(await list(`priority=urgent&teamId=${teamId}&channel=api`)).toEqual([]);
    const open = await app.call('GET', '/api/v1/conversations?status=open&channel=email', { token });
    expect(open.body.items.map((c: { id: string }) => c.id)).toEqual([ids.mailUrgentTeam]);
  });

  it('pages through a filtered list without losing or repeating a row', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await app.call('GET', `/api/v1/conversations?status=all&channel=email&sort=priority&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      seen.push(...r.body.items.map((c: { id: string }) => c.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.mailUrgentTeam, ids.mailHigh]);
  });

  it('refuses an unknown priority or channel with a clear error', async () => {
    for (const q of ['priority=urgentest', 'channel=fax']) {
      const r = await app.call('GET', `/api/v1/conversations?${q}`, { token });
      expect(r.status, q).toBe(422);
      expect(r.body.error.code).toBeTruthy();
    }
  });

  it('counts only messages as activity for newest first, not assignments or priority changes', async () => {
    const r = await app.call('GET', '/api/v1/conversations?status=all&channel=api&sort=newest', { token });
    const before = r.body.items.map((c: { id: string; lastActivityAt: string }) => [c.id, c.lastActivityAt]);
    const older = before[before.length - 1][0];
    await call('POST', `/api/v1/conversations/${older}/priority`, { priority: 'low' });
    await call('POST', `/api/v1/conversations/${older}/assign`, { teamId });
    const after = (await app.call('GET', '/api/v1/conversations?status=all&channel=api&sort=newest', { token })).body.items.map((c: { id: string; lastActivityAt: string }) => [c.id, c.lastActivityAt]);
    expect(after).toEqual(before);
    await call('POST', `/api/v1/conversations/${older}/messages`, { kind: 'message', content: 'We kijken ernaar.' });
    const answered = (await app.call('GET', '/api/v1/conversations?status=all&channel=api&sort=newest', { token })).body.items.map((c: { id: string }) => c.id);
    expect(answered[0]).toBe(older);
  });
});
