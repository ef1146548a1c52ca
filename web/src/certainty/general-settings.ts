/**
 * The single-value certainty settings (promise acknowledgement, default promise, status-link lifetime, the
 * "call this customer" thresholds) as the form holds them — text as typed — and the check before saving. The
 * limits are the server's (src/app/certainty-settings.ts); checking here too lets the form say which field is
 * wrong, in the admin's language, without a round trip, and nothing is sent (so nothing stored changes).
 */
export interface GeneralValues {
  promiseAcknowledgement: boolean;
  promiseDefaults: { firstResponseMinutes: number; resolutionMinutes: number };
  statusLinkDays: number;
  pingPong: { exchanges: number; repeatSimilarity: number; frustrationWords: string[] };
}

export interface GeneralDraft {
  promiseAcknowledgement: boolean;
  firstResponseMinutes: string;
  resolutionMinutes: string;
  statusLinkDays: string;
  exchanges: string;
  /** The similarity as a whole percentage (60 for 0.6): easier to read than a fraction. */
  repeatSimilarityPercent: string;
  /** One word or phrase a line. */
  frustrationWords: string;
}

/** A problem with one field: an i18n key and its values, by the server's path of the field. */
export interface FieldProblem {
  key: string;
  params: Record<string, string | number>;
}

export const generalLimits = {
  firstResponseMinutes: [1, 100_000],
  resolutionMinutes: [1, 1_000_000],
  statusLinkDays: [1, 365],
  exchanges: [1, 50],
  repeatSimilarityPercent: [10, 100],
  wordLength: [2, 60],
  words: 200,
} as const;

export function draftOf(v: GeneralValues): GeneralDraft {
  return {
    promiseAcknowledgement: v.promiseAcknowledgement,
    firstResponseMinutes: String(v.promiseDefaults.firstResponseMinutes),
    resolutionMinutes: String(v.promiseDefaults.resolutionMinutes),
    statusLinkDays: String(v.statusLinkDays),
    exchanges: String(v.pingPong.exchanges),
    repeatSimilarityPercent: String(Math.round(v.pingPong.repeatSimilarity * 100)),
    frustrationWords: v.pingPong.frustrationWords.join('\n'),
  };
}

function wholeNumber(text: string, [min, max]: readonly [number, number], path: string, problems: Record<string, FieldProblem>): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) problems[path] = { key: 'fieldErrors.whole_number_between', params: { minimum: min, maximum: max } };
  return n;
}

export function parseGeneral(d: GeneralDraft): { ok: true; values: GeneralValues } | { ok: false; problems: Record<string, FieldProblem> } {
  const problems: Record<string, FieldProblem> = {};
  const firstResponseMinutes = wholeNumber(d.firstResponseMinutes, generalLimits.firstResponseMinutes, 'promiseDefaults.firstResponseMinutes', problems);
  const resolutionMinutes = wholeNumber(d.resolutionMinutes, generalLimits.resolutionMinutes, 'promiseDefaults.resolutionMinutes', problems);
  const statusLinkDays = wholeNumber(d.statusLinkDays, generalLimits.statusLinkDays, 'statusLinkDays', problems);
  const exchanges = wholeNumber(d.exchanges, generalLimits.exchanges, 'pingPong.exchanges', problems);
  const percent = wholeNumber(d.repeatSimilarityPercent, generalLimits.repeatSimilarityPercent, 'pingPong.repeatSimilarity', problems);
  const words = [...new Set(d.frustrationWords.split('\n').map((w) => w.trim()).filter(Boolean))];
  const [minLen, maxLen] = generalLimits.wordLength;
  const badWord = words.find((w) => w.length < minLen || w.length > maxLen);
  if (badWord) problems['pingPong.frustrationWords'] = { key: 'certainty.settings.frustrationWordInvalid', params: { word: badWord, minimum: minLen, maximum: maxLen } };
  else if (words.length > generalLimits.words) problems['pingPong.frustrationWords'] = { key: 'fieldErrors.too_big_array', params: { maximum: generalLimits.words } };
  if (Object.keys(problems).length) return { ok: false, problems };
  return {
    ok: true,
    values: {
      promiseAcknowledgement: d.promiseAcknowledgement,
      promiseDefaults: { firstResponseMinutes, resolutionMinutes },
      statusLinkDays,
      pingPong: { exchanges, repeatSimilarity: percent / 100, frustrationWords: words },
    },
  };
}
