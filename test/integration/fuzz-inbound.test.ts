import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiInbox, createTestApp, setupWorkspace, type TestApp } from '../support/app';

/**
 * Thousands of random and hostile payloads against the API channel's inbound endpoint: no server error, and
 * afterwards the database is consistent — every accepted message exists exactly once, nothing rejected left rows.
 */
let app: TestApp;
let token: string;
let inboxId: string;
beforeAll(async () => {
  app = await createTestApp({ env: { BODY_LIMIT_BYTES: '2000000' } });
  token = (await setupWorkspace(app)).apiToken;
  inboxId = (await createApiInbox(app, token)).id;
});
afterAll(() => app.close());

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const nasty = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '😀'.repeat(50), '\u202eevil', 'ｆｕｌｌｗｉｄｔｈ', 'Ω≈ç√∫˜µ≤', '<script>alert(1)</script>',
  "'; drop table messages; --", '${jndi:ldap://x}', '../../../etc/passwd', '%00', '\\u0000', 'null', 'true', '[]', '{}', 'a'.repeat(300),
  'x'.repeat(70_000), '\n\r\t', 'שלום עולם', 'مرحبا', '🇳🇱🇳🇱🇳🇱', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', '\u200b\u200c\u200d', 'Ä'.normalize('NFD'),
];

function value(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * 10);
  if (depth > 3 && k > 5) return null;
  switch (k) {
    case 0: return nasty[Math.floor(r() * nasty.length)];
    case 1: return Math.floor(r() * 2 ** 53) * (r() > 0.5 ? -1 : 1);
    case 2: return r() > 0.5;
    case 3: return null;
    case 4: return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
    case 5: return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [String(nasty[Math.floor(r() * nasty.length)]).slice(0, 20), value(r, depth + 1)]));
    case 6: return 1e308 * 10;
    default: return String.fromCharCode(...Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 0xffff)));
  }
}

function deep(n: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = { nested: v };
  return v;
}

function payload(r: () => number, i: number): { body?: unknown; raw?: string } {
  const kind = Math.floor(r() * 12);
  const contact = [{ email: `f${i}@example.com` }, { phone: '+31 6 5555 0' + String(i % 1000).padStart(3, '0') }, { identifier: `id-${i}` }, value(r), {}, { email: value(r) }][Math.floor(r() * 6)];
  const base = { externalId: r() > 0.1 ? `fz-${i}` : value(r), contact, content: r() > 0.2 ? String(value(r) ?? '') : value(r) };
  switch (kind) {
    case 0: return { raw: '{"externalId": "x", "contact": ' };
    case 1: return { raw: String.fromCharCode(...Array.from({ length: 50 }, () => Math.floor(r() * 256))) };
    case 2: return { body: deep(200 + Math.floor(r() * 2000)) };
    case 3: return { body: [base] };
    case 4: return { body: { ...base, attachments: [{ fileName: value(r), contentType: value(r), data: value(r) }] } };
    case 5: return { raw: JSON.stringify(base).replace('"externalId"', '"__proto__":{"polluted":1},"externalId"') };
    case 6: return { body: { ...base, content: 'z'.repeat(Math.floor(r() * 1_200_000)) } };
    default: return { body: base };
  }
}

describe('fuzzing the inbound endpoint', () => {
  it('never answers 5xx and leaves the database consistent', async () => {
    const r = rng(20261124);
    const accepted = new Set<string>();
    const statuses = new Map<number, number>();
    const N = 2500;
    for (let i = 0; i < N; i++) {
      const p = payload(r, i);
      const res = await app.call('POST', `/api/v1/inboxes/${inboxId}/inbound`, { token, ...p, ...(p.raw !== undefined ? { headers: { 'content-type': 'application/json' } } : {}) });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) throw new Error(`server error for payload #${i}: ${res.text.slice(0, 300)}`);
      expect(res.body?.error ? typeof res.body.error.code : 'string').toBe('string');
      if (res.status === 201) accepted.add(res.body.messageId);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const db = app.balie.services.store;
    // Inbound only: on a slow machine the run outlasts the promise acknowledgement's two minutes, and those
    // automatic replies are messages too.
    const [m] = await db.rows<{ n: number }>(sql`select count(*)::int as n from messages where kind = 'message' and direction = 'inbound'`);
    expect(m!.n).toBe(accepted.size);
    const [badCounts] = await db.rows<{ n: number }>(
      sql`select count(*)::int as n from conversations c where c.message_count <> (select count(*) from messages m where m.conversation_id = c.id and m.kind = 'message')`,
    );
    expect(badCounts!.n).toBe(0);
    const [orphans] = await db.rows<{ n: number }>(sql`select count(*)::int as n from contacts c where not exists (select 1 from contact_identities i where i.contact_id = c.id)`);
    expect(orphans!.n).toBe(0);
    const [empty] = await db.rows<{ n: number }>(sql`select count(*)::int as n from conversations c where c.message_count = 0`);
    expect(empty!.n).toBe(0);
    // Sanity: the fuzzer exercised both paths.
    expect(accepted.size).toBeGreaterThan(100);
    expect((statuses.get(422) ?? 0) + (statuses.get(400) ?? 0)).toBeGreaterThan(500);
  }, 240_000);
});
