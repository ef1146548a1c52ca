import { describe, expect, it } from 'vitest';
import { HIT_END, HIT_START, splitHighlight } from './highlight';

describe('splitHighlight', () => {
  it('splits marked hits from plain text', () => {
    expect(splitHighlight(`Mijn ${HIT_START}fietsen${HIT_END} zijn ${HIT_START}weg${HIT_END}`)).toEqual([
      { text: 'Mijn ', hit: false },
      { text: 'fietsen', hit: true },
      { text: ' zijn ', hit: false },
      { text: 'weg', hit: true },
    ]);
  });
  it('treats an unterminated hit as running to the end and ignores empty parts', () => {
    expect(splitHighlight(`${HIT_START}${HIT_END}a${HIT_START}b`)).toEqual([
      { text: 'a', hit: false },
      { text: 'b', hit: true },
    ]);
    expect(splitHighlight('')).toEqual([]);
  });
});
