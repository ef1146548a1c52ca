import { describe, expect, it } from 'vitest';
import { messageKeyOf, parseEmail } from './parse';

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe('parsing e-mail: character sets and encodings', () => {
  it('decodes windows-1252 8-bit bodies', async () => {
    const head = Buffer.from(crlf('From: a@x.test\nTo: support@acme.test\nSubject: prijs\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n'));
    const body = Buffer.from([0x50, 0x72, 0x69, 0x6a, 0x73, 0x3a, 0x20, 0x80, 0x20, 0x31, 0x30, 0x2c, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x6f, 0x6b, 0x94]);
    const mail = await parseEmail(Buffer.concat([head, body]));
    expect(mail.text.trim()).toBe('Prijs: € 10, café “ok”');
  });

  it('decodes ISO-2022-JP', async () => {
    const jis = Buffer.from([0x1b, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4b, 0x24, 0x41, 0x24, 0x4f, 0x1b, 0x28, 0x42]);
    const head = Buffer.from(crlf('From: a@x.test\nSubject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n'));
    const mail = await parseEmail(Buffer.concat([head, jis]));
    expect(mail.text.trim()).toBe('こんにちは');
    expect(mail.subject).toBe('こんにちは');
  });

  it('decodes quoted-printable, base64 and RFC 2047 headers', async () => {
    const mail = await parseEmail(
      Buffer.from(
        crlf(
          `From: =?UTF-8?B?${Buffer.from('Jürgen Müller').toString('base64')}?= <j@x.test>\nSubject: =?ISO-8859-1?Q?Caf=E9_ouvert?=\nMessage-ID: <qp-1@x.test>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 =E2=82=AC 5 en een hele lange regel die wordt afgebroken met een =\nzachte regeleinde\n--b\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from('<p>Grüße</p>').toString('base64')}\n--b--\n`,
        ),
      ),
    );
    expect(mail.from).toEqual({ address: 'j@x.test', name: 'Jürgen Müller' });
    expect(mail.subject).toBe('Café ouvert');
    expect(mail.text).toContain('café € 5 en een hele lange regel die wordt afgebroken met een zachte regeleinde');
    expect(mail.html).toContain('<p>Grüße</p>');
    expect(mail.messageId).toBe('<qp-1@x.test>');
  });

  it('survives an unknown charset and keys mail without Message-ID by its hash', async () => {
    const raw = Buffer.from(crlf('From: a@x.test\nContent-Type: text/plain; charset=x-no-such-charset\n\nhello'));
    const mail = await parseEmail(raw);
    expect(mail.text).toContain('hello');
    expect(messageKeyOf(raw)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(messageKeyOf(Buffer.from('Message-ID:\r\n <folded@x.test>\r\n\r\nx'))).toBe('<folded@x.test>');
  });
});
