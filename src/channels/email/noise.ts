/**
 * Auto-replies and list mail: recognised so Balie never answers them automatically (mail loops) and the agent
 * sees what they are. Header evidence first (RFC 3834 Auto-Submitted, the de-facto X-Autoreply / Precedence),
 * then out-of-office subjects and the opening of the body in Dutch and English. The text patterns are
 * deliberately narrow: a customer who writes "Vakantie naar Spanje" or "I got an automatic reply" is a person.
 */
const OOO_SUBJECT =
  /^(auto(matic)?[ -]?(reply|response|antwoord)|autoreply|automatisch(e)? (antwoord|reactie|beantwoording)|out of (the )?office|ooo\b|afwezigheids(assistent|melding|bericht)|afwezig(heid)?\s*(tot|t\/m|van|vanaf|:|-|\()|niet aanwezig\s*(tot|t\/m|:|-)|buiten kantoor|abwesenheitsnotiz|vakantiemelding|(vacation|holiday) (reply|response|notice|message)|away from (the )?office)/i;

/** How an out-of-office body starts ("Dit is een automatisch antwoord", "Thank you for your mail. I am out of the office"). */
const OOO_BODY_START = new RegExp(
  [
    '^(dit is een automatisch(e)? (gegenereerd(e)? )?(antwoord|bericht|reactie))',
    '^(this is an? auto(matic|mated|matically generated) (reply|response|message))',
    '^((hallo|hello|hi|beste|goedendag|goedemiddag|dear)\\b[^.!\\n]{0,40}[,!.]?\\s*)?((bedankt|dank) voor|thank you for|thanks for) (je|jouw|uw|your) (e-?mail|mail|bericht|message)[.!,]?\\s*(ik ben|i am|i\'m) (momenteel |op dit moment |currently |tot [^.]{0,40})?(afwezig|niet aanwezig|niet op kantoor|out of (the )?office|away)',
    '^(ik ben (momenteel |op dit moment |vandaag |tot en met [^.]{0,30}|tot [^.]{0,30})?(afwezig|niet aanwezig|niet op kantoor))',
    '^(i am|i\'m) (currently )?(out of (the )?office|away from (the )?office)',
  ].join('|'),
  'i',
);

/** Phrases that only out-of-office assistants write, anywhere near the top. */
const OOO_BODY_ANYWHERE = /afwezigheidsassistent|automatische afwezigheidsmelding|out[- ]of[- ]office (assistant|reply|auto-?reply)/i;

export type NoiseKind = 'auto_reply' | 'bulk' | 'bounce' | null;

export function noiseKind(headers: Record<string, string>, subject: string, isDsn: boolean, body = ''): NoiseKind {
  if (isDsn) return 'bounce';
  const auto = headers['auto-submitted']?.toLowerCase().trim();
  if (auto && !auto.startsWith('no')) return 'auto_reply';
  if (headers['x-autoreply'] || headers['x-autorespond']) return 'auto_reply';
  const precedence = headers.precedence?.toLowerCase().trim();
  if (precedence === 'auto_reply') return 'auto_reply';
  if (OOO_SUBJECT.test(subject.replace(/^((re|aw|antw|fw|fwd|wg)\s*:\s*)+/i, '').trim())) return 'auto_reply';
  const opening = body.slice(0, 600).replace(/\s+/g, ' ').trim();
  if (OOO_BODY_START.test(opening) || OOO_BODY_ANYWHERE.test(opening)) return 'auto_reply';
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk' || headers['list-id']) return 'bulk';
  return null;
}

/** Noise that must never get an automatic answer nor count as the customer's reply (bounces are handled apart). */
export const isAutomaticMail = (kind: NoiseKind): kind is 'auto_reply' | 'bulk' => kind === 'auto_reply' || kind === 'bulk';
