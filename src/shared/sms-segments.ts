/**
 * How many SMS segments a text costs, by the GSM 03.38 rules carriers and Twilio apply: texts that fit the
 * GSM-7 alphabet go 160 characters in one segment or 153 per segment when concatenated (extension characters
 * like € and [ take two septets); any other character makes the whole text UCS-2: 70, or 67 per segment,
 * counted in UTF-16 code units (an emoji is two). Used by the SMS adapter and the composer's counter.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units left in the last segment before another one starts. */
  remaining: number;
}

export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) septets += 1;
    else if (GSM_EXTENSION.includes(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return split('GSM-7', septets, 160, 153);
  return split('UCS-2', text.length, 70, 67);
}

function split(encoding: SmsSegments['encoding'], units: number, single: number, multi: number): SmsSegments {
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, remaining: single - units };
  const segments = Math.ceil(units / multi);
  return { encoding, units, segments, remaining: segments * multi - units };
}
