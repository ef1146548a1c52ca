/**
 * Search highlights are plain text with the hit words wrapped in two private-use characters, so the agent app
 * renders them as text plus <mark> and never as HTML. Free of dependencies: the browser bundle imports it.
 */
export const HIT_START = '\uE000';
export const HIT_END = '\uE001';

/** Splits highlighted text into plain and hit parts. */
export function splitHighlight(text: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let rest = text;
  while (rest.length) {
    const start = rest.indexOf(HIT_START);
    if (start < 0) {
      parts.push({ text: rest, hit: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), hit: false });
    const end = rest.indexOf(HIT_END, start + 1);
    const stop = end < 0 ? rest.length : end;
    parts.push({ text: rest.slice(start + 1, stop), hit: true });
    rest = rest.slice(stop + 1);
  }
  return parts.filter((p) => p.text.length > 0);
}
