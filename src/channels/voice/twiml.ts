/**
 * TwiML (Twilio's call-control XML) as data: the IVR builds a tree of verbs, this file writes it as XML with
 * every attribute and text escaped. Keeping the tree as data lets tests check the structure instead of strings,
 * and keeps caller-controlled text (names, incident texts) from ever becoming markup.
 */
export interface TwimlNode {
  verb: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  /** Text content (Say, Play, Number, Client, Redirect…) or nested verbs (Response, Gather, Dial). */
  children?: string | TwimlNode[];
}

export const twiml = (verb: string, attrs?: TwimlNode['attrs'], children?: TwimlNode['children']): TwimlNode => ({ verb, attrs, children });

export function renderTwiml(verbs: TwimlNode[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${render({ verb: 'Response', children: verbs })}`;
}

function render(node: TwimlNode): string {
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(stripControl(String(v)))}"`)
    .join('');
  const c = node.children;
  if (c === undefined || (Array.isArray(c) && c.length === 0) || c === '') return `<${node.verb}${attrs}/>`;
  const inner = typeof c === 'string' ? escapeXml(stripControl(c)) : c.map(render).join('');
  return `<${node.verb}${attrs}>${inner}</${node.verb}>`;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** XML 1.0 cannot carry most control characters at all, escaped or not; a pasted text must not break the call. */
// eslint-disable-next-line no-control-regex -- removing exactly these characters is the point
const stripControl = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
