/**
 * The reply coach: a pure rule that reads an agent's draft (Dutch or English) and points out what makes a reply
 * formulaic or leaves the customer uncertain — stock phrases, vague promises without a time, no next step, and
 * not answering what the customer asked. It advises; it never blocks sending.
 */
import { checkAnswer, questionTerms, type Stemmers } from './question-terms';

export type CoachLocale = 'nl' | 'en';
export type CoachIssueKind = 'stock_phrase' | 'vague_promise' | 'no_next_step' | 'unanswered_question';

export interface CoachPhrase {
  phrase: string;
  /** What to write instead (may hold a [placeholder] for the agent to fill). */
  suggestion: string;
}

export interface CoachLists {
  stockPhrases: Record<CoachLocale, CoachPhrase[]>;
  vaguePromises: Record<CoachLocale, CoachPhrase[]>;
}

export const defaultCoachLists: CoachLists = {
  stockPhrases: {
    nl: [
      { phrase: 'excuses voor het ongemak', suggestion: 'Vervelend dat dit je overkomt' },
      { phrase: 'onze excuses voor het ongemak', suggestion: 'Vervelend dat dit je overkomt' },
      { phrase: 'uw verzoek is in behandeling', suggestion: 'Ik zoek dit nu voor je uit' },
      { phrase: 'je verzoek is in behandeling', suggestion: 'Ik zoek dit nu voor je uit' },
      { phrase: 'wij hebben uw e-mail in goede orde ontvangen', suggestion: 'Dank voor je bericht' },
      { phrase: 'in goede orde ontvangen', suggestion: 'ontvangen' },
      { phrase: 'wij betreuren het', suggestion: 'Het spijt me' },
      { phrase: 'hopende u hiermee voldoende te hebben geïnformeerd', suggestion: 'Laat het me weten als er nog iets onduidelijk is' },
      { phrase: 'voor vragen kunt u altijd contact opnemen', suggestion: 'Heb je nog een vraag? Antwoord gewoon op dit bericht' },
    ],
    en: [
      { phrase: 'we apologize for any inconvenience', suggestion: 'I am sorry this happened to you' },
      { phrase: 'we apologise for any inconvenience', suggestion: 'I am sorry this happened to you' },
      { phrase: 'sorry for any inconvenience', suggestion: 'I am sorry this happened to you' },
      { phrase: 'your request is being processed', suggestion: 'I am looking into this for you now' },
      { phrase: 'your request has been received', suggestion: 'Thanks for your message' },
      { phrase: 'we value your feedback', suggestion: 'Thank you for telling us' },
      { phrase: 'please do not hesitate to contact us', suggestion: 'If anything is unclear, just reply to this message' },
    ],
  },
  vaguePromises: {
    nl: [
      { phrase: 'zo snel mogelijk', suggestion: 'vóór [dag en tijd]' },
      { phrase: 'z.s.m.', suggestion: 'vóór [dag en tijd]' },
      { phrase: 'zsm', suggestion: 'vóór [dag en tijd]' },
      { phrase: 'binnenkort', suggestion: 'vóór [dag en tijd]' },
      { phrase: 'op korte termijn', suggestion: 'vóór [dag en tijd]' },
      { phrase: 'we komen erop terug', suggestion: 'ik laat je vóór [dag en tijd] weten hoe het zit' },
      { phrase: 'we nemen contact met u op', suggestion: 'ik bel of mail je vóór [dag en tijd]' },
    ],
    en: [
      { phrase: 'as soon as possible', suggestion: 'by [day and time]' },
      { phrase: 'asap', suggestion: 'by [day and time]' },
      { phrase: 'shortly', suggestion: 'by [day and time]' },
      { phrase: 'in due course', suggestion: 'by [day and time]' },
      { phrase: 'we will get back to you', suggestion: 'I will let you know by [day and time]' },
      { phrase: 'we will be in touch', suggestion: 'I will call or e-mail you by [day and time]' },
    ],
  },
};

export interface CoachIssue {
  kind: CoachIssueKind;
  /** Offsets in the draft (for stock phrases and vague promises). */
  start?: number;
  end?: number;
  phrase?: string;
  suggestion?: string;
  /** For unanswered questions: the customer's words the reply does not touch. */
  missingWords?: string[];
}

export interface CoachResult {
  locale: CoachLocale;
  issues: CoachIssue[];
  /** The draft with stock phrases and vague promises replaced by the suggestions; null when nothing to change. */
  rewrite: string | null;
}

const NL_HINTS = ['de', 'het', 'een', 'je', 'u', 'wij', 'we', 'ik', 'niet', 'en', 'van', 'is', 'dat', 'voor', 'met', 'op', 'bij', 'uw', 'jouw', 'graag'];
const EN_HINTS = ['the', 'a', 'you', 'we', 'i', 'not', 'and', 'of', 'is', 'that', 'for', 'with', 'on', 'your', 'to', 'please', 'will'];

