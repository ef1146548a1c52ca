import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { dkimSign } from 'mailauth';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createEmailInbox, fakeDns } from '../support/email';
import { startDovecot, type Dovecot } from '../support/dovecot';

/**
 * SPF, DKIM and DMARC for mail fetched over IMAP (real Dovecot): DKIM verifies from the message, SPF/DMARC use
 * the client the provider's own MX recorded in the topmost Received header, and only the provider's own
 * Authentication-Results count. A From with an agent's address never becomes an agent message.
 */
let app: TestApp;
let token: string;
let dovecot: Dovecot;
let inboxId: string;
let seq = 0;

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

const PROVIDER = 'mx.acme-provider.test';
/** What the provider's MX prepends: the delivery's Return-Path and its Received header. */
const received = (ip: string, helo = 'mail.klant.test') =>
  `Return-Path: <jan@klant.test>\r\nReceived: from ${helo} (${helo} [${ip}])\r\n\tby ${PROVIDER} with ESMTPS id 4QxYz for <support@acme.test>;\r\n\t${new Date().toUTCString()}\r\n`;

function message(opts: { from?: string; subject: string; body?: string; extraHeaders?: string }) {
  const id = `<imap-auth-${++seq}@klant.test>`;
  const raw =
    `From: ${opts.from ?? 'Jan <jan@klant.test>'}\r\nTo: support@acme.test\r\nSubject: ${opts.subject}\r\nMessage-ID: ${id}\r\nDate: ${new Date().toUTCString()}\r\n` +
    `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n${opts.extraHeaders ?? ''}\r\n${opts.body ?? 'Mijn bestelling is niet aangekomen.'}\r\n`;
  return { id, raw };
}

async function signed(raw: string, domain = 'klant.test') {
  const key = { signingDomain: domain, selector: 'sel1', privateKey: privatePem };
  const res = await dkimSign(raw, { ...key, canonicalization: 'relaxed/relaxed', signatureData: [key] });
  expect(res.errors).toEqual([]);
  expect(res.signatures).toMatch(/^DKIM-Signature: /);
  return res.signatures + raw;
}

async function deliver(raw: string) {
  const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
  await c.connect();
  try {
    await c.append('INBOX', raw);
  } finally {
    await c.logout();
  }
}

/** Delivers to Dovecot, lets Balie poll, and returns the stored message. */
async function fetched(id: string, raw: string) {
  await deliver(raw);
  const poll = await app.call('POST', `/api/v1/inboxes/${inboxId}/email/poll`, { token });
  expect(poll.status).toBe(200);
  // The scheduled poll may have picked the mail up first: wait for whichever poll commits it.
  const row = await app.until(async () => (await app.balie.services.store.rows<{ conversation_id: string; id: string }>(sql`select conversation_id, id from messages where external_id = ${id}`))[0]);
  const list = (await app.call('GET', `/api/v1/conversations/${row.conversation_id}/messages`, { token })).body.items as any[];
  return list.find((m) => m.id === row.id);
}

beforeAll(async () => {
  dovecot = await startDovecot();
  app = await createTestApp();
  app.balie.services.dnsResolver = fakeDns({
    'TXT:klant.test': [['v=spf1 ip4:192.0.2.10 -all']],
    'TXT:_dmarc.klant.test': [['v=DMARC1; p=reject']],
    'TXT:sel1._domainkey.klant.test': [[`v=DKIM1; k=rsa; p=${publicB64}`]],
  });
  token = (await setupWorkspace(app, 'Acme', 'owner@acme.test')).apiToken;
  inboxId = (
    await createEmailInbox(app, token, {
      address: 'support@acme.test',
      imapHost: '127.0.0.1',
      imapPort: dovecot.port,
      imapSecure: false,
      imapUser: dovecot.user,
      imapPassword: dovecot.password,
      imapIdle: false,
      imapAuthServId: PROVIDER,
    })
  ).id;
}, 240_000);
afterAll(async () => {
  await app?.close();
  await dovecot?.stop();
});

