import { describe, expect, it } from 'vitest';
import { businessMinutesBetween, isOpen, nextOpening, type BusinessHours } from './inbox-opening-hours';
import { expectedFirstResponse, roundUp } from './response-expectation';
import { identifierHash, mergeVisitorAttributes, verifyIdentifierHash } from './widget-identity';
import { decide, wantsHuman } from './answer-bot';
import { renderMarkdown } from '../shared/markdown';

const hours: BusinessHours = {
  timeZone: 'Europe/Amsterdam',
  days: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
};

describe('business hours', () => {
  it('knows when the inbox is open, in its own time zone (winter and summer time)', () => {
    expect(isOpen(hours, new Date('2026-12-01T08:30:00Z'))).toBe(true); // Tue 09:30 CET
    expect(isOpen(hours, new Date('2026-12-01T07:30:00Z'))).toBe(false); // Tue 08:30 CET
    expect(isOpen(hours, new Date('2026-07-07T07:30:00Z'))).toBe(true); // Tue 09:30 CEST
    expect(isOpen(hours, new Date('2026-12-05T12:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(null, new Date())).toBe(true);
  });
  it('counts only business minutes: Friday 16:30 → Monday 09:30 is one hour', () => {
    expect(businessMinutesBetween(hours, new Date('2026-12-04T15:30:00Z'), new Date('2026-12-07T08:30:00Z'))).toBe(60);
    expect(businessMinutesBetween(hours, new Date('2026-12-07T08:30:00Z'), new Date('2026-12-07T08:00:00Z'))).toBe(0);
    expect(businessMinutesBetween(null, new Date('2026-12-07T08:00:00Z'), new Date('2026-12-07T08:30:00Z'))).toBe(30);
  });
  it('finds the next opening', () => {
    expect(nextOpening(hours, new Date('2026-12-05T12:00:00Z'))!.toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });
});

describe('response expectation', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const sample = (askedMin: number, answeredAfter: number) => ({
    askedAt: new Date(now.getTime() - askedMin * 60_000),
    firstResponseAt: new Date(now.getTime() - askedMin * 60_000 + answeredAfter * 60_000),
  });
  it('promises the 80th percentile of real first responses, rounded up to a number people say', () => {
    const samples = [3, 4, 4, 5, 6, 7, 8, 9, 12, 40].map((m, i) => sample(50 + i * 5, m));
    expect(expectedFirstResponse(samples, hours, now)).toEqual({ kind: 'open', minutes: 10, basedOn: 10 });
  });
  it('promises nothing with too little history, and says closed when closed', () => {
    expect(expectedFirstResponse([sample(10, 2)], hours, now)).toEqual({ kind: 'open', minutes: null, basedOn: 1 });
    const closed = expectedFirstResponse([], hours, new Date('2026-12-05T12:00:00Z'));
    expect(closed).toEqual({ kind: 'closed', opensAt: new Date('2026-12-07T08:00:00Z') });
  });
  it('rounds up', () => {
    expect([0.5, 3, 11, 50, 61, 130].map(roundUp)).toEqual([1, 5, 15, 60, 120, 180]);
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
