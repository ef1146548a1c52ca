import { describe, expect, it } from 'vitest';
import snowball from 'snowball-stemmers';
import { checkAnswer, lightStem, questionTerms } from './question-terms';

const real = { nl: (w: string) => snowball.newStemmer('dutch').stem(w), en: (w: string) => snowball.newStemmer('english').stem(w) };

describe('does the reply address the question', () => {
  it('takes the key terms of the questions only, without function words', () => {
    expect(questionTerms('Hoi! Ik heb gisteren besteld. Waar blijft mijn pakket? Kan ik de bezorgtijd nog wijzigen?')).toEqual(['blijft', 'pakket', 'bezorgtijd', 'wijzigen']);
    expect(questionTerms('My router is broken. Thanks.')).toEqual([]);
  });

  it('matches inflected Dutch words with the Snowball stemmer and without it', () => {
    const customer = 'Wanneer worden de pakketten bezorgd?';
    for (const stemmers of [real, {}]) {
      expect(checkAnswer(customer, 'Je pakket wordt morgen tussen 10:00 en 12:00 bezorgd.', stemmers).unanswered).toBe(false);
    }
    expect(checkAnswer(customer, 'Ik heb je adres aangepast.', real)).toMatchObject({ unanswered: true, missing: ['pakketten', 'bezorgd'] });
  });

  it('matches English inflections', () => {
    const customer = 'Why was my order delivered to the wrong address?';
    expect(checkAnswer(customer, 'The courier delivers to the address on the label; I have corrected it.', real).missing).toEqual(['order', 'wrong']);
    expect(checkAnswer(customer, 'The courier delivers to the address on the label; I have corrected it.', real).unanswered).toBe(false);
    expect(checkAnswer(customer, 'Thanks for your patience, I will call you at 14:00.', real).unanswered).toBe(true);
  });

  it('counts a Dutch compound as touching its first part', () => {
    expect(checkAnswer('Is er een storing bij het internet?', 'De internetstoring in jouw straat is om 15:00 opgelost.').unanswered).toBe(false);
  });

  it('flags a reply that touches under half of three or more terms', () => {
    const customer = 'Kan ik mijn abonnement opzeggen, de modem terugsturen en de laatste factuur betalen?';
    expect(checkAnswer(customer, 'Je abonnement stopt op 1 maart.', real).unanswered).toBe(true);
    expect(checkAnswer(customer, 'Je abonnement stopt op 1 maart; stuur de modem terug met het label, de factuur volgt.', real).unanswered).toBe(false);
  });

  it('has nothing to check without a question', () => {
    expect(checkAnswer('Bedankt!', 'Graag gedaan.')).toEqual({ terms: [], missing: [], unanswered: false });
  });

  it('strips common endings in the light stemmer', () => {
    expect(lightStem('bestellingen')).toBe(lightStem('bestelling'));
    expect(lightStem('pakketten')).toBe('pakket');
    expect(lightStem('delivered')).toBe(lightStem('delivery'));
  });
});
