import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';
import { hostileCorpus } from '../support/hostile-mails';

let app: TestApp;
let token: string;
let inboxId: string;
let port: number;

beforeAll(async () => {
  app = await createTestApp();
  app.balie.services.dnsResolver = fakeDns();
  token = (await setupWorkspace(app)).apiToken;
  inboxId = (await createEmailInbox(app, token, { address: 'support@acme.test', senderLimitPerHour: 10_000 })).id;
  port = await app.balie.listenSmtp(0, '127.0.0.1');
}, 240_000);
afterAll(async () => {
  await app.close();
});

describe('hostile and broken mail', () => {
  it('stores, quarantines or rejects every one of 230 mails with a reason, and keeps serving', { timeout: 600_000 }, async () => {
    const corpus = hostileCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const client = customerClient(port);
    const rejected: { name: string; reason: string }[] = [];
    let accepted = 0;
    const times: [string, number][] = [];
    for (const m of corpus) {
      const t0 = Date.now();
      try {
        await client.sendRaw(m.raw, { from: m.from, to: ['support@acme.test'] });
        accepted++;
      } catch (err) {
        const e = err as { responseCode?: number; message: string };
        // A refusal must be the listener's clear answer, not a dropped connection.
        expect(e.responseCode, `${m.name}: ${e.message}`).toBeGreaterThanOrEqual(500);
        rejected.push({ name: m.name, reason: e.message });
      }
      times.push([m.name, Date.now() - t0]);
    }
    // Nothing may hold the listener for long (the 25 MB mail included).
    const slowest = times.sort((a, b) => b[1] - a[1])[0]!;
    expect(slowest[1], slowest[0]).toBeLessThan(120_000);
    client.close();

    const rows = await app.balie.services.store.rows<{ status: string; reason: string | null; message_id: string | null; message_key: string }>(
      sql`select status, reason, message_id, message_key from email_raw_messages where inbox_id = ${inboxId}`,
    );
    expect(rows.length).toBe(accepted);
    expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
    for (const r of rows) if (r.status !== 'processed') expect(r.reason, r.message_key).toMatch(/^[a-z_]+: /);
    const counts = Object.fromEntries(['processed', 'quarantined', 'ignored'].map((s) => [s, rows.filter((r) => r.status === s).length]));
    expect(counts.processed).toBeGreaterThan(150);
    expect(counts.quarantined).toBeGreaterThan(0);

    // Nothing executable survived into stored HTML.
    const html = await app.balie.services.store.rows<{ html: string }>(
      sql`select content_attributes->'email'->>'html' as html from messages where inbox_id = ${inboxId} and content_attributes->'email' ? 'html'`,
    );
    expect(html.length).toBeGreaterThan(40);
    for (const h of html) expect(h.html).not.toMatch(/<script|<iframe|<svg|<object|<embed|<form|\son[a-z]+\s*=|javascript:/i);

    // File names are harmless and the big one is stored once.
    const files = await app.balie.services.store.rows<{ file_name: string; size: number }>(
      sql`select a.file_name, a.size from attachments a join messages m on m.workspace_id = a.workspace_id and m.id = a.message_id where m.inbox_id = ${inboxId}`,
    );
    for (const f of files) {
      // eslint-disable-next-line no-control-regex
      expect(f.file_name).not.toMatch(/[\u0000-\u001f\u200b-\u200f\u202a-\u202e\ufeff/\\]/);
      expect(f.file_name.length).toBeLessThanOrEqual(200);
    }
    expect(files.some((f) => Number(f.size) === 25_000_000)).toBe(true);

    // The listener still takes ordinary mail afterwards.
    const after = customerClient(port);
    await after.send({ from: 'normal@klant.test', to: 'support@acme.test', subject: 'Gewoon', text: 'Nog steeds open?', messageId: '<after-hostile@klant.test>' });
    after.close();
    const [ok] = await app.balie.services.store.rows<{ status: string }>(sql`select status from email_raw_messages where message_key = '<after-hostile@klant.test>'`);
    expect(ok!.status).toBe('processed');
  });

  it('shows quarantined mail to admins only, with the raw message as a download', async () => {
    const list = await app.call('GET', `/api/v1/inboxes/${inboxId}/email/quarantine`, { token });
    expect(list.status).toBe(200);
    const item = list.body.items.find((x: { status: string }) => x.status === 'quarantined');
    expect(item).toBeTruthy();
    const raw = await app.call('GET', `/api/v1/inboxes/${inboxId}/email/raw/${item.id}`, { token });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-disposition']).toMatch(/^attachment; filename="[0-9a-f-]+\.eml"$/);
    expect(raw.text).toContain('To: support@acme.test');
    const { addMember } = await import('../support/app');
    const agent = await addMember(app, (await app.call('GET', '/api/v1/workspace', { token })).body.id, 'agent');
    expect((await app.call('GET', `/api/v1/inboxes/${inboxId}/email/quarantine`, { token: agent.token })).status).toBe(403);
  });
});
