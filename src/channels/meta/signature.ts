import crypto from 'node:crypto';
import type { RawRequest, VerifyResult } from '../channel';
import { safeEqual } from '../provider-http';

/**
 * Meta (WhatsApp Cloud API, Messenger, Instagram) signs every webhook POST with X-Hub-Signature-256:
 * "sha256=" + hex HMAC-SHA256 of the raw body with the app secret. Subscribing is a GET handshake that echoes
 * hub.challenge when hub.verify_token is the one the admin entered.
 */
export function signMeta(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function verifyMeta(req: RawRequest, appSecret: string | undefined, verifyToken: string | undefined): VerifyResult {
  if (req.method === 'GET') {
    if (req.query['hub.mode'] === 'subscribe' && verifyToken && typeof req.query['hub.verify_token'] === 'string' && safeEqual(req.query['hub.verify_token'], verifyToken)) {
      return { ok: true, respond: { status: 200, contentType: 'text/plain', body: String(req.query['hub.challenge'] ?? '') } };
    }
    return { ok: false, status: 403, code: 'verify_token_mismatch', message: 'hub.verify_token does not match this inbox.' };
  }
  const header = req.headers['x-hub-signature-256'];
  if (!header) return { ok: false, status: 401, code: 'signature_missing', message: 'X-Hub-Signature-256 is missing.' };
  if (!appSecret || !safeEqual(header, signMeta(appSecret, req.rawBody))) {
    return { ok: false, status: 401, code: 'signature_invalid', message: 'X-Hub-Signature-256 does not match the body.' };
  }
  return { ok: true };
}
