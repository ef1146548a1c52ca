import crypto from 'node:crypto';
import type { RawRequest, VerifyResult } from '../channel';
import { safeEqual } from '../provider-http';

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the account's auth token, over the full URL
 * Twilio called followed by every POST parameter as name+value, sorted by name. Shared by SMS and voice.
 */
export function twilioSignature(authToken: string, url: string, params: [string, string][]): string {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = url + sorted.map(([k, v]) => k + v).join('');
  return crypto.createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function formParams(rawBody: Buffer): [string, string][] {
  return [...new URLSearchParams(rawBody.toString('utf8')).entries()];
}

export function verifyTwilio(req: RawRequest, authToken: string | undefined): VerifyResult {
  const header = req.headers['x-twilio-signature'];
  if (!header) return { ok: false, status: 403, code: 'signature_missing', message: 'X-Twilio-Signature is missing.' };
  if (req.method !== 'POST') return { ok: false, status: 403, code: 'method_not_allowed', message: 'Twilio webhooks are POSTs.' };
  if (!authToken || !safeEqual(header, twilioSignature(authToken, req.url, formParams(req.rawBody)))) {
    return { ok: false, status: 403, code: 'signature_invalid', message: 'X-Twilio-Signature does not match the URL and parameters.' };
  }
  return { ok: true };
}
