/**
 * The one script a site embeds: <script src="https://balie.example/widget.js" data-inbox="…" async></script>.
 * It adds a single fixed iframe (inside a closed shadow root, styled through the CSSOM only), so it leaks no CSS
 * or globals into the page and works under a strict host CSP that allows this script and frames from Balie.
 * Optional data attributes: data-lang, data-identifier + data-identifier-hash (HMAC-SHA256 computed by the
 * site's server), data-name, data-email.
 */
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  // Loaded twice (a snippet pasted twice)? One widget. No globals are set on the host page.
  if (!script || document.querySelector('div[data-balie-widget]')) return;
  const d = script.dataset;
  const base = new URL(script.src).origin;
  const inbox = d.inbox ?? '';
  const lang = (d.lang || document.documentElement.lang || navigator.language || 'nl').slice(0, 2).toLowerCase() === 'en' ? 'en' : 'nl';

  const host = document.createElement('div');
  host.setAttribute('data-balie-widget', '');
  const root = host.attachShadow({ mode: 'closed' });
  const frame = document.createElement('iframe');
  frame.title = lang === 'en' ? 'Chat' : 'Chat';
  frame.src = `${base}/widget/frame/${encodeURIComponent(inbox)}?origin=${encodeURIComponent(location.origin)}&lang=${lang}`;
  const set = (el: HTMLElement, styles: Record<string, string>) => {
    for (const [k, v] of Object.entries(styles)) el.style.setProperty(k, v, 'important');
  };
  set(host, { all: 'initial', position: 'fixed', 'z-index': '2147483000', bottom: '0', right: '0', width: '0', height: '0' });
  let side = 'right';
  const size = (open: boolean) =>
    set(frame, {
      position: 'fixed',
      bottom: open ? '12px' : '16px',
      [side]: open ? '12px' : '16px',
      [side === 'right' ? 'left' : 'right']: 'auto',
      width: open ? 'min(390px, calc(100vw - 24px))' : '76px',
      height: open ? 'min(640px, calc(100vh - 24px))' : '76px',
      border: '0',
      background: 'transparent',
      'color-scheme': 'normal',
      'max-width': 'none',
      'max-height': 'none',
      margin: '0',
      padding: '0',
    });
  size(false);
  root.appendChild(frame);
  const attach = () => document.body.appendChild(host);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);

  // Browsers block storage in third-party frames (Safari, incognito Chrome), so the visitor token is kept in
  // the site's own storage: the conversation survives reloads and tabs of this site.
  const key = `balie-widget:${inbox}`;
  const stored = () => {
    try {
      return localStorage.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  };
  window.addEventListener('message', (e: MessageEvent) => {
    if (e.origin !== base || e.source !== frame.contentWindow) return;
    const msg = e.data as { type?: string; open?: boolean; position?: string; token?: string };
    if (msg.type === 'balie:ready') {
      frame.contentWindow!.postMessage(
        { type: 'balie:init', token: stored(), identity: { identifier: d.identifier, identifierHash: d.identifierHash, name: d.name, email: d.email } },
        base,
      );
    } else if (msg.type === 'balie:token' && typeof msg.token === 'string') {
      try {
        localStorage.setItem(key, msg.token);
      } catch {
        /* storage blocked here too: the conversation lasts this page view */
      }
    } else if (msg.type === 'balie:layout') {
      side = msg.position === 'left' ? 'left' : 'right';
      size(!!msg.open);
    }
  });
})();
