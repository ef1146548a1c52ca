/**
 * Ping-pong detection: when a written conversation goes back and forth, one phone call costs less than the next
 * three e-mails (misunderstandings, re-reading the case every time). This rule decides when Balie suggests
 * "call this customer" and says why, so the agent can judge the suggestion instead of trusting a score.
 * Pure: the caller passes the thread, the thresholds and the clock.
 */
export interface ThreadMessage {
  /** Customer (inbound) or agent (outbound); notes and bot answers are not part of the exchange. */
  from: 'customer' | 'agent';
  content: string;
  at: Date;
}

export interface PingPongThresholds {
  /** Customer → agent → customer round trips without resolution before a call is suggested. */
  exchanges: number;
  /** A customer question this similar (0..1, word overlap) to an earlier one counts as asked again. */
  repeatSimilarity: number;
  /** Extra NL/EN signal words of frustration (the built-in list is always used). */
  frustrationWords: string[];
}

export const defaultPingPongThresholds: PingPongThresholds = { exchanges: 3, repeatSimilarity: 0.6, frustrationWords: [] };

export type PingPongReason =
  | { kind: 'exchanges'; count: number }
  | { kind: 'repeated_question'; excerpt: string }
  | { kind: 'frustration'; signal: string }
  | { kind: 'promise_at_risk' };

export interface PingPongVerdict {
  suggestCall: boolean;
  reasons: PingPongReason[];
}

/**
 * Words and phrases customers use when a written thread is not working. Matched as whole words, accents and
 * case ignored. Kept short on purpose: a false "call me" nudge annoys agents more than a missed one.
 */
const FRUSTRATION_SIGNALS = [
  // Dutch
  'alweer',
  'weer niet',
  'nog steeds',
  'nog altijd niet',
  'voor de zoveelste keer',
  'zoveelste keer',
  'al drie keer',
  'al 3 keer',
  'al twee keer',
  'al 2 keer',
  'belachelijk',
  'schandalig',
  'onacceptabel',
  'ik snap het niet',
  'ik begrijp het niet',
  'u begrijpt me niet',
  'je begrijpt me niet',
  'niemand reageert',
  'geen antwoord',
  'klacht indienen',
  'boos',
  'gefrustreerd',
  'ben het zat',
  'spuugzat',
  'bel me',
  'bel mij',
  'kunt u bellen',
  'kun je bellen',
  // English
  'yet again',
  'once again',
  'still not',
  'still no',
  'for the third time',
  'third time',
  'several times',
  'ridiculous',
  'unacceptable',
  'frustrated',
  'frustrating',
  'fed up',
  "doesn't make sense",
  'does not make sense',
  "you don't understand",
  'nobody answers',
  'no answer',
  'call me',
  'please call',
];

export function detectPingPong(
  thread: readonly ThreadMessage[],
  ctx: { resolved: boolean; promiseAtRisk: boolean; thresholds?: Partial<PingPongThresholds> },
): PingPongVerdict {
  const t = { ...defaultPingPongThresholds, ...ctx.thresholds };
  if (ctx.resolved) return { suggestCall: false, reasons: [] };
  const ordered = [...thread].sort((a, b) => a.at.getTime() - b.at.getTime());
  const reasons: PingPongReason[] = [];

  const exchanges = countExchanges(ordered);
  if (exchanges >= t.exchanges) reasons.push({ kind: 'exchanges', count: exchanges });

  const repeated = findRepeatedQuestion(ordered, t.repeatSimilarity);
  if (repeated) reasons.push({ kind: 'repeated_question', excerpt: excerpt(repeated) });

  // Only the customer's latest word counts: frustration that an agent already answered is history.
  const lastCustomer = [...ordered].reverse().find((m) => m.from === 'customer');
  const signal = lastCustomer ? findSignal(lastCustomer.content, [...FRUSTRATION_SIGNALS, ...t.frustrationWords]) : null;
  if (signal) reasons.push({ kind: 'frustration', signal });

  if (ctx.promiseAtRisk) reasons.push({ kind: 'promise_at_risk' });
  return { suggestCall: reasons.length > 0, reasons };
}

/**
 * An exchange is a customer message answered by an agent and followed by the customer again: the moment the
 * thread "bounces". Consecutive messages from one side count once.
 */
export function countExchanges(ordered: readonly ThreadMessage[]): number {
  const turns: ThreadMessage['from'][] = [];
  for (const m of ordered) if (turns[turns.length - 1] !== m.from) turns.push(m.from);
  let count = 0;
  for (let i = 2; i < turns.length; i++) if (turns[i] === 'customer' && turns[i - 1] === 'agent' && turns[i - 2] === 'customer') count++;
  return count;
}

/** The latest customer question that repeats an earlier one (after an agent answered in between). */
function findRepeatedQuestion(ordered: readonly ThreadMessage[], minSimilarity: number): string | null {
  const customer = ordered.map((m, i) => ({ m, i })).filter(({ m }) => m.from === 'customer');
  for (let b = customer.length - 1; b > 0; b--) {
    const later = customer[b]!;
    const laterWords = contentWords(later.m.content);
    if (laterWords.size < 3) continue;
    for (let a = b - 1; a >= 0; a--) {
      const earlier = customer[a]!;
      const answeredBetween = ordered.slice(earlier.i + 1, later.i).some((m) => m.from === 'agent');
      if (!answeredBetween) continue;
      if (similarity(contentWords(earlier.m.content), laterWords) >= minSimilarity) return later.m.content;
    }
  }
  return null;
}

/** Jaccard overlap of content words. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const w of a) if (b.has(w)) both++;
  return both / (a.size + b.size - both);
}

const STOP_WORDS = new Set(
  (
    'de het een en of in op te van voor met aan bij is zijn was ik je u we wij jij hij zij mijn uw ons onze dat dit die er niet ' +
    'nog wel al ook maar dan als om naar wat wie hoe waar wanneer waarom kan kunt wil wilt heb hebt heeft hebben ' +
    'the a an and or in on to of for with at by is are was were i you we he she my your our that this it not ' +
    'still yet also but then if as what who how where when why can could would will have has had do does did please'
  ).split(' '),
);

export function contentWords(text: string): Set<string> {
  const words = normalize(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
  return new Set(words);
}

function findSignal(text: string, signals: readonly string[]): string | null {
  const haystack = ` ${normalize(text).replace(/[^\p{L}\p{N}']+/gu, ' ')} `;
  for (const s of signals) {
    const needle = normalize(s).replace(/[^\p{L}\p{N}']+/gu, ' ').trim();
    if (needle && haystack.includes(` ${needle} `)) return s;
  }
  return null;
}

const normalize = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’‘]/g, "'");

const excerpt = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}…` : s);
