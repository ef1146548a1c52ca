import { describe, expect, it } from 'vitest';
import { twilioSignature, verifyTwilio } from './signature';

describe('X-Twilio-Signature', () => {
  // The worked example of Twilio's "Webhooks security" documentation.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params: [string, string][] = [
    ['CallSid', 'CA1234567890ABCDE'],
    ['Caller', '+12349013030'],
    ['Digits', '1234'],
    ['From', '+12349013030'],
    ['To', '+18005551212'],
  ];
  it('matches Twilio’s documented example', () => {
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });
  it('does not depend on parameter order, but on every byte of URL and values', () => {
    expect(twilioSignature('12345', url, [...params].reverse())).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(twilioSignature('12345', `${url}&x=1`, params)).not.toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(twilioSignature('12345', url, [...params.slice(1), ['CallSid', 'CA1234567890ABCDF']])).not.toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });
  it('verifies a posted form and refuses a wrong or missing signature with 403', () => {
    const rawBody = Buffer.from(new URLSearchParams(params).toString());
    const req = { method: 'POST', url, headers: { 'x-twilio-signature': '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' }, rawBody, query: {} };
    expect(verifyTwilio(req, '12345')).toEqual({ ok: true });
    expect(verifyTwilio(req, '54321')).toMatchObject({ ok: false, status: 403 });
    expect(verifyTwilio({ ...req, headers: {} }, '12345')).toMatchObject({ ok: false, status: 403, code: 'signature_missing' });
  });
});
