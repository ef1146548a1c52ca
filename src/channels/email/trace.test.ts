import { describe, expect, it } from 'vitest';
import { headerFields, parseAuthResults, parseReceived, trustedTrace } from './trace';

const mail = (...headers: string[]) => Buffer.from(`${headers.join('\r\n')}\r\n\r\nbody\r\n`);

describe('Received headers', () => {
  it('reads the client address and HELO name in the common server shapes', () => {
    expect(parseReceived('from mail.klant.test (mail.klant.test [192.0.2.10]) by mx.provider.test (Postfix) with ESMTPS id 4Q; Mon, 1 Jan 2026 10:00:00 +0000')).toMatchObject({
      ip: '192.0.2.10',
      helo: 'mail.klant.test',
      by: 'mx.provider.test',
    });
    expect(parseReceived('from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id x; Tue')).toMatchObject({ ip: '209.85.220.41', helo: 'mail-sor-f41.google.com' });
    expect(parseReceived('from [198.51.100.7] (helo=laptop.local) by mx.example with esmtp (Exim 4.96) (envelope-from <jan@klant.test>) id 1')).toMatchObject({
      ip: '198.51.100.7',
      helo: 'laptop.local',
      envelopeFrom: 'jan@klant.test',
    });
    expect(parseReceived('from unknown (HELO x) ([IPv6:2001:db8::1]) by mx')).toMatchObject({ ip: null });
    expect(parseReceived('from x.test ([IPv6:2001:db8::1]) by mx')).toMatchObject({ ip: '2001:db8::1', helo: 'x.test' });
    expect(parseReceived('by 2002:a05:6000:1a8c with SMTP id x; Tue')).toMatchObject({ ip: null, helo: null });
    expect(parseReceived('from spoof (spoof [999.1.1.1]) by mx')).toMatchObject({ ip: null });
  });
});

describe('Authentication-Results', () => {
  it('reads the authserv-id and results, ignoring comments and versions', () => {
    expect(parseAuthResults('mx.provider.test 1; spf=pass (sender IP is 192.0.2.10) smtp.mailfrom=klant.test; dkim=pass header.d=klant.test; dmarc=pass (p=REJECT) header.from=klant.test')).toEqual({
      servId: 'mx.provider.test',
      results: { spf: 'pass', dkim: 'pass', dmarc: 'pass' },
    });
    expect(parseAuthResults('MX.Provider.test; none')).toEqual({ servId: 'mx.provider.test', results: {} });
    expect(parseAuthResults('(only a comment)')).toBeNull();
  });
});

describe('which trace headers are believed', () => {
  const provider = 'Received: from mail.klant.test (mail.klant.test [192.0.2.10]) by mx.provider.test with ESMTPS; Mon';
  const senderSide = 'Received: from laptop (laptop [10.0.0.5]) by mail.klant.test; Mon';
  const trust = { receivedHops: 1, authServId: 'mx.provider.test' };

  it('takes the client from the topmost Received header and the provider Return-Path', () => {
    const t = trustedTrace(headerFields(mail('Return-Path: <bounce@klant.test>', provider, senderSide, 'From: jan@klant.test')), trust);
    expect(t.client).toMatchObject({ ip: '192.0.2.10', helo: 'mail.klant.test', sender: 'bounce@klant.test' });
  });

  it('counts hops: with two, the second Received header is the one that met the outside world', () => {
    const internal = 'Received: from mx.provider.test (mx.provider.test [10.1.1.1]) by store.provider.test; Mon';
    expect(trustedTrace(headerFields(mail(internal, provider, senderSide)), { receivedHops: 2 }).client).toMatchObject({ ip: '192.0.2.10' });
    expect(trustedTrace(headerFields(mail(internal, provider, senderSide)), { receivedHops: 1 }).client).toMatchObject({ ip: '10.1.1.1' });
    expect(trustedTrace(headerFields(mail(provider)), { receivedHops: 3 }).client).toBeNull();
    expect(trustedTrace(headerFields(mail(provider)), { receivedHops: 0 }).client).toBeNull();
  });

  it('ignores a Return-Path the sender wrote below the provider hop', () => {
    const t = trustedTrace(headerFields(mail(provider, 'Return-Path: <forged@bank.test>', 'From: x@klant.test')), trust);
    expect(t.client?.sender).toBeNull();
  });

  it('believes Authentication-Results only from the configured id, above the trusted hop', () => {
    const ours = 'Authentication-Results: mx.provider.test; spf=pass smtp.mailfrom=klant.test; dkim=pass; dmarc=pass';
    expect(trustedTrace(headerFields(mail(ours, provider)), trust).authResults).toEqual({ servId: 'mx.provider.test', results: { spf: 'pass', dkim: 'pass', dmarc: 'pass' } });
    // Another id, even at the top: not ours to believe.
    const other = trustedTrace(headerFields(mail('Authentication-Results: mx.evil.test; spf=pass; dkim=pass; dmarc=pass', provider)), trust);
    expect(other.authResults).toBeNull();
    expect(other.notes.join(' ')).toMatch(/ignored 1 Authentication-Results/);
    // The right id below the provider's Received header came with the message.
    expect(trustedTrace(headerFields(mail(provider, ours)), trust).authResults).toBeNull();
    // Without any Received header nothing marks where the provider's part ends.
    expect(trustedTrace(headerFields(mail(ours)), trust).authResults).toBeNull();
    // No configured id: none is believed.
    expect(trustedTrace(headerFields(mail(ours, provider)), { receivedHops: 1 }).authResults).toBeNull();
  });
});
