import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';

/**
 * Two records of one customer are merged while an e-mail conversation is open. Everything the address does
 * afterwards belongs to the surviving contact: a reply to our last mail threads into the open conversation
 * (now under the survivor), and a new mail from the merged-away address starts a conversation of the survivor
 * — not of the contact that no longer exists.
 */
let app: TestApp;
let token: string;
let sink: Awaited<ReturnType<typeof createSmtpSink>>;
let client: ReturnType<typeof customerClient>;
let n = 0;

function raw(headers: Record<string, string>, body: string) {
  const lines = Object.entries({ 'MIME-Version': '1.0', Date: new Date().toUTCString(), 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}

/** Delivers a mail over SMTP and returns the conversation and contact it landed on. */
async function deliver(from: string, headers: Record<string, string>, body: string) {
  const id = `<m${++n}.${Date.now()}@klant.test>`;
  await client.sendRaw(raw({ From: from, To: 'support@acme.test', 'Message-ID': id, ...headers }, body), { from: from.replace(/.*</, '').replace(/>.*/, ''), to: ['support@acme.test'] });
  return app.until(async () => {
    const rows = await app.balie.services.store.rows<{ conversation_id: string; sender_id: string; contact_id: string }>(
      sql`select m.conversation_id, m.sender_id, c.contact_id from messages m join conversations c on c.id = m.conversation_id and c.workspace_id = m.workspace_id where m.external_id = ${id}`,
    );
    return rows[0];
  });
}

const get = async (url: string) => (await app.call('GET', url, { token })).body;

beforeAll(async () => {
  sink = await createSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
  app.balie.services.dnsResolver = fakeDns();
  token = (await setupWorkspace(app)).apiToken;
  await createEmailInbox(app, token, { address: 'support@acme.test' });
  client = customerClient(await app.balie.listenSmtp(0, '127.0.0.1'));
}, 240_000);
afterAll(async () => {
  client.close();
  await app.close();
  await sink.close();
});

describe('merge, then mail', () => {
  it('threads a reply into the open conversation under the surviving contact, and new mail lands on it too', async () => {
    // The customer writes by e-mail: contact A with the address as its identity, an open conversation.
    const first = await deliver('Anna de Vries <anna@klant.test>', { Subject: 'Retour fiets' }, 'Hoe stuur ik de fiets terug?');
    const mailContact = first.contact_id;
    expect((await get(`/api/v1/contacts/${mailContact}`)).identities).toEqual([expect.objectContaining({ kind: 'email', value: 'anna@klant.test' })]);
    const marker = `label-${Date.now()}`;
    const replied = await app.call('POST', `/api/v1/conversations/${first.conversation_id}/messages`, { token, body: { content: `U krijgt een retourlabel: ${marker}` } });
    expect(replied.status).toBe(201);
    const ours = await app.until(async () => sink.messages.find((m) => m.text?.includes(marker)));

    // The same customer is known from the phone: contact B. The agent merges the e-mail contact into it.
    const phoneContact = (await app.call('POST', '/api/v1/contacts', { token, body: { name: 'Anna de Vries', phone: '+31612345678' } })).body.id as string;
    const merged = await app.call('POST', `/api/v1/contacts/${phoneContact}/merge`, { token, body: { sourceId: mailContact } });
    expect(merged.status).toBe(200);
    expect(merged.body.identities.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`).sort()).toEqual(['email:anna@klant.test', 'phone:+31612345678']);
    expect((await get(`/api/v1/conversations/${first.conversation_id}`)).contact.id).toBe(phoneContact);

    // Her reply to our mail threads into the open conversation, sent by the surviving contact.
    const reply = await deliver('Anna de Vries <anna@klant.test>', { Subject: `Re: ${ours.subject}`, 'In-Reply-To': ours.messageId!, References: ours.messageId! }, 'Dank, label ontvangen.');
    expect(reply).toEqual({ conversation_id: first.conversation_id, sender_id: phoneContact, contact_id: phoneContact });

    // A new mail (new subject, no thread headers) from the merged-away address: the survivor's, never A's.
    const fresh = await deliver('Anna <anna@klant.test>', { Subject: 'Andere vraag: verlichting' }, 'Hebben jullie ook fietslampjes?');
    expect(fresh.contact_id).toBe(phoneContact);
    expect(fresh.sender_id).toBe(phoneContact);
    const merged_ = await get(`/api/v1/contacts/${mailContact}`);
    expect(merged_.mergedIntoId).toBe(phoneContact);
    expect(merged_.identities).toEqual([]);

    // The survivor's timeline holds both conversations; nothing is left on the merged-away contact.
    const conversations = (await get(`/api/v1/conversations?contactId=${phoneContact}&status=all`)).items.map((c: { id: string }) => c.id);
    expect(conversations).toEqual(expect.arrayContaining([first.conversation_id, fresh.conversation_id]));
    expect((await get(`/api/v1/conversations?contactId=${mailContact}&status=all`)).items).toEqual([]);
  });
});
