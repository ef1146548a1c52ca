import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeIdentity, normalizePhone } from './identity';

describe('identity normalization', () => {
  it('normalizes Dutch and international phone numbers to E.164', () => {
    for (const input of ['06 12345678', '+31 6 1234 5678', '0031612345678', '31612345678', '+31612345678']) {
      expect(normalizePhone(input)).toEqual({ ok: true, value: '+31612345678' });
    }
    expect(normalizePhone('+32 470 12 34 56')).toEqual({ ok: true, value: '+32470123456' });
  });
  it('rejects what is not a phone number', () => {
    expect(normalizePhone('hello').ok).toBe(false);
    expect(normalizePhone('').ok).toBe(false);
    expect(normalizePhone('1'.repeat(60)).ok).toBe(false);
  });
  it('lowercases and validates e-mail', () => {
    expect(normalizeEmail('  Jan.Jansen@Example.NL ')).toEqual({ ok: true, value: 'jan.jansen@example.nl' });
    expect(normalizeEmail('not an address').ok).toBe(false);
    expect(normalizeEmail('a@b').ok).toBe(false);
  });
  it('refuses control characters in opaque identifiers', () => {
    expect(normalizeIdentity('external', 'abc\u0000').ok).toBe(false);
    expect(normalizeIdentity('external', ' cust-42 ')).toEqual({ ok: true, value: 'cust-42' });
  });
});