const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];

export function detectLocale(text: string, fallback: CoachLocale = 'nl'): CoachLocale {
  const w = wordsOf(text);
  const nl = w.filter((x) => NL_HINTS.includes(x)).length;
  const en = w.filter((x) => EN_HINTS.includes(x)).length;
  if (nl === en) return fallback;
  return nl > en ? 'nl' : 'en';
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whole-phrase, case-insensitive match that does not start or end inside a word. */
const phraseRe = (phrase: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(phrase)}(?![\\p{L}\\p{N}])`, 'giu');

// A concrete time or day: 14:00, 14.30 uur, 3 december, morgen, maandag, within 2 hours, binnen 3 werkdagen …
const TIME_RE =
  /(\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(uur|u|am|pm)\b|\b(vandaag|morgen|overmorgen|vanmiddag|vanavond|vanochtend|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|today|tomorrow|tonight|this (morning|afternoon|evening)|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b\d{1,2}\s(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|march|june|july|august|october)\b|\b(binnen|within|in)\s\d+\s?(minuten|minuut|uur|uren|dagen|dag|werkdagen|weken|week|minutes|minute|hours|hour|days|day|business days|weeks)\b)/iu;
// A next step someone takes: "ik stuur", "we bellen", "je ontvangt", "I will", "we'll send", "you will receive" …
const STEP_RE =
  /\b(ik|we|wij|je|u)\s(stuur|sturen|bel|bellen|mail|mailen|ontvangt|krijgt|hoort|zet|zetten|regel|regelen|controleer|controleren|plan|plannen|kom|komen|neem|nemen|maak|maken|vraag|vragen|zoek|zoeken|laat|laten|kijk|kijken|pas|passen)\b|\b(i|we|you)\s?('ll|will|are going to)\b|\b(i've|we've|i have|we have)\s(sent|arranged|scheduled|booked|refunded|changed|fixed)\b|\b(heb|hebben)\s(ik|we)\s.{0,40}?(gestuurd|geregeld|ingepland|teruggestort|aangepast|opgelost|verzonden)\b|\bis (opgelost|verzonden|teruggestort|aangepast)\b|\b(has been|is now) (fixed|sent|refunded|changed|resolved)\b/iu;

/** Content words of the customer's questions (sentences ending in "?"); the rule lives in question-terms.ts. */
export const questionWords = questionTerms;

export function coachReply(draft: string, opts: { lists?: CoachLists; customerMessage?: string | null; locale?: CoachLocale; stemmers?: Stemmers } = {}): CoachResult {
  const lists = opts.lists ?? defaultCoachLists;
  const locale = opts.locale ?? detectLocale(draft);
  const issues: CoachIssue[] = [];
  const text = draft;
  if (!text.trim()) return { locale, issues, rewrite: null };

  // Both locales' lists: an English stock phrase in a Dutch reply is just as formulaic.
  const replacements: Array<{ start: number; end: number; suggestion: string }> = [];
  const scan = (kind: CoachIssueKind, phrases: CoachPhrase[]) => {
    // Longest first, so "onze excuses voor het ongemak" wins over its tail.
    for (const p of [...phrases].sort((a, b) => b.phrase.length - a.phrase.length)) {
      for (const m of text.matchAll(phraseRe(p.phrase))) {
        const start = m.index;
        const end = start + m[0].length;
        if (replacements.some((r) => start < r.end && end > r.start)) continue;
        replacements.push({ start, end, suggestion: p.suggestion });
        issues.push({ kind, start, end, phrase: m[0], suggestion: p.suggestion });
      }
    }
  };
  scan('stock_phrase', [...lists.stockPhrases.nl, ...lists.stockPhrases.en]);
  scan('vague_promise', [...lists.vaguePromises.nl, ...lists.vaguePromises.en]);

  if (!TIME_RE.test(text) && !STEP_RE.test(text)) issues.push({ kind: 'no_next_step' });

  if (opts.customerMessage) {
    const check = checkAnswer(opts.customerMessage, text, opts.stemmers);
    if (check.unanswered) issues.push({ kind: 'unanswered_question', missingWords: check.missing.slice(0, 8) });
  }

  issues.sort((a, b) => (a.start ?? Infinity) - (b.start ?? Infinity));
  let rewrite: string | null = null;
  if (replacements.length) {
    rewrite = text;
    for (const r of [...replacements].sort((a, b) => b.start - a.start)) {
      const original = text.slice(r.start, r.end);
      // Keep a capital at the start of a sentence.
      const upper = !!original[0] && original[0] !== original[0].toLowerCase();
      const s = (upper ? r.suggestion[0]!.toUpperCase() : r.suggestion[0]!.toLowerCase()) + r.suggestion.slice(1);
      rewrite = rewrite.slice(0, r.start) + s + rewrite.slice(r.end);
    }
  }
  return { locale, issues, rewrite };
}
