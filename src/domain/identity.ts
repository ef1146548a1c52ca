import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Identities are compared in normalized form: one customer writing from WhatsApp and by SMS from the same
 * number is one contact only if both numbers normalize to the same E.164 string.
 */
export type NormalizeResult = { ok: true; value: string } | { ok: false; message: string };

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export function normalizeEmail(input: string): NormalizeResult {
  const value = input.trim().toLowerCase();
  if (value.length > 254 || !EMAIL_RE.test(value)) return { ok: false, message: 'is not a valid e-mail address' };
  return { ok: true, value };
}

export function normalizePhone(input: string, defaultCountry: CountryCode = 'NL'): NormalizeResult {
  const raw = input.trim();
  if (raw.length === 0 || raw.length > 40) return { ok: false, message: 'is not a valid phone number' };
  // WhatsApp ids and some providers send international numbers without the leading +.
  const candidate = /^\d{10,15}$/.test(raw) && !raw.startsWith('0') ? `+${raw}` : raw.replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
  if (!parsed || !parsed.isPossible()) return { ok: false, message: 'is not a valid phone number' };
  return { ok: true, value: parsed.number };
}

export function normalizeOpaque(input: string): NormalizeResult {
  const value = input.trim();
  if (value.length === 0 || value.length > 255) return { ok: false, message: 'must be 1–255 characters' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return { ok: false, message: 'contains control characters' };
  return { ok: true, value };
}

export function normalizeIdentity(kind: string, value: string): NormalizeResult {
  switch (kind) {
    case 'email':
      return normalizeEmail(value);
    case 'phone':
      return normalizePhone(value);
    default:
      return normalizeOpaque(value);
  }
}
