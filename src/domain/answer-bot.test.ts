import { describe, expect, it } from 'vitest';
import { decide, wantsHuman } from './answer-bot';

describe('answer bot: asking for a person', () => {
  it.each([
    'medewerker',
    'Ik wil een medewerker spreken',
    'Mag ik een MENS?',
    'kan ik een medewerkster spreken',
    'echt iemand graag',
    'human please',
    'Can I talk to an agent?',
    'I want a real person',
    // One typo on a phone is still a request.
    'medewerkr',
    'ik wil een medwerker',
    'klantenservcie bellen',
    'een mdeewerker aub',
  ])('%s → hand over', (text) => expect(wantsHuman(text)).toBe(true));

  it.each([
    'Waar blijft mijn bestelling?',
    'Hoe lang duurt de levering naar België?',
    'Staat het in mijn agenda?',
    'Is de medewerkersregeling ook voor mij?',
    'How do I reset my password?',
    'Mensa menu',
  ])('%s → no hand-over request', (text) => expect(wantsHuman(text)).toBe(false));
});

describe('answer bot: decide', () => {
  const best = { articleId: 'a1', confidence: 0.8 };
  it('answers a confident match', () => {
    expect(decide({ text: 'retour sturen', best, threshold: 0.6, unhelpfulAnswers: 0 })).toEqual({ action: 'answer', articleId: 'a1', confidence: 0.8 });
  });
  it('hands over on request even with a confident match, below the threshold, and after two unhelpful answers', () => {
    expect(decide({ text: 'medewerker', best, threshold: 0.6, unhelpfulAnswers: 0 })).toEqual({ action: 'handover', reason: 'asked_for_human' });
    expect(decide({ text: 'retour', best: { articleId: 'a1', confidence: 0.59 }, threshold: 0.6, unhelpfulAnswers: 0 })).toEqual({ action: 'handover', reason: 'low_confidence' });
    expect(decide({ text: 'retour', best: null, threshold: 0.6, unhelpfulAnswers: 0 })).toEqual({ action: 'handover', reason: 'low_confidence' });
    expect(decide({ text: 'retour', best, threshold: 0.6, unhelpfulAnswers: 2 })).toEqual({ action: 'handover', reason: 'unhelpful_answers' });
  });
});
