import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createSmtpSink } from '../support/smtp-sink';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';

let app: TestApp;
let token: string;
let sink: Awaited<ReturnType<typeof createSmtpSink>>;
let client: ReturnType<typeof customerClient>;

let port: number;

async function messagesOf(conversationId: string) {
  const res = await app.call('GET', `/api/v1/conversations/${conversationId}/messages`, { token });
  return res.body.items as any[];
}
async function conversationOfMessage(messageId: string) {
  const rows = await app.balie.services.store.rows<{ conversation_id: string }>(
    (await import('drizzle-orm')).sql`select conversation_id from messages where external_id = ${messageId}`,
  );
  return rows[0]?.conversation_id;
}

beforeAll(async () => {
  sink = await createSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
  app.balie.services.dnsResolver = fakeDns({
    'TXT:klant.test': [['v=spf1 ip4:127.0.0.1 -all']],
    'TXT:_dmarc.klant.test': [['v=DMARC1; p=reject']],
    'TXT:spoof.test': [['v=spf1 ip4:192.0.2.1 -all']],
    'TXT:_dmarc.spoof.test': [['v=DMARC1; p=reject']],
  });
  const ws = await setupWorkspace(app, 'Acme', 'owner-agent@acme.test');
  token = ws.apiToken;
  await createEmailInbox(app, token, { address: 'support@acme.test', fromName: 'Acme support', signature: 'Team Acme' });
  port = await app.balie.listenSmtp(0, '127.0.0.1');
  client = customerClient(port);
}, 240_000);
afterAll(async () => {
  client.close();
  await app.close();
  await sink.close();
});

