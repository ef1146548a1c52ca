import crypto from 'node:crypto';

/** `sha256=<hex HMAC of the raw body>`, as in X-Balie-Signature (and GitHub/Meta style signatures). */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time comparison of two signature strings. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
