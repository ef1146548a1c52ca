import { describe, expect, it } from 'vitest';
import { defaultCalendar, alwaysOpen, type BusinessCalendar } from './business-hours';
import { closingTime, expectedFirstResponse, roundUp } from './response-expectation';
import { expectationText } from '../app/widget-texts';
import { identifierHash, mergeVisitorAttributes, verifyIdentifierHash } from './widget-identity';
import { decide, wantsHuman } from './answer-bot';
import { renderMarkdown } from '../shared/markdown';

// Mon–Fri 09:00–17:00 in Amsterdam, closed on Dutch public holidays: the certainty calendar every inbox uses.
const cal: BusinessCalendar = defaultCalendar;

describe('response expectation (in the inbox business calendar)', () => {
  const now = new Date('2026-12-01T10:00:00Z'); // Tuesday 11:00 CET
  const sample = (askedMin: number, answeredAfter: number) => ({
    askedAt: new Date(now.getTime() - askedMin * 60_000),
    firstResponseAt: new Date(now.getTime() - askedMin * 60_000 + answeredAfter * 60_000),
  });
  it('promises the 80th percentile of real first responses, rounded up to a number people say', () => {
    const samples = [3, 4, 4, 5, 6, 7, 8, 9, 12, 40].map((m, i) => sample(50 + i * 5, m));
    expect(expectedFirstResponse(samples, cal, now, 3)).toEqual({ kind: 'open', source: 'history', minutes: 10, basedOn: 10, closesAt: new Date('2026-12-01T16:00:00Z') });
  });
  it('counts only business time: Friday 16:30 → Monday 09:30 is one hour, not a weekend', () => {
    const monday = new Date('2026-12-07T09:00:00Z');
    const samples = Array.from({ length: 5 }, () => ({ askedAt: new Date('2026-12-04T15:30:00Z'), firstResponseAt: new Date('2026-12-07T08:30:00Z') }));
    expect(expectedFirstResponse(samples, cal, monday, 3)).toMatchObject({ kind: 'open', source: 'history', minutes: 60 });
  });
  it('falls back to the configured target with too little history, and says closed when closed', () => {
    expect(expectedFirstResponse([sample(10, 2)], cal, now, 3)).toEqual({ kind: 'open', source: 'target', minutes: 3, basedOn: 1, closesAt: new Date('2026-12-01T16:00:00Z') });
    const closed = expectedFirstResponse([], cal, new Date('2026-12-05T12:00:00Z'), 3);
    expect(closed).toEqual({ kind: 'closed', opensAt: new Date('2026-12-07T08:00:00Z') });
  });
  it('is closed on a Dutch public holiday (Christmas) and knows when it opens again', () => {
    expect(expectedFirstResponse([], cal, new Date('2026-12-25T10:00:00Z'), 3)).toEqual({ kind: 'closed', opensAt: new Date('2026-12-28T08:00:00Z') });
  });
  it('has no closing time around the clock', () => {
    expect(closingTime(alwaysOpen, now)).toBeNull();
    expect(closingTime(cal, now)).toEqual(new Date('2026-12-01T16:00:00Z'));
  });
  it('rounds up', () => {
    expect([0.5, 3, 11, 50, 61, 130].map(roundUp)).toEqual([1, 5, 15, 60, 120, 180]);
  });
});