describe('e-mail in and out', () => {
  it('turns an SMTP mail into a conversation and threads the agent reply and the customer answer', async () => {
    const sent = await client.send({ from: 'Jan Jansen <jan@klant.test>', to: 'support@acme.test', subject: 'Waar blijft mijn pakket?', text: 'Hallo,\n\nIk wacht al een week.\n\nJan' , messageId: '<first-1@klant.test>' });
    expect(sent.accepted).toEqual(['support@acme.test']);
    const conversationId = await app.until(() => conversationOfMessage('<first-1@klant.test>'));
    const [first] = await messagesOf(conversationId);
    expect(first).toMatchObject({ direction: 'inbound', content: expect.stringContaining('Ik wacht al een week.') });
    expect(first.contentAttributes.email.from).toEqual({ address: 'jan@klant.test', name: 'Jan Jansen' });

    const reply = await app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token, body: { content: 'Het is onderweg.' } });
    expect(reply.status).toBe(201);
    const out = await app.until(async () => sink.messages.find((m) => m.text?.includes('Het is onderweg.')));
    expect(out.to && 'value' in out.to ? out.to.value[0]!.address : null).toBe('jan@klant.test');
    expect(out.inReplyTo).toBe('<first-1@klant.test>');
    expect(out.subject).toMatch(/^Re: Waar blijft mijn pakket\? \[#\d+\]$/);
    expect(out.text).toContain('Team Acme');
    expect(out.replyTo && 'value' in out.replyTo ? out.replyTo.value[0]!.address : '').toMatch(/^support\+c[0-9a-f]{32}@acme\.test$/);

    // The customer answers with References only (no In-Reply-To).
    await client.send({ from: 'jan@klant.test', to: 'support@acme.test', subject: `Re: ${out.subject}`, text: 'Dank!', messageId: '<second-1@klant.test>', references: [out.messageId!] });
    const second = await app.until(() => conversationOfMessage('<second-1@klant.test>'));
    expect(second).toBe(conversationId);
    const sentRow = (await messagesOf(conversationId)).find((m) => m.direction === 'outbound');
    expect(sentRow.status).toBe('sent');
  });

  it('refuses unknown recipients and ignores a duplicate Message-ID', async () => {
    await expect(client.send({ from: 'x@klant.test', to: 'nobody@acme.test', subject: 'x', text: 'x' })).rejects.toThrow(/550|no such mailbox/);
    const mail = { from: 'dup@klant.test', to: 'support@acme.test', subject: 'Dubbel', text: 'een keer', messageId: '<dup-1@klant.test>' };
    await client.send(mail);
    await client.send(mail);
    const conv = await app.until(() => conversationOfMessage('<dup-1@klant.test>'));
    expect((await messagesOf(conv)).length).toBe(1);
  });

  it('shows SPF/DKIM/DMARC, flags a From that claims to be an agent, and recognises auto-replies', async () => {
    await client.send({ from: 'Echt <echt@klant.test>', to: 'support@acme.test', subject: 'Auth', text: 'echt', messageId: '<auth-1@klant.test>', envelope: { from: 'echt@klant.test', to: ['support@acme.test'] } });
    const c1 = await app.until(() => conversationOfMessage('<auth-1@klant.test>'));
    const m1 = (await messagesOf(c1))[0];
    expect(m1.contentAttributes.email.auth).toMatchObject({ spf: 'pass', dmarc: 'pass' });

    await client.send({ from: 'Owner <owner-agent@acme.test>', to: 'support@acme.test', subject: 'Ik ben de baas', text: 'Geef korting', messageId: '<spoof-1@x.test>' });
    const c2 = await app.until(() => conversationOfMessage('<spoof-1@x.test>'));
    const m2 = (await messagesOf(c2))[0];
    expect(m2).toMatchObject({ direction: 'inbound', senderType: 'contact' });
    expect(m2.contentAttributes.email.claimsAgent).toBe(true);

    await client.send({ from: 'nep@spoof.test', to: 'support@acme.test', subject: 'Spoof', text: 'x', messageId: '<spf-fail@spoof.test>' });
    const m3 = (await messagesOf(await app.until(() => conversationOfMessage('<spf-fail@spoof.test>'))))[0];
    expect(m3.contentAttributes.email.auth).toMatchObject({ spf: 'fail', dmarc: 'fail' });

    await client.send({ from: 'ooo@klant.test', to: 'support@acme.test', subject: 'Automatisch antwoord: afwezig', text: 'Ik ben afwezig', messageId: '<ooo-1@klant.test>', headers: { 'Auto-Submitted': 'auto-replied' } });
    const m4 = (await messagesOf(await app.until(() => conversationOfMessage('<ooo-1@klant.test>'))))[0];
    expect(m4.contentAttributes.email.noise).toBe('auto_reply');
  });

  it('turns a DSN bounce into a failed delivery on the original message', async () => {
    await client.send({ from: 'weg@klant.test', to: 'support@acme.test', subject: 'Bounce straks', text: 'x', messageId: '<bounce-src@klant.test>' });
    const conv = await app.until(() => conversationOfMessage('<bounce-src@klant.test>'));
    await app.call('POST', `/api/v1/conversations/${conv}/messages`, { token, body: { content: 'komt niet aan' } });
    const out = await app.until(async () => sink.messages.find((m) => m.text?.includes('komt niet aan')));
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.klant.test>',
      'To: support@acme.test',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-1@mx.klant.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"',
      '',
      '--dsn',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--dsn',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.klant.test',
      '',
      'Final-Recipient: rfc822; weg@klant.test',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '--dsn',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${out.messageId}`,
      'Subject: whatever',
      '--dsn--',
      '',
    ].join('\r\n');
    await client.sendRaw(dsn, { from: '', to: ['support@acme.test'] });
    const failed = await app.until(async () => (await messagesOf(conv)).find((m) => m.direction === 'outbound' && m.status === 'failed'));
    expect(failed.statusReason).toMatch(/^bounced: 5\.1\.1 smtp; 550 5\.1\.1 user unknown/);
    expect((await messagesOf(conv)).length).toBe(2);
  });

  it('replies with To/CC/BCC and reply-all, forwards, and signs with the agent signature', async () => {
    await app.call('PATCH', '/api/v1/me', { token, body: { settings: { emailSignature: 'Groet, Owner' } } });
    await client.send({ from: 'Lisa <lisa@klant.test>', to: 'support@acme.test', cc: 'Tom <tom@klant.test>, support@acme.test', subject: 'Samen', text: 'Wij samen', messageId: '<cc-1@klant.test>' });
    const conv = await app.until(() => conversationOfMessage('<cc-1@klant.test>'));
    await app.call('POST', `/api/v1/conversations/${conv}/messages`, { token, body: { content: 'aan allen', contentAttributes: { email: { replyAll: true, bcc: ['archief@acme.test'] } } } });
    const all = await app.until(async () => sink.messages.find((m) => m.text?.includes('aan allen')));
    const addr = (v: unknown) => ((v as { value?: { address: string }[] } | undefined)?.value ?? []).map((a) => a.address);
    expect(addr(all.to)).toEqual(['lisa@klant.test']);
    expect(addr(all.cc)).toEqual(['tom@klant.test']);
    expect(all.text).toContain('Groet, Owner');
    expect(all.headers.get('bcc')).toBeUndefined();

    const fwd = await app.call('POST', `/api/v1/conversations/${conv}/email/forward`, { token, body: { to: ['collega@elders.test'], comment: 'Kun jij dit oppakken?' } });
    expect(fwd.status).toBe(201);
    const forwarded = await app.until(async () => sink.messages.find((m) => m.text?.includes('Kun jij dit oppakken?')));
    expect(addr(forwarded.to)).toEqual(['collega@elders.test']);
    expect(forwarded.subject).toMatch(/^Fwd: Samen \[#\d+\]$/);
    expect(forwarded.text).toContain('Wij samen');

    // What the agent attached in the composer goes along with the forward (it used to be dropped).
    const pdf = Buffer.from('%PDF-1.4 factuur maart');
    const withFile = await app.call('POST', `/api/v1/conversations/${conv}/email/forward`, {
      token,
      body: { to: ['boekhouding@elders.test'], comment: 'Factuur bijgevoegd', attachments: [{ fileName: 'factuur-maart.pdf', contentType: 'application/pdf', data: pdf.toString('base64') }] },
    });
    expect(withFile.status).toBe(201);
    expect(withFile.body.attachments).toEqual([expect.objectContaining({ fileName: 'factuur-maart.pdf', contentType: 'application/pdf', size: pdf.length })]);
    const sentWithFile = await app.until(async () => sink.messages.find((m) => m.text?.includes('Factuur bijgevoegd')));
    expect(addr(sentWithFile.to)).toEqual(['boekhouding@elders.test']);
    expect(sentWithFile.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([['factuur-maart.pdf', 'application/pdf', '%PDF-1.4 factuur maart']]);
  });

  it('serves e-mail HTML sanitized under a strict CSP with cid: images inline and remote images blocked', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    await client.send({
      from: 'html@klant.test', to: 'support@acme.test', subject: 'Plaatje', messageId: '<html-1@klant.test>',
      text: 'plain version',
      html: '<p>Kijk <img src="cid:logo@klant"> en <img src="https://tracker.test/p.gif"></p><script>alert(1)</script><a href="javascript:alert(2)">x</a>',
      attachments: [{ filename: 'logo.png', content: png, cid: 'logo@klant' }, { filename: 'evil.svg', content: '<svg onload="alert(1)"/>', contentType: 'image/svg+xml' }],
    });
    const conv = await app.until(() => conversationOfMessage('<html-1@klant.test>'));
    const [m] = await messagesOf(conv);
    expect(m.contentType).toBe('html');
    const doc = await app.call('GET', `/api/v1/messages/${m.id}/email-html`, { token });
    expect(doc.status).toBe(200);
    expect(doc.headers['content-security-policy']).toMatch(/default-src 'none'.*img-src data:;.*sandbox/);
    expect(doc.text).toContain('src="data:image/png;base64,');
    expect(doc.text).toContain('data-remote-src="https://tracker.test/p.gif"');
    expect(doc.text).not.toMatch(/<script>alert|javascript:alert/);
    const withImages = await app.call('GET', `/api/v1/messages/${m.id}/email-html?images=1`, { token });
    expect(withImages.text).toContain('src="https://tracker.test/p.gif"');
    const svg = m.attachments.find((a: { fileName: string }) => a.fileName === 'evil.svg');
    const file = await app.call('GET', `${svg.url}?inline=1`, { token });
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('"send test mail" reports delivery and clear errors', async () => {
    const list = await app.call('GET', '/api/v1/inboxes', { token });
    const id = list.body.items.find((i: { kind: string }) => i.kind === 'email').id;
    const ok = await app.call('POST', `/api/v1/inboxes/${id}/email/test-mail`, { token, body: { to: 'test@elders.test' } });
    expect(ok.body).toMatchObject({ ok: true });
    await app.until(async () => sink.messages.find((m) => m.subject === 'Balie test mail'));
    await app.call('PATCH', `/api/v1/inboxes/${id}`, { token, body: { settings: { smtpHost: 'no-such-host.invalid', smtpPort: 2525 } } });
    const dns = await app.call('POST', `/api/v1/inboxes/${id}/email/test-mail`, { token, body: { to: 'test@elders.test' } });
    expect(dns.body).toMatchObject({ ok: false, code: 'smtp_dns' });
    await app.call('PATCH', `/api/v1/inboxes/${id}`, { token, body: { settings: { smtpHost: '127.0.0.1', smtpPort: 1 } } });
    const refused = await app.call('POST', `/api/v1/inboxes/${id}/email/test-mail`, { token, body: { to: 'test@elders.test' } });
    expect(refused.body).toMatchObject({ ok: false, code: 'smtp_connection' });
    await app.call('PATCH', `/api/v1/inboxes/${id}`, { token, body: { settings: { smtpHost: null, smtpPort: null } } });
  });
});
