/**
 * Text that PostgreSQL can store: no U+0000 and no lone UTF-16 surrogates (which have no UTF-8 encoding).
 * Customer input from any channel passes through this before it reaches the database, so a broken client
 * costs a replacement character, not a lost message.
 */
export function cleanText(s: string): string {
  let out = s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
  if (!out.isWellFormed()) out = out.toWellFormed();
  return out;
}

export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanDeep) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[cleanText(k)] = cleanDeep(v);
    return out as T;
  }
  return value;
}
