/**
 * The reply coach's word lists as an admin edits them: one entry a line, "phrase => suggestion". Pure, so the
 * settings form round-trips exactly what the server stores.
 */
export interface PhraseEntry {
  phrase: string;
  suggestion: string;
}

export const phrasesToText = (list: PhraseEntry[]) => list.map((p) => (p.suggestion ? `${p.phrase} => ${p.suggestion}` : p.phrase)).join('\n');

export function textToPhrases(text: string): PhraseEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf('=>');
      return at < 0 ? { phrase: line, suggestion: '' } : { phrase: line.slice(0, at).trim(), suggestion: line.slice(at + 2).trim() };
    });
}
