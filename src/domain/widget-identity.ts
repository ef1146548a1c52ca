import crypto from 'node:crypto';

/**
 * Identity verification for logged-in visitors: the site computes identifierHash = HMAC-SHA256(inbox identity
 * secret, identifier) on its server, so a visitor cannot claim someone else's identifier.
 */
export function identifierHash(secret: string, identifier: string): string {
  return crypto.createHmac('sha256', secret).update(identifier, 'utf8').digest('hex');
}

export function verifyIdentifierHash(secret: string, identifier: string, hash: string): boolean {
  const expected = Buffer.from(identifierHash(secret, identifier), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(hash) ? Buffer.from(hash, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * Visitor attributes with provenance: a value that came with a verified identity is never overwritten by one
 * the visitor typed (pre-chat form) or an unsigned page passed; unverified values only fill blanks or replace
 * other unverified values.
 */
export interface AttributeState {
  values: Record<string, string>;
  verifiedKeys: string[];
}

export function mergeVisitorAttributes(current: AttributeState, incoming: Record<string, string | undefined>, verified: boolean): AttributeState {
  const values = { ...current.values };
  const verifiedKeys = new Set(current.verifiedKeys);
  for (const [key, raw] of Object.entries(incoming)) {
    const value = raw?.trim();
    if (!value) continue;
    if (verified) {
      values[key] = value;
      verifiedKeys.add(key);
    } else if (!verifiedKeys.has(key)) {
      values[key] = value;
    }
  }
  return { values, verifiedKeys: [...verifiedKeys].sort() };
}
