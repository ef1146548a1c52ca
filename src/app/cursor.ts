import { invalid } from '../shared/errors';

/**
 * Opaque pagination cursors: base64url JSON of the last row's sort key. Clients must not build them; a
 * tampered cursor is a 422, never a 500.
 */
export function encodeCursor(value: Record<string, string | number | null>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const k of keys) {
      const v = parsed[k];
      if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw new Error('bad');
    }
    return parsed as Record<K, string>;
  } catch {
    throw invalid('cursor', 'is not a cursor this API returned', 'invalid_cursor');
  }
}

export function cursorDate(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid('cursor', 'is not a cursor this API returned', 'invalid_cursor');
  return d;
}

export function cursorUuid(value: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(String(value))) throw invalid('cursor', 'is not a cursor this API returned', 'invalid_cursor');
  return value;
}
