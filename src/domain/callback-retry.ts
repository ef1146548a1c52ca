import { addBusinessMs, type BusinessCalendar } from './business-hours';

/**
 * What happens after an attempt to call a customer back: reached → done; not reached → try again after a pause
 * inside business hours, until the attempts run out (then the request is "unreachable" and the customer has
 * been told each time). Pure: the calendar and the clock are passed in.
 */
export type AttemptOutcome = 'reached' | 'no_answer' | 'busy' | 'voicemail' | 'failed';
export const MAX_CALLBACK_ATTEMPTS = 3;
export const CALLBACK_RETRY_MINUTES = 60;

export type NextStep = { status: 'done'; dueAt: null } | { status: 'scheduled'; dueAt: Date } | { status: 'unreachable'; dueAt: null };

export function afterAttempt(input: { outcome: AttemptOutcome; attemptsBefore: number; cal: BusinessCalendar; now: Date; maxAttempts?: number; retryMinutes?: number }): NextStep {
  if (input.outcome === 'reached') return { status: 'done', dueAt: null };
  const attempts = input.attemptsBefore + 1;
  if (attempts >= (input.maxAttempts ?? MAX_CALLBACK_ATTEMPTS)) return { status: 'unreachable', dueAt: null };
  const dueAt = addBusinessMs(input.cal, input.now, (input.retryMinutes ?? CALLBACK_RETRY_MINUTES) * 60_000);
  // A calendar without open time: retry after the plain pause rather than never.
  return { status: 'scheduled', dueAt: dueAt ?? new Date(input.now.getTime() + (input.retryMinutes ?? CALLBACK_RETRY_MINUTES) * 60_000) };
}

const fmt = (at: Date, timeZone: string, locale: 'nl' | 'en') =>
  new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(at);

/** The message a customer gets when we tried to call them back and did not reach them. */
export function missedCallbackText(input: { locale: 'nl' | 'en'; timeZone: string; next: NextStep; name?: string | null }): string {
  const nl = input.locale === 'nl';
  const hi = input.name ? (nl ? `Hoi ${input.name}, ` : `Hi ${input.name}, `) : nl ? 'Hoi, ' : 'Hi, ';
  const tried = nl ? 'we hebben je net geprobeerd terug te bellen, maar kregen je niet te pakken.' : 'we just tried to call you back, but could not reach you.';
  if (input.next.status === 'scheduled') {
    const when = fmt(input.next.dueAt, input.timeZone, input.locale);
    return `${hi}${tried} ${nl ? `We bellen je opnieuw rond ${when}.` : `We will call you again around ${when}.`}`;
  }
  return `${hi}${tried} ${nl ? 'Wil je ons bellen, of antwoord op dit bericht wanneer het je schikt?' : 'Would you call us, or reply to this message when it suits you?'}`;
}
