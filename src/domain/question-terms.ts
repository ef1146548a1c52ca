/**
 * Does a reply address what the customer asked? The key terms of the questions in the customer's latest message
 * (sentences ending in "?"), minus function words, compared with the draft by stem. Real Snowball stemmers for
 * Dutch and English are passed in where available (the server); without them (the browser, where the stemmer
 * library is too large to ship) a light suffix rule for both languages does the work.
 */
export type Stemmer = (word: string) => string;
export interface Stemmers {
  nl?: Stemmer;
  en?: Stemmer;
}

const FUNCTION_WORDS = new Set([
  // Dutch
  'de', 'het', 'een', 'je', 'jij', 'u', 'wij', 'we', 'ik', 'niet', 'en', 'van', 'is', 'dat', 'voor', 'met', 'op', 'bij', 'uw', 'jouw', 'graag',
  'wat', 'waar', 'wanneer', 'waarom', 'hoe', 'wie', 'welke', 'kan', 'kunt', 'kun', 'mijn', 'mij', 'me', 'er', 'nog', 'al', 'ook', 'dan', 'om',
  'te', 'aan', 'naar', 'uit', 'zijn', 'was', 'heb', 'hebt', 'heeft', 'wordt', 'worden', 'moet', 'mag', 'wil', 'zou', 'dit', 'die', 'deze',
  'hallo', 'hoi', 'dag', 'even', 'toch', 'maar', 'of', 'als', 'ze', 'zij', 'hij', 'ons', 'onze', 'jullie', 'gaat', 'gaan', 'komt', 'doen', 'doe',
  // English
  'the', 'a', 'you', 'i', 'not', 'and', 'of', 'that', 'for', 'with', 'on', 'your', 'to', 'please', 'will', 'what', 'where', 'when', 'why', 'how',
  'who', 'which', 'can', 'could', 'my', 'are', 'do', 'does', 'did', 'have', 'has', 'it', 'this', 'there', 'still', 'yet', 'be', 'an', 'in',
  'at', 'or', 'if', 'would', 'should', 'hello', 'hi', 'get', 'any', 'some', 'our', 'they', 'them', 'just', 'about',
]);

export const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];

/** Key terms of the questions in the customer's message, in order, once each. */
export function questionTerms(customerText: string): string[] {
  const questions = customerText.match(/[^.!?\n]*\?/g) ?? [];
  const words = questions.flatMap(wordsOf).filter((w) => w.length >= 4 && !FUNCTION_WORDS.has(w) && !/^\d+$/.test(w));
  return [...new Set(words)];
}

/** Strips the commonest Dutch and English inflections: bestellingen → bestel, delivered and delivery → deliver, pakketten → pakket. */
export function lightStem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ['ingen', 'ing', 'heden', 'ties', 'tion', 'ness', 'ment', 'eren', 'ies', 'en', 'es', 'ed', 'ly', 'er', 'y', 's', 'e', 't']) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // pakketten → pakket: a doubled consonant left at the end is one.
  return w.replace(/([b-df-hj-np-tv-z])\1$/, '$1');
}

function stemsOf(word: string, stemmers: Stemmers): string[] {
  const out = [lightStem(word)];
  if (stemmers.nl) out.push(`nl:${stemmers.nl(word)}`);
  if (stemmers.en) out.push(`en:${stemmers.en(word)}`);
  return out;
}

export interface AnswerCheck {
  terms: string[];
  /** Terms the draft never touches (by any stem, or as the start of a Dutch compound). */
  missing: string[];
  /** True when the draft leaves the question unaddressed: none of the terms, or under half of three or more. */
  unanswered: boolean;
}

export function checkAnswer(customerText: string, draft: string, stemmers: Stemmers = {}): AnswerCheck {
  const terms = questionTerms(customerText);
  const draftWords = wordsOf(draft);
  const draftStems = new Set(draftWords.flatMap((w) => stemsOf(w, stemmers)));
  const touched = (term: string) =>
    stemsOf(term, stemmers).some((s) => draftStems.has(s)) ||
    // Dutch glues words together: "internetstoring" answers "internet", "leverdatum" answers "levering" only by stem.
    draftWords.some((w) => (w.length > term.length && w.startsWith(term)) || (term.length > w.length && w.length >= 5 && term.startsWith(w)));
  const missing = terms.filter((t) => !touched(t));
  const unanswered = terms.length > 0 && (missing.length === terms.length || (terms.length >= 3 && missing.length > terms.length / 2));
  return { terms, missing, unanswered };
}
