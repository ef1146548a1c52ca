import { localDateOf } from './business-hours';

/**
 * Customer-facing promise sentences, Dutch and English, written the way a person would say it: a concrete day
 * and time, who will do what, and for case types known to take long the honest explanation and the
 * alternative. Never "your request is being processed".
 */
export type Locale = 'nl' | 'en';

export interface CaseTypeNote {
  /** e.g. "Bij een kabelbreuk moeten we vaak de kabel opgraven; dat duurt meestal 3 tot 5 weken." */
  explanation: string;
  /** e.g. "Wil je intussen online blijven? Dan sturen we je een 4G-dongle." */
  alternative?: string;
}

/** Per label, per locale; configured by the workspace admin. */
export type CaseTypeNotes = Record<string, Partial<Record<Locale, CaseTypeNote>>>;

const WEEKDAYS: Record<Locale, string[]> = {
  nl: ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const MONTHS: Record<Locale, string[]> = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

function clock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('nl-NL', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

const dayNumber = (d: { y: number; m: number; d: number }) => Date.UTC(d.y, d.m - 1, d.d) / 86_400_000;

/** "vandaag vóór 15:00", "morgen vóór 11:00", "maandag 7 december vóór 10:00" (and the English forms). */
export function formatDeadline(at: Date, now: Date, timeZone: string, locale: Locale): string {
  const day = localDateOf(timeZone, at);
  const today = localDateOf(timeZone, now);
  const diff = dayNumber(day) - dayNumber(today);
  const time = clock(at, timeZone);
  const weekday = WEEKDAYS[locale][new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay()]!;
  if (locale === 'nl') {
    if (diff === 0) return `vandaag vóór ${time}`;
    if (diff === 1) return `morgen vóór ${time}`;
    return `${weekday} ${day.d} ${MONTHS.nl[day.m - 1]} vóór ${time}`;
  }
  if (diff === 0) return `before ${time} today`;
  if (diff === 1) return `before ${time} tomorrow`;
  return `before ${time} on ${weekday} ${day.d} ${MONTHS.en[day.m - 1]}`;
}

export interface PromiseTextInput {
  locale: Locale;
  timeZone: string;
  now: Date;
  firstResponseDueAt: Date;
  customerName?: string | null;
  /** The case type, for a configured explanation and alternative. */
  label?: string | null;
  notes?: CaseTypeNotes;
  statusUrl?: string | null;
}

const firstName = (name?: string | null) => (name ?? '').trim().split(/\s+/)[0] ?? '';

export function promiseText(input: PromiseTextInput): string {
  const when = formatDeadline(input.firstResponseDueAt, input.now, input.timeZone, input.locale);
  const name = firstName(input.customerName);
  const note = input.label ? input.notes?.[input.label]?.[input.locale] : undefined;
  const parts: string[] = [];
  if (input.locale === 'nl') {
    parts.push(`Dank je wel${name ? `, ${name}` : ''}. Een collega leest je bericht en je hoort ${when} persoonlijk van ons.`);
  } else {
    parts.push(`Thank you${name ? `, ${name}` : ''}. One of our team will read your message, and you will hear from us personally ${when}.`);
  }
  if (note) {
    parts.push(note.explanation.trim());
    if (note.alternative) parts.push(note.alternative.trim());
  }
  if (input.statusUrl) {
    parts.push(input.locale === 'nl' ? `Hoe het ervoor staat, zie je altijd hier: ${input.statusUrl}` : `You can always see where things stand here: ${input.statusUrl}`);
  }
  return parts.join(' ');
}

/** The message an agent can send when the promise will be missed: own it, and give a new realistic time. */
export function newTimeText(input: { locale: Locale; timeZone: string; now: Date; promisedAt: Date; newDueAt: Date; customerName?: string | null }): string {
  const name = firstName(input.customerName);
  const promised = formatDeadline(input.promisedAt, input.now, input.timeZone, input.locale);
  const next = formatDeadline(input.newDueAt, input.now, input.timeZone, input.locale);
  if (input.locale === 'nl') {
    return `${name ? `Hoi ${name}, we` : 'We'} hadden je beloofd dat je ${promised} van ons zou horen. Dat gaat ons niet lukken, en dat spijt me. Je hoort ${next} van ons; eerder als het kan.`;
  }
  return `${name ? `Hi ${name}, we` : 'We'} promised you would hear from us ${promised}. We are not going to make that, and I am sorry. You will hear from us ${next}, sooner if we can.`;
}
