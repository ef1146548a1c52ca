/**
 * What the inbox editor sends as `settings`. The forms keep every field in one object, with an emptied field as
 * undefined, '' or null; the API keeps what an update does not mention. So, on an update:
 *  - a public setting the inbox had and the admin emptied is sent as `null`, which clears it on the server
 *    (otherwise clearing a signature or SMTP server would silently keep the old value);
 *  - a secret is write-only: an empty field means "keep what is stored" and is not sent; only an explicit
 *    `null` (a form's "remove" button) clears it, and a typed value replaces it.
 * On a create nothing is stored yet, so empty fields are simply left out.
 */
export function settingsForSave(edited: Record<string, unknown>, opts: { original?: Record<string, unknown>; secretKeys: readonly string[] }): Record<string, unknown> {
  const secret = new Set(opts.secretKeys);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(edited)) {
    if (secret.has(key)) {
      if (value === null && opts.original) out[key] = null;
      else if (!isEmpty(value)) out[key] = value;
    } else if (!isEmpty(value)) out[key] = value;
  }
  if (opts.original) {
    for (const key of Object.keys(opts.original)) {
      if (!secret.has(key) && isEmpty(edited[key])) out[key] = null;
    }
  }
  return out;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
