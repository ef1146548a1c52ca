import { describe, expect, it } from 'vitest';
import { phrasesToText, textToPhrases } from './lines';

describe('reply-coach list lines', () => {
  it('round-trips phrases with and without a suggestion', () => {
    const list = [
      { phrase: 'zo snel mogelijk', suggestion: 'vóór [dag en tijd]' },
      { phrase: 'binnenkort', suggestion: '' },
    ];
    expect(textToPhrases(phrasesToText(list))).toEqual(list);
  });

  it('ignores empty lines and trims around the arrow', () => {
    expect(textToPhrases('\n  asap=>by [day]  \n\n')).toEqual([{ phrase: 'asap', suggestion: 'by [day]' }]);
  });
});
