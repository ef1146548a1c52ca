import { describe, expect, it } from 'vitest';
import { coachReply, defaultCoachLists, detectLocale, questionWords } from './reply-coach';

const kinds = (r: ReturnType<typeof coachReply>) => r.issues.map((i) => i.kind);

describe('reply coach', () => {
  it('flags Dutch stock phrases and suggests a rewrite that keeps sentence case', () => {
    const r = coachReply('Excuses voor het ongemak. Uw verzoek is in behandeling.');
    expect(r.locale).toBe('nl');
    expect(r.issues.filter((i) => i.kind === 'stock_phrase').map((i) => i.phrase)).toEqual(['Excuses voor het ongemak', 'Uw verzoek is in behandeling']);
    expect(r.rewrite).toBe('Vervelend dat dit je overkomt. Ik zoek dit nu voor je uit.');
  });

  it('prefers the longest matching phrase', () => {
    const r = coachReply('Onze excuses voor het ongemak, we sturen morgen een nieuwe.');
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ kind: 'stock_phrase', phrase: 'Onze excuses voor het ongemak', start: 0 });
  });

  it('flags English stock phrases and vague promises', () => {
    const r = coachReply('We apologize for any inconvenience. We will fix it as soon as possible.');
    expect(r.locale).toBe('en');
    expect(kinds(r)).toEqual(['stock_phrase', 'vague_promise']);
    expect(r.rewrite).toBe('I am sorry this happened to you. We will fix it by [day and time].');
  });

  it('flags a vague Dutch promise and a reply without next step or time', () => {
    expect(kinds(coachReply('We kijken er zo snel mogelijk naar.'))).toContain('vague_promise');
    expect(kinds(coachReply('Dank voor je bericht.'))).toEqual(['no_next_step']);
    expect(kinds(coachReply('Ik bel je morgen om 10:00 met het antwoord.'))).toEqual([]);
    expect(kinds(coachReply('I will send the new invoice before 15:00 today.'))).toEqual([]);
  });

  it('does not match inside words', () => {
    expect(kinds(coachReply('De asapfabriek levert vandaag om 14:00.'))).toEqual([]);
  });

  it('notices when the reply ignores what the customer asked', () => {
    const customer = 'Hoi, waar blijft mijn bestelling? En kan ik de factuur nog aanpassen?';
    expect(questionWords(customer)).toEqual(['blijft', 'bestelling', 'factuur', 'aanpassen']);
    const off = coachReply('Ik stuur je vandaag onze nieuwsbrief.', { customerMessage: customer });
    expect(off.issues.find((i) => i.kind === 'unanswered_question')?.missingWords).toContain('bestelling');
    // Half an answer: the order is addressed, the invoice question is not.
    const half = coachReply('Je bestellingen gaan vandaag om 16:00 de deur uit.', { customerMessage: customer });
    expect(half.issues.find((i) => i.kind === 'unanswered_question')?.missingWords).toEqual(['blijft', 'factuur', 'aanpassen']);
    const on = coachReply('Je bestelling gaat vandaag om 16:00 de deur uit, en ik pas de factuur nu voor je aan.', { customerMessage: customer });
    expect(kinds(on)).not.toContain('unanswered_question');
  });

  it('uses configured lists instead of the defaults', () => {
    const lists = { ...defaultCoachLists, stockPhrases: { nl: [{ phrase: 'met vriendelijke groet', suggestion: 'Groet' }], en: [] } };
    expect(kinds(coachReply('Excuses voor het ongemak, ik bel je morgen.', { lists }))).toEqual([]);
    expect(kinds(coachReply('Ik bel je morgen. Met vriendelijke groet', { lists }))).toEqual(['stock_phrase']);
  });

  it('detects the language and treats an empty draft as fine', () => {
    expect(detectLocale('Thank you, we will call you tomorrow')).toBe('en');
    expect(detectLocale('Dank je, we bellen je morgen')).toBe('nl');
    expect(coachReply('   ').issues).toEqual([]);
  });
});
