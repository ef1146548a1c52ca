import type { Expectation } from '../domain/response-expectation';
import { localDateOf } from '../domain/business-hours';
import { markdownToText } from '../shared/markdown';

/** Customer-facing texts the server writes (bot messages, transcript mail), in Dutch and English. */
export type WidgetLocale = 'nl' | 'en';

/** Where the widget's expectation is said: the inbox calendar's time zone and the present moment. */
export interface ExpectationContext {
  timeZone: string;
  now: Date;
}

const WEEKDAYS: Record<WidgetLocale, string[]> = {
  nl: ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** "9:00" in the inbox's time zone (people say 9:00, not 09:00). */
function clockTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('nl-NL', { timeZone, hour: 'numeric', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** "vandaag om 13:00", "morgen om 9:00", "maandag om 9:00", "op 4 januari om 9:00" (and English). */
export function formatReturn(locale: WidgetLocale, at: Date, ctx: ExpectationContext): string {
  const day = localDateOf(ctx.timeZone, at);
  const today = localDateOf(ctx.timeZone, ctx.now);
  const days = (Date.UTC(day.y, day.m - 1, day.d) - Date.UTC(today.y, today.m - 1, today.d)) / 86_400_000;
  const time = clockTime(at, ctx.timeZone);
  const weekday = WEEKDAYS[locale][new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay()]!;
  if (locale === 'nl') {
    if (days === 0) return `vandaag om ${time}`;
    if (days === 1) return `morgen om ${time}`;
    if (days < 7) return `${weekday} om ${time}`;
    return `op ${weekday} ${new Intl.DateTimeFormat('nl-NL', { timeZone: ctx.timeZone, day: 'numeric', month: 'long' }).format(at)} om ${time}`;
  }
  if (days === 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  if (days < 7) return `on ${weekday} at ${time}`;
  return `on ${weekday} ${new Intl.DateTimeFormat('en-GB', { timeZone: ctx.timeZone, day: 'numeric', month: 'long' }).format(at)} at ${time}`;
}

/**
 * The header sentence: concrete and true. Measured history says "usually within"; without it, the team's
 * target is called a target; closed says when we are back. Never "as soon as possible".
 */
function expectationText(locale: WidgetLocale, e: Expectation, ctx: ExpectationContext): string {
  if (e.kind === 'closed') {
    const when = e.opensAt ? formatReturn(locale, e.opensAt, ctx) : null;
    if (locale === 'nl') {
      return `${when ? `We zijn er weer ${when}.` : 'We zijn voorlopig gesloten.'} Laat gerust uw bericht achter, of uw e-mailadres: dan antwoorden we per e-mail.`;
    }
    return `${when ? `We are back ${when}.` : 'We are closed for now.'} Leave your message, or your e-mail address and we will answer by e-mail.`;
  }
  const span = formatMinutes(locale, e.minutes);
  const until = e.closesAt ? clockTime(e.closesAt, ctx.timeZone) : null;
  if (locale === 'nl') {
    const lead = e.source === 'history' ? `Een medewerker antwoordt meestal binnen ${span}` : `We streven ernaar binnen ${span} te antwoorden`;
    return `${lead}${until ? `; we zijn er vandaag tot ${until}` : ''}.`;
  }
  const lead = e.source === 'history' ? `A person usually answers within ${span}` : `We aim to answer within ${span}`;
  return `${lead}${until ? `; we are here until ${until} today` : ''}.`;
}

export function formatMinutes(locale: WidgetLocale, minutes: number): string {
  if (minutes < 60) return locale === 'nl' ? `${minutes} ${minutes === 1 ? 'minuut' : 'minuten'}` : `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const h = Math.round(minutes / 60);
  return locale === 'nl' ? `${h} uur` : `${h} ${h === 1 ? 'hour' : 'hours'}`;
}

type Vars = Record<string, unknown>;
const texts: Record<string, Record<WidgetLocale, (v: Vars) => string>> = {
  answer: {
    nl: (v) => `Ik ben de chatbot en heb dit artikel gevonden: "${v.title}".\n\n${excerpt(String(v.body))}\n\nLees verder: ${v.url}\n\nHeeft dit u geholpen?`,
    en: (v) => `I am the chatbot and found this article: "${v.title}".\n\n${excerpt(String(v.body))}\n\nRead more: ${v.url}\n\nDid this help?`,
  },
  handover: {
    nl: (v) => `${v.reason === 'asked_for_human' ? 'Natuurlijk.' : v.reason === 'low_confidence' ? 'Daar weet ik als chatbot geen goed antwoord op.' : 'Sorry dat ik u niet verder kon helpen.'} Ik geef het gesprek door aan een medewerker. ${expectationText('nl', v.expectation as Expectation, v.ctx as ExpectationContext)}`,
    en: (v) => `${v.reason === 'asked_for_human' ? 'Of course.' : v.reason === 'low_confidence' ? 'As a chatbot I do not have a good answer to that.' : 'Sorry I could not help you further.'} I am passing the conversation to a person. ${expectationText('en', v.expectation as Expectation, v.ctx as ExpectationContext)}`,
  },
  glad: { nl: () => 'Fijn dat het geholpen heeft! Kan ik nog iets voor u opzoeken?', en: () => 'Glad it helped! Anything else I can look up for you?' },
  rephrase: {
    nl: () => 'Jammer. Wilt u uw vraag anders stellen? Of typ "medewerker", dan krijgt u een mens.',
    en: () => 'Sorry about that. Could you rephrase your question? Or type "human" to reach a person.',
  },
  you: { nl: () => 'U', en: () => 'You' },
  agent: { nl: () => 'Medewerker', en: () => 'Agent' },
  transcriptSubject: { nl: (v) => `Uw chatgesprek (#${v.number})`, en: (v) => `Your chat conversation (#${v.number})` },
  transcriptIntro: {
    nl: (v) => `Hier is uw chatgesprek.${v.continues ? ' Antwoordt u gerust op deze e-mail: we gaan per e-mail verder.' : ''}`,
    en: (v) => `Here is your chat conversation.${v.continues ? ' Feel free to reply to this e-mail: we will continue by e-mail.' : ''}`,
  },
  confirmSubject: { nl: () => 'Bevestig uw e-mailadres voor uw chatgesprek', en: () => 'Confirm your e-mail address for your chat conversation' },
  confirmBody: {
    nl: (v) =>
      `In de chat op onze website is gevraagd om het gesprek per e-mail te ontvangen op dit adres.\n\nWas u dat? Bevestig dan dat dit uw e-mailadres is:\n${v.url}\n\n` +
      `Daarna sturen we u het gesprek${v.continues ? ' en gaan we per e-mail verder' : ''}. De link werkt ${v.hours} uur en één keer.\n\n` +
      'Heeft u hier niet om gevraagd? Dan kunt u deze e-mail negeren: u ontvangt niets van dit gesprek.',
    en: (v) =>
      `In the chat on our website someone asked to receive the conversation by e-mail at this address.\n\nWas that you? Then confirm that this is your e-mail address:\n${v.url}\n\n` +
      `After that we send you the conversation${v.continues ? ' and continue by e-mail' : ''}. The link works for ${v.hours} hours, once.\n\n` +
      'Did you not ask for this? Then ignore this e-mail: you will receive nothing of this conversation.',
  },
  copyIntro: {
    nl: (v) => (Number(v.count) > 1 ? 'U heeft nieuwe antwoorden in uw chatgesprek:' : 'U heeft een nieuw antwoord in uw chatgesprek:'),
    en: (v) => (Number(v.count) > 1 ? 'There are new answers in your chat conversation:' : 'There is a new answer in your chat conversation:'),
  },
  copyOutro: {
    nl: () => 'Antwoordt u gerust op deze e-mail, of ga verder in de chat op onze website.',
    en: () => 'Simply reply to this e-mail, or continue in the chat on our website.',
  },
  earlier: { nl: () => 'Eerder in dit gesprek:', en: () => 'Earlier in this conversation:' },
};

export function botText(locale: WidgetLocale, key: keyof typeof texts, vars: Vars): string {
  return texts[key]![locale](vars);
}

export { expectationText };

function excerpt(md: string): string {
  const t = markdownToText(md);
  return t.length > 280 ? `${t.slice(0, 277).replace(/\s+\S*$/, '')}…` : t;
}
