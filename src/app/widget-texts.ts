import type { Expectation } from '../domain/response-expectation';
import { markdownToText } from '../shared/markdown';

/** Customer-facing texts the server writes (bot messages, transcript mail), in Dutch and English. */
export type WidgetLocale = 'nl' | 'en';

function expectationText(locale: WidgetLocale, e: Expectation): string {
  if (e.kind === 'closed') {
    const when = e.opensAt
      ? new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(e.opensAt)
      : null;
    return locale === 'nl'
      ? `We zijn nu gesloten${when ? ` en weer bereikbaar ${when}` : ''}. Laat gerust uw bericht achter, of uw e-mailadres: dan antwoorden we per e-mail.`
      : `We are closed right now${when ? ` and back ${when}` : ''}. Leave your message, or your e-mail address and we will answer by e-mail.`;
  }
  if (e.minutes === null) return locale === 'nl' ? 'Een medewerker leest mee en antwoordt zo snel mogelijk.' : 'A person will read this and answer as soon as they can.';
  const span = formatMinutes(locale, e.minutes);
  return locale === 'nl' ? `Een medewerker antwoordt meestal binnen ${span}.` : `A person usually answers within ${span}.`;
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
    nl: (v) => `${v.reason === 'asked_for_human' ? 'Natuurlijk.' : v.reason === 'low_confidence' ? 'Daar weet ik als chatbot geen goed antwoord op.' : 'Sorry dat ik u niet verder kon helpen.'} Ik geef het gesprek door aan een medewerker. ${expectationText('nl', v.expectation as Expectation)}`,
    en: (v) => `${v.reason === 'asked_for_human' ? 'Of course.' : v.reason === 'low_confidence' ? 'As a chatbot I do not have a good answer to that.' : 'Sorry I could not help you further.'} I am passing the conversation to a person. ${expectationText('en', v.expectation as Expectation)}`,
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
};

export function botText(locale: WidgetLocale, key: keyof typeof texts, vars: Vars): string {
  return texts[key]![locale](vars);
}

export { expectationText };

function excerpt(md: string): string {
  const t = markdownToText(md);
  return t.length > 280 ? `${t.slice(0, 277).replace(/\s+\S*$/, '')}…` : t;
}
