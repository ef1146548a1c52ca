import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/http/server';
import type { ResourceKind } from '../../src/http/resources';
import { addMember, createApiInbox, createSecondWorkspace, inbound, setupWorkspace, type TestApp, createTestApp } from '../support/app';

/**
 * Tenancy is enforced in one place. This walks EVERY declared route that takes a resource id and calls it with
 * workspace A's owner token against workspace B's resources: each must answer 404 and change nothing.
 */
let app: TestApp;
let tokenA: string;
const idsB = {} as Record<ResourceKind, string>;
let snapshot: string;

async function stateOfB(): Promise<string> {
  const counts = await app.balie.services.store.rows(
    sql`select (select count(*) from conversations) c, (select count(*) from messages) m, (select count(*) from contacts) k,
        (select count(*) from inboxes where archived_at is null) i, (select count(*) from teams) t, (select count(*) from labels) l,
        (select count(*) from webhooks) w, (select count(*) from api_tokens where revoked_at is null) a, (select count(*) from memberships) ms,
        (select count(*) from invitations where revoked_at is null) inv, (select string_agg(status, ',') from incidents) inc, (select count(*) from case_links where revoked_at is null) cl,
        (select string_agg(title || status || coalesce(category_id::text,''), ',' order by id) from kb_articles) kba, (select string_agg(name, ',' order by id) from kb_categories) kbc, (select string_agg(status || coalesce(assignee_id::text,''), ',' order by id) from conversations) s`,
  );
  return JSON.stringify(counts);
}

beforeAll(async () => {
  app = await createTestApp();
  tokenA = (await setupWorkspace(app, 'A')).apiToken;
  const b = await createSecondWorkspace(app, 'B');
  const tokenB = b.apiToken;
  const inbox = await createApiInbox(app, tokenB);
  const r = await inbound(app, tokenB, inbox.id, {
    externalId: 'b-1',
    contact: { email: 'klant@b.example' },
    content: 'geheim van B',
    attachments: [{ fileName: 'a.txt', contentType: 'text/plain', data: Buffer.from('hi').toString('base64') }],
  });
  const msgs = await app.call('GET', `/api/v1/conversations/${r.body.conversationId}/messages`, { token: tokenB });
  const agent = await addMember(app, b.workspaceId, 'agent');
  const team = await app.call('POST', '/api/v1/teams', { token: tokenB, body: { name: 'T' } });
  const label = await app.call('POST', '/api/v1/labels', { token: tokenB, body: { name: 'L' } });
  const webhook = await app.call('POST', '/api/v1/webhooks', { token: tokenB, body: { url: 'https://example.com/hook' } });
  const tokens = await app.call('GET', '/api/v1/tokens', { token: tokenB });
  const invitation = await app.call('POST', '/api/v1/invitations', { token: tokenB, body: { email: 'new@b.example', role: 'agent' } });
  const incident = await app.call('POST', '/api/v1/incidents', { token: tokenB, body: { scenario: 'power_outage', variables: { area: 'B-stad', expected: 'morgen' }, notify: false } });
  const category = await app.call('POST', '/api/v1/kb/categories', { token: tokenB, body: { locale: 'nl', name: 'Geheime categorie van B' } });
  const article = await app.call('POST', '/api/v1/kb/articles', {
    token: tokenB,
    body: { locale: 'nl', title: 'Concept van B', body: 'geheim van B', status: 'draft', categoryId: category.body.id },
  });
  Object.assign(idsB, {
    inbox: inbox.id,
    conversation: r.body.conversationId,
    contact: r.body.contactId,
    message: msgs.body.items[0].id,
    attachment: msgs.body.items[0].attachments[0].id,
    team: team.body.id,
    label: label.body.id,
    webhook: webhook.body.id,
    token: tokens.body.items[0].id,
    member: agent.userId,
    invitation: invitation.body.id,
    incident: incident.body.incident.id,
    article: article.body.id,
    category: category.body.id,
  } satisfies Record<ResourceKind, string>);
  for (const [k, v] of Object.entries(idsB)) if (!v) throw new Error(`fixture ${k} missing`);
  snapshot = await stateOfB();
});
afterAll(() => app.close());

const withResources = apiRoutes.filter((r) => r.resources && Object.keys(r.resources).length > 0);

describe('tenancy: a token of workspace A never reaches workspace B', () => {
  it('covers every resource kind and a sizeable route table', () => {
    const kinds = new Set(withResources.flatMap((r) => Object.values(r.resources!)));
    expect([...kinds].sort()).toEqual(Object.keys(idsB).sort());
    expect(withResources.length).toBeGreaterThan(25);
  });

  it.each(withResources.map((r) => [`${r.method} ${r.url}`, r] as const))('%s → 404', async (_name, route) => {
    let url = route.url;
    for (const [param, kind] of Object.entries(route.resources!)) url = url.replace(`:${param}`, idsB[kind]);
    url = url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
    const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
    const res = await app.call(route.method, url, { token: tokenA, body });
    expect(res.status, res.text).toBe(404);
    expect(res.text).not.toContain('geheim van B');
  });

  it('left workspace B untouched', async () => {
    expect(await stateOfB()).toBe(snapshot);
  });

  it('keeps B out of A’s lists and search', async () => {
    const list = await app.call('GET', '/api/v1/conversations?status=all&q=geheim', { token: tokenA });
    expect(list.body.items).toEqual([]);
    const contacts = await app.call('GET', '/api/v1/contacts?q=klant', { token: tokenA });
    expect(contacts.body.items).toEqual([]);
    const articles = await app.call('GET', '/api/v1/kb/articles', { token: tokenA });
    expect(articles.status).toBe(200);
    expect(articles.body.items).toEqual([]);
    const categories = await app.call('GET', '/api/v1/kb/categories', { token: tokenA });
    expect(categories.body.items).toEqual([]);
  });

  it('refuses another workspace’s article or category named in a body, and changes nothing', async () => {
    const translation = await app.call('POST', '/api/v1/kb/articles', { token: tokenA, body: { locale: 'en', title: 'Stolen', translationOf: idsB.article } });
    expect(translation.status).toBe(422);
    expect(translation.body.error.code).toBe('unknown_article');
    const categorised = await app.call('POST', '/api/v1/kb/articles', { token: tokenA, body: { locale: 'nl', title: 'In B', categoryId: idsB.category } });
    expect(categorised.status).toBe(422);
    expect(categorised.body.error.code).toBe('unknown_category');
    expect((await app.call('GET', '/api/v1/kb/articles', { token: tokenA })).body.items).toEqual([]);
  });

  it('refuses a token used with another workspace header', async () => {
    const res = await app.call('GET', '/api/v1/conversations', { token: tokenA, headers: { 'x-workspace-id': idsB.inbox } });
    expect(res.status).toBe(403);
  });
});
