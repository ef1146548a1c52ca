import snowball from 'snowball-stemmers';
import type { Stemmers } from '../domain/question-terms';

/** The Snowball stemmers for Dutch and English, for rules that compare words (server side only: the library is large). */
const dutch = snowball.newStemmer('dutch');
const english = snowball.newStemmer('english');
export const snowballStemmers: Stemmers = { nl: (w) => dutch.stem(w), en: (w) => english.stem(w) };
