/**
 * Auto-replies and list mail: recognised so Balie never answers them automatically (mail loops) and the agent
 * sees what they are. Header evidence first (RFC 3834 Auto-Submitted, the de-facto X-Autoreply / Precedence),
 * then out-of-office subjects in Dutch and English.
 */
const OOO_SUBJECT = /^(auto(matic)?[ -]?(reply|response|antwoord)|automatisch antwoord|out of (the )?office|afwezig|niet aanwezig|buiten kantoor|abwesenheitsnotiz|vacation|vakantie|away from)/i;

export type NoiseKind = 'auto_reply' | 'bulk' | 'bounce' | null;

export function noiseKind(headers: Record<string, string>, subject: string, isDsn: boolean): NoiseKind {
  if (isDsn) return 'bounce';
  const auto = headers['auto-submitted']?.toLowerCase();
  if (auto && auto !== 'no') return 'auto_reply';
  if (headers['x-autoreply'] || headers['x-autorespond']) return 'auto_reply';
  if (/\b(oof|all)\b/i.test(headers['x-auto-response-suppress'] ?? '') && OOO_SUBJECT.test(subject.trim())) return 'auto_reply';
  const precedence = headers.precedence?.toLowerCase();
  if (precedence === 'auto_reply') return 'auto_reply';
  if (OOO_SUBJECT.test(subject.replace(/^(re|aw|antw):\s*/i, '').trim())) return 'auto_reply';
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk' || headers['list-id']) return 'bulk';
  return null;
}
