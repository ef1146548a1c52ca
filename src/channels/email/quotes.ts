/**
 * Splits what the customer wrote now from the quoted history and the signature, for plain text. The full text
 * stays on the message ("show original"); the agent sees the new part first.
 */
const ATTRIBUTION = [
  /^On .{1,200}wrote:\s*$/i,
  /^Op .{1,200}schreef .{0,200}:\s*$/i,
  /^Op .{1,200}het volgende geschreven:\s*$/i,
  /^Am .{1,200}schrieb .{0,200}:\s*$/i,
  /^Le .{1,200}a écrit\s*:\s*$/i,
  /^-{2,}\s*(Original Message|Oorspronkelijk bericht|Origineel bericht|Ursprüngliche Nachricht)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^(From|Van|Von):\s.+$/i,
  /^-{5,}\s*(Forwarded message|Doorgestuurd bericht)\s*-{5,}\s*$/i,
  /^Begin forwarded message:\s*$/i,
];
const SIGNATURE = [/^-- ?$/, /^(Sent from my|Verzonden vanaf mijn|Verstuurd vanaf mijn|Get Outlook for|Outlook voor) /i];

export interface SplitText {
  /** What is new in this message. */
  body: string;
  quote: string;
  signature: string;
}

export function splitQuoted(text: string): SplitText {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // An attribution line followed by quoted lines, or a run of ">" lines that continues to the end.
    const isAttribution = ATTRIBUTION.some((re) => re.test(line.trim()));
    // Some clients wrap "On …, X wrote:" over two lines.
    const wrapped = i + 1 < lines.length && /^On .{1,200}$/i.test(line.trim()) && /wrote:\s*$/i.test(lines[i + 1]!.trim());
    if (isAttribution || wrapped || (line.startsWith('>') && lines.slice(i).every((l) => l.startsWith('>') || !l.trim()))) {
      // "From:" only counts as a quote header when more header-like lines follow (Outlook's block).
      if (/^(From|Van|Von):/i.test(line.trim()) && !lines.slice(i + 1, i + 5).some((l) => /^(Sent|Verzonden|Gesendet|Date|Datum|To|Aan|Subject|Onderwerp):/i.test(l.trim()))) continue;
      cut = i;
      break;
    }
  }
  const head = lines.slice(0, cut);
  const quote = lines.slice(cut).join('\n').trim();
  let sig = head.length;
  for (let i = head.length - 1; i >= 0 && i >= head.length - 15; i--) if (SIGNATURE.some((re) => re.test(head[i]!))) sig = i;
  const body = head.slice(0, sig).join('\n').trim();
  const signature = head.slice(sig).join('\n').trim();
  // A message that is only a quote (a forward without a word) keeps its text as body.
  if (!body) return { body: text.trim(), quote: '', signature: '' };
  return { body, quote, signature };
}
