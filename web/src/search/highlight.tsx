import { splitHighlight } from '../../../src/shared/highlight';

/** Server-marked search hits as text plus <mark> — never as HTML. */
export function Highlight({ text }: { text: string }) {
  return (
    <>
      {splitHighlight(text).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
