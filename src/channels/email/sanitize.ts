import type { DOMPurify } from 'dompurify';
import { lazyRequire } from '../../shared/lazy-require';

const loadDomPurify = lazyRequire<typeof import('dompurify') & { default?: typeof import('dompurify').default }>('dompurify');
const loadJsdom = lazyRequire<typeof import('jsdom')>('jsdom');

/**
 * Customer HTML is hostile. It is sanitized with DOMPurify on a server-side jsdom window: no scripts, frames,
 * forms, SVG/MathML, event handlers or javascript: URLs survive. For display, `cid:` images become data: URLs of
 * their inline parts, and remote images are parked in data-remote-src until the agent allows them (the iframe's
 * CSP blocks them as well, so a missed URL still loads nothing).
 */
let purifier: DOMPurify | null = null;
let policy: DisplayPolicy | null = null;

export interface DisplayPolicy {
  /** cid (without <>) → data: URL of the inline part. */
  inline: Map<string, string>;
  allowRemote: boolean;
  /** Set when a remote image was blocked, so the UI can offer "show images". */
  blocked: number;
}

const FORBID_TAGS = ['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button', 'textarea', 'select', 'option', 'svg', 'math', 'base', 'meta', 'link', 'noscript', 'template', 'portal', 'audio', 'video', 'source', 'track'];
const URI_OK = /^(?:(?:https?|mailto|tel|cid):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

const UNSAFE_CSS = /javascript:|vbscript:|expression\s*\(|behavior\s*:|-moz-binding|@import/i;

function instance(): DOMPurify {
  if (purifier) return purifier;
  const { JSDOM } = loadJsdom();
  const purify = loadDomPurify();
  const createDOMPurify = (purify.default ?? purify) as typeof import('dompurify').default;
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  const p = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  p.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && UNSAFE_CSS.test(node.textContent ?? '')) node.textContent = '';
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    // CSS cannot run script in current browsers, but old engines did (expression(), javascript: in url()).
    const style = el.getAttribute('style');
    if (style && UNSAFE_CSS.test(style)) el.removeAttribute('style');
    if (el.tagName === 'A') {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer nofollow');
    }
    if (!policy) return;
    for (const attr of ['src', 'background', 'poster']) {
      const value = el.getAttribute(attr);
      if (!value) continue;
      if (/^cid:/i.test(value)) {
        const data = policy.inline.get(value.slice(4).replace(/^<|>$/g, '').trim());
        if (data) el.setAttribute(attr, data);
        else el.removeAttribute(attr);
      } else if (/^https?:/i.test(value) && !policy.allowRemote) {
        el.removeAttribute(attr);
        el.setAttribute(`data-remote-${attr}`, value);
        policy.blocked++;
      }
    }
    if (el.hasAttribute('srcset') && !policy.allowRemote) el.removeAttribute('srcset');
  });
  purifier = p;
  return p;
}

const BASE = {
  FORBID_TAGS,
  FORBID_ATTR: ['srcdoc', 'formaction', 'ping'],
  ALLOWED_URI_REGEXP: URI_OK,
  FORCE_BODY: true,
  ALLOW_DATA_ATTR: false,
  ADD_ATTR: ['target'],
};

/** Sanitizes for storage: what is kept on the message is already harmless wherever it is shown. */
export function sanitizeEmailHtml(html: string): string {
  policy = null;
  return String(instance().sanitize(html, BASE));
}

/** Sanitizes again for the agent app's iframe, applying the image policy. */
export function htmlForDisplay(html: string, p: DisplayPolicy): string {
  policy = p;
  try {
    return String(instance().sanitize(html, { ...BASE, ADD_ATTR: ['target', 'data-remote-src', 'data-remote-background', 'data-remote-poster'] }));
  } finally {
    policy = null;
  }
}

/** The Content-Security-Policy of the iframe document: nothing runs, nothing is fetched but allowed images. */
export function displayCsp(allowRemote: boolean): string {
  return [
    "default-src 'none'",
    `img-src data:${allowRemote ? ' https: http:' : ''}`,
    "style-src 'unsafe-inline'",
    "font-src 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    "base-uri 'none'",
    'sandbox allow-popups allow-popups-to-escape-sandbox',
  ].join('; ');
}
