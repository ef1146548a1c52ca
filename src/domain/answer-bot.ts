/**
 * The answer bot's rules, pure: when to answer with an article and when to hand over to a person. The bot
 * answers only what the knowledge base really answers; a request for a human, low confidence or two unhelpful
 * answers hand over at once. It never pretends to be human (the texts say it is a bot).
 */
export interface BotHit {
  articleId: string;
  /** 0..1: how much of the question the article covers (see app/kb-search.ts). */
  confidence: number;
}

export type BotDecision =
  | { action: 'answer'; articleId: string; confidence: number }
  | { action: 'handover'; reason: 'asked_for_human' | 'low_confidence' | 'unhelpful_answers' };

export const DEFAULT_THRESHOLD = 0.6;
export const MAX_UNHELPFUL = 2;

const humanWords = [
  'medewerker', 'medewerkers', 'medewerkster', 'mens', 'mensen', 'agents', 'humans', 'persoon', 'iemand', 'agent', 'human', 'person', 'someone', 'operator',
  'representative', 'klantenservice', 'bellen', 'call', 'collega', 'echt iemand', 'real person', 'live chat', 'support staff',
];
const normalize = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Long words someone typing fast on a phone misspells ("medewerkr", "klantenservcie"): one typo is still a request. */
const fuzzyWords = ['medewerker', 'medewerkster', 'klantenservice', 'representative', 'operator'];

export function wantsHuman(text: string): boolean {
  const t = ` ${normalize(text).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ')} `;
  if (humanWords.some((w) => t.includes(` ${w} `))) return true;
  return t.trim().split(' ').some((token) => token.length >= 7 && fuzzyWords.some((w) => withinOneEdit(token, w)));
}

/** Levenshtein distance ≤ 1, with an adjacent swap counted as one edit. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export function decide(input: { text: string; best: BotHit | null; threshold: number; unhelpfulAnswers: number }): BotDecision {
  if (wantsHuman(input.text)) return { action: 'handover', reason: 'asked_for_human' };
  if (input.unhelpfulAnswers >= MAX_UNHELPFUL) return { action: 'handover', reason: 'unhelpful_answers' };
  if (!input.best || input.best.confidence < input.threshold) return { action: 'handover', reason: 'low_confidence' };
  return { action: 'answer', articleId: input.best.articleId, confidence: input.best.confidence };
}