describe('expectation texts: concrete, never "as soon as possible"', () => {
  const ctx = (now: string) => ({ timeZone: 'Europe/Amsterdam', now: new Date(now) });
  const tuesday = ctx('2026-12-01T10:00:00Z');
  it('says when we are back, in the inbox time zone', () => {
    const saturday = ctx('2026-12-05T12:00:00Z');
    const closed = expectedFirstResponse([], cal, saturday.now, 3);
    expect(expectationText('nl', closed, saturday)).toMatch(/^We zijn er weer maandag om 9:00\. /);
    expect(expectationText('en', closed, saturday)).toMatch(/^We are back on Monday at 9:00\. /);
    const early = ctx('2026-12-01T06:00:00Z'); // Tuesday 07:00
    expect(expectationText('nl', expectedFirstResponse([], cal, early.now, 3), early)).toMatch(/^We zijn er weer vandaag om 9:00\./);
    const evening = ctx('2026-12-01T19:00:00Z'); // Tuesday 20:00
    expect(expectationText('en', expectedFirstResponse([], cal, evening.now, 3), evening)).toMatch(/^We are back tomorrow at 9:00\./);
  });
  it('names a target as a target, a measured figure as what usually happens', () => {
    const target = expectedFirstResponse([], cal, tuesday.now, 3);
    expect(expectationText('nl', target, tuesday)).toBe('We streven ernaar binnen 3 minuten te antwoorden; we zijn er vandaag tot 17:00.');
    expect(expectationText('en', target, tuesday)).toBe('We aim to answer within 3 minutes; we are here until 17:00 today.');
    const measured = { kind: 'open', source: 'history', minutes: 120, basedOn: 30, closesAt: null } as const;
    expect(expectationText('nl', measured, tuesday)).toBe('Een medewerker antwoordt meestal binnen 2 uur.');
    expect(expectationText('en', measured, tuesday)).toBe('A person usually answers within 2 hours.');
    for (const l of ['nl', 'en'] as const) expect(expectationText(l, target, tuesday)).not.toMatch(/zo snel mogelijk|as soon as/i);
  });
});

describe('widget identity', () => {
  it('accepts exactly HMAC-SHA256(secret, identifier)', () => {
    const h = identifierHash('s3cret-s3cret-s3cret', 'user-1');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyIdentifierHash('s3cret-s3cret-s3cret', 'user-1', h)).toBe(true);
    expect(verifyIdentifierHash('s3cret-s3cret-s3cret', 'user-2', h)).toBe(false);
    expect(verifyIdentifierHash('s3cret-s3cret-s3cret', 'user-1', 'nonsense')).toBe(false);
  });
  it('never lets unverified attributes overwrite verified ones', () => {
    const verified = mergeVisitorAttributes({ values: {}, verifiedKeys: [] }, { name: 'Marieke', email: 'm@example.com' }, true);
    const typed = mergeVisitorAttributes(verified, { name: 'Nep', phone: '0612345678' }, false);
    expect(typed.values).toEqual({ name: 'Marieke', email: 'm@example.com', phone: '0612345678' });
    expect(mergeVisitorAttributes(typed, { phone: '0687654321' }, false).values.phone).toBe('0687654321');
  });
});

describe('answer bot rules', () => {
  it('hands over on a request for a person, in either language', () => {
    for (const t of ['medewerker', 'Mag ik een mens spreken?', 'agent please', 'HUMAN', 'ik wil een medewerker']) expect(wantsHuman(t)).toBe(true);
    expect(wantsHuman('Hoe retourneer ik mijn bestelling?')).toBe(false);
    expect(wantsHuman('agenda')).toBe(false);
  });
  it('answers only above the threshold and stops after two unhelpful answers', () => {
    const best = { articleId: 'a', confidence: 0.7 };
    expect(decide({ text: 'x', best, threshold: 0.6, unhelpfulAnswers: 0 })).toEqual({ action: 'answer', articleId: 'a', confidence: 0.7 });
    expect(decide({ text: 'x', best, threshold: 0.8, unhelpfulAnswers: 0 })).toEqual({ action: 'handover', reason: 'low_confidence' });
    expect(decide({ text: 'x', best, threshold: 0.6, unhelpfulAnswers: 2 })).toEqual({ action: 'handover', reason: 'unhelpful_answers' });
    expect(decide({ text: 'x', best: null, threshold: 0.6, unhelpfulAnswers: 0 }).action).toBe('handover');
  });
});

describe('safe markdown', () => {
  it('renders the basics and nothing executable', () => {
    const html = renderMarkdown('# Titel\n\nTekst met **vet** en [link](https://example.com) en [x](javascript:alert(1))\n\n- een\n- twee\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).toContain('<h2>Titel</h2>');
    expect(html).toContain('<strong>vet</strong>');
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener">link</a>');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('<ul><li>een</li><li>twee</li></ul>');
  });
});
