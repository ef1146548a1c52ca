import { describe, expect, it } from 'vitest';
import { draftOf, parseGeneral, type GeneralValues } from './general-settings';

const values: GeneralValues = {
  promiseAcknowledgement: true,
  promiseDefaults: { firstResponseMinutes: 240, resolutionMinutes: 960 },
  statusLinkDays: 30,
  pingPong: { exchanges: 3, repeatSimilarity: 0.6, frustrationWords: ['belachelijk'] },
};

describe('general certainty settings in the form', () => {
  it('round-trips: stored values → form text → the same values (similarity as a percentage)', () => {
    const draft = draftOf(values);
    expect(draft.repeatSimilarityPercent).toBe('60');
    expect(parseGeneral(draft)).toEqual({ ok: true, values });
  });

  it('trims and de-duplicates frustration words, one a line, dropping empty lines', () => {
    const r = parseGeneral({ ...draftOf(values), frustrationWords: ' belachelijk \n\nbelachelijk\nfed up ' });
    expect(r.ok && r.values.pingPong.frustrationWords).toEqual(['belachelijk', 'fed up']);
  });

  it('refuses out-of-range, fractional and empty numbers, by the server path, with the limits', () => {
    const r = parseGeneral({ ...draftOf(values), statusLinkDays: '0', firstResponseMinutes: '1.5', resolutionMinutes: '', exchanges: '51', repeatSimilarityPercent: '5' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.statusLinkDays).toEqual({ key: 'fieldErrors.whole_number_between', params: { minimum: 1, maximum: 365 } });
    expect(Object.keys(r.problems).sort()).toEqual(['pingPong.exchanges', 'pingPong.repeatSimilarity', 'promiseDefaults.firstResponseMinutes', 'promiseDefaults.resolutionMinutes', 'statusLinkDays']);
    expect(r.problems['pingPong.repeatSimilarity']!.params).toEqual({ minimum: 10, maximum: 100 });
  });

  it('refuses a frustration word that is too short or too long, naming it', () => {
    const r = parseGeneral({ ...draftOf(values), frustrationWords: 'prima\nx' });
    expect(r).toEqual({ ok: false, problems: { 'pingPong.frustrationWords': { key: 'certainty.settings.frustrationWordInvalid', params: { word: 'x', minimum: 2, maximum: 60 } } } });
    const long = parseGeneral({ ...draftOf(values), frustrationWords: 'a'.repeat(61) });
    expect(long.ok).toBe(false);
  });
});