describe('authenticity of IMAP mail (real Dovecot)', () => {
  it('a DKIM-signed mail from an SPF-allowed server passes SPF, DKIM and DMARC', async () => {
    const m = message({ subject: 'Getekend' });
    const msg = await fetched(m.id, received('192.0.2.10') + (await signed(m.raw)));
    expect(msg.contentAttributes.email.auth).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass', basis: 'received' });
    expect(msg.contentAttributes.email.auth.details.join(' ')).toContain(`client 192.0.2.10 as received by ${PROVIDER}`);
  });

  it('a signed mail without a Received header still verifies DKIM, and DMARC on it alone', async () => {
    const m = message({ subject: 'Zonder trace' });
    const msg = await fetched(m.id, await signed(m.raw));
    expect(msg.contentAttributes.email.auth).toMatchObject({ spf: 'none', dkim: 'pass', dmarc: 'pass', basis: 'dkim_only' });
  });

  it('a tampered body fails DKIM and DMARC', async () => {
    const m = message({ subject: 'Aangepast', body: 'Maak 10 euro over naar NL00BANK0123456789.' });
    const tampered = (await signed(m.raw)).replace('10 euro', '1000 euro');
    const msg = await fetched(m.id, tampered);
    expect(msg.contentAttributes.email.auth).toMatchObject({ spf: 'none', dkim: 'fail', dmarc: 'fail' });
    expect(msg.contentAttributes.email.auth.details.join(' ')).toMatch(/body hash/i);

    // From a server SPF does not allow, too: everything fails, and the message is still stored for the agent.
    const n = message({ subject: 'Aangepast 2', body: 'Betaal 10 euro.' });
    const other = await fetched(n.id, received('203.0.113.5', 'evil.test') + (await signed(n.raw)).replace('10 euro', '99 euro'));
    expect(other.contentAttributes.email.auth).toMatchObject({ spf: 'fail', dkim: 'fail', dmarc: 'fail', basis: 'received' });
    expect(other).toMatchObject({ direction: 'inbound', senderType: 'contact' });
  });

  it('ignores Authentication-Results from an untrusted authserv-id, or below the provider’s Received header', async () => {
    const forged = 'Authentication-Results: mx.evil.test; spf=pass smtp.mailfrom=klant.test; dkim=pass header.d=klant.test; dmarc=pass header.from=klant.test\r\n';
    const a = message({ subject: 'Vervalst 1' });
    const first = await fetched(a.id, forged + received('203.0.113.5', 'evil.test') + a.raw);
    expect(first.contentAttributes.email.auth).toMatchObject({ spf: 'fail', dkim: 'none', dmarc: 'fail', basis: 'received' });
    expect(first.contentAttributes.email.auth.details.join(' ')).toMatch(/ignored 1 Authentication-Results header not added by mx\.acme-provider\.test/);

    // The trusted id, but written by the sender: it sits below the provider's Received header.
    const b = message({ subject: 'Vervalst 2', extraHeaders: forged.replace('mx.evil.test', PROVIDER) });
    const second = await fetched(b.id, received('203.0.113.5', 'evil.test') + b.raw);
    expect(second.contentAttributes.email.auth).toMatchObject({ spf: 'fail', dkim: 'none', dmarc: 'fail', basis: 'received' });
  });

  it('believes the provider’s own Authentication-Results above its Received header', async () => {
    const m = message({ subject: 'Via provider' });
    const ar = `Authentication-Results: ${PROVIDER};\r\n\tspf=pass (domain of klant.test designates 192.0.2.77 as permitted sender) smtp.mailfrom=klant.test;\r\n\tdmarc=pass (p=REJECT) header.from=klant.test\r\n`;
    // The provider judged a session Balie cannot replay (its SPF record changed since, say): its verdict stands.
    const msg = await fetched(m.id, ar + received('192.0.2.77') + m.raw);
    expect(msg.contentAttributes.email.auth).toMatchObject({ spf: 'pass', dkim: 'none', dmarc: 'pass', basis: 'authentication_results' });
    expect(msg.contentAttributes.email.auth.details[0]).toBe(`spf/dmarc: Authentication-Results of ${PROVIDER}`);
  });

  it('counts the configured number of provider hops', async () => {
    await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token, body: { settings: { imapTrustedHops: 2 } } });
    try {
      const m = message({ subject: 'Twee hops' });
      const internal = `Return-Path: <jan@klant.test>\r\nReceived: from ${PROVIDER} (${PROVIDER} [10.9.9.9]) by store.acme-provider.test with LMTP; ${new Date().toUTCString()}\r\n`;
      const msg = await fetched(m.id, internal + received('192.0.2.10').replace(/^Return-Path: [^\r]*\r\n/, '') + (await signed(m.raw)));
      expect(msg.contentAttributes.email.auth).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass', basis: 'received' });
    } finally {
      await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token, body: { settings: { imapTrustedHops: 1 } } });
    }
  });

  it('rejects a bad trust setting', async () => {
    const bad = await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token, body: { settings: { imapAuthServId: 'not a host;' } } });
    expect(bad.status).toBe(422);
    const hops = await app.call('PATCH', `/api/v1/inboxes/${inboxId}`, { token, body: { settings: { imapTrustedHops: 99 } } });
    expect(hops.status).toBe(422);
  });

  it('a From with an agent’s address never becomes an agent message, even with a passing DKIM signature', async () => {
    const m = message({ from: 'Owner <owner@acme.test>', subject: 'Geef de klant korting' });
    const msg = await fetched(m.id, received('203.0.113.5', 'evil.test') + (await signed(m.raw)));
    expect(msg).toMatchObject({ direction: 'inbound', senderType: 'contact' });
    expect(msg.contentAttributes.email.claimsAgent).toBe(true);
    const [user] = await app.balie.services.store.rows<{ id: string }>(sql`select id from users where email = 'owner@acme.test'`);
    expect(msg.senderId).not.toBe(user!.id);
  });
});
