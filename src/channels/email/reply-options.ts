import { z } from 'zod';
import { invalid } from '../../shared/errors';

const address = z.email().max(254);

/**
 * What an agent may set on an e-mail reply (`contentAttributes.email`). Checked when the reply is written, so a
 * mistyped address is a clear 400 to the agent instead of a recipient silently left out at send time.
 */
export function checkEmailReplyAttributes(attrs: Record<string, unknown> | undefined) {
  const e = attrs?.email;
  if (e === undefined) return;
  if (typeof e !== 'object' || e === null) throw invalid('contentAttributes.email', 'must be an object', 'invalid_email_options');
  const o = e as Record<string, unknown>;
  for (const field of ['to', 'cc', 'bcc'] as const) {
    const v = o[field];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length > 50) throw invalid(`contentAttributes.email.${field}`, 'must be a list of at most 50 addresses', 'invalid_email_address');
    v.forEach((a, i) => {
      if (typeof a !== 'string' || !address.safeParse(a.trim()).success) {
        throw invalid(`contentAttributes.email.${field}.${i}`, `${JSON.stringify(String(a)).slice(0, 300)} is not a valid e-mail address`, 'invalid_email_address');
      }
    });
  }
}
