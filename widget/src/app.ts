import type { TranscriptResult, VisitorMessage, WidgetLiveFrame, WidgetSession } from '../../src/shared/widget';
import { texts, type Texts } from './texts';

/**
 * The widget's frame app (plain TypeScript, no framework, to stay small). Everything a visitor or agent wrote
 * is put in the page as text (textContent), never as HTML. The visitor token lives in this origin's storage,
 * so the conversation survives reloads and tabs; messages arrive over a WebSocket that reconnects, and what
 * the visitor writes while offline waits in a queue (with a client id, so a resend is never a duplicate).
 */
/** A message as the server sends it, or one still waiting in the offline queue. */
type Msg = VisitorMessage & { pending?: boolean };
interface Pending {
  clientId: string;
  content: string;
  attachments?: { fileName: string; contentType: string; data: string }[];
}
type Session = WidgetSession;

const rootEl = document.getElementById('balie-widget')!;
const boot = JSON.parse(rootEl.dataset.boot!) as { inboxId: string; hostOrigin: string; lang: 'nl' | 'en'; base: string };
const storeKey = `balie:${boot.inboxId}`;
const queueKey = `${storeKey}:queue`;
let lang: 'nl' | 'en' = boot.lang;
let T: Texts = texts[lang];
let session: Session | null = null;
let messages: Msg[] = [];
let open = false;
let unread = 0;
let ws: WebSocket | null = null;
let wsRetry = 0;
let online = false;
let typingTimer = 0;
let lastTypingSent = 0;
let notice = '';
let preChat = { name: '', email: '' };

const storage = {
  get: (k: string) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set: (k: string, v: string) => {
    try {
      localStorage.setItem(k, v);
    } catch {
      /* storage blocked: the conversation lasts this page view */
    }
  },
};
// The offline queue in memory, mirrored to storage so it survives a reload (where storage is allowed).
let memQueue: Pending[] = JSON.parse(storage.get(queueKey) ?? '[]') as Pending[];
const queue = (): Pending[] => memQueue;
const saveQueue = (q: Pending[]) => {
  memQueue = q;
  storage.set(queueKey, JSON.stringify(q));
};
let flushing = false;
const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | null | false)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/**
 * Icons as inline SVG: emoji depend on the visitor's fonts (Debian's Chromium without an emoji font shows a
 * box), and an <img> would need the frame's CSP to allow more. Drawn with currentColor, so they follow the theme.
 */
const ICONS = {
  chat: 'M4 5h16v11H9l-5 4z',
  close: 'M6 6l12 12M18 6L6 18',
  attach: 'M20 11.5l-7.8 7.8a5 5 0 01-7.1-7.1l8.5-8.5a3.3 3.3 0 014.7 4.7l-8.5 8.5a1.7 1.7 0 01-2.4-2.4l7.8-7.8',
};
function icon(name: keyof typeof ICONS): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '1em', height: '1em', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', class: `icon icon-${name}` })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(session ? { 'x-widget-token': session.token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  const error = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (!res.ok) throw Object.assign(new Error(error?.message ?? 'request failed'), { status: res.status, code: error?.code });
  return data as T;
}

function layout() {
  parent.postMessage({ type: 'balie:layout', open, position: session?.config.position ?? 'right' }, boot.hostOrigin);
}

function beep() {
  try {
    const ctx = new AudioContext();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.08, ctx.currentTime);
    g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.25);
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.25);
  } catch {
    /* no audio allowed yet */
  }
}

function upsert(m: Msg, fromLive: boolean) {
  const i = messages.findIndex((x) => x.id === m.id);
  if (i >= 0) messages[i] = m;
  else {
    messages.push(m);
    if (fromLive && m.from !== 'visitor') {
      if (!open || document.hidden) {
        unread++;
        beep();
      }
    }
  }
  messages.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function connect() {
  if (!session) return;
  const url = `${boot.base.replace(/^http/, 'ws')}/api/widget/v1/live?token=${encodeURIComponent(session.token)}`;
  ws = new WebSocket(url);
  ws.onopen = () => {
    wsRetry = 0;
    online = true;
    void flushQueue();
    render();
  };
  ws.onmessage = (e) => {
    const f = JSON.parse(String(e.data)) as WidgetLiveFrame;
    if (f.type === 'message' && f.message) {
      upsert(f.message, true);
      showTyping(false);
    } else if (f.type === 'conversation' && f.conversation && session) {
      // The live frame carries only id and status: keep what we know of the same conversation, fetch the rest of a new one.
      const prev = session.conversation?.id === f.conversation.id ? session.conversation : null;
      session.conversation = { number: prev?.number ?? 0, csat: prev?.csat ?? null, botState: prev?.botState ?? null, ...f.conversation };
      if (!prev) void sync();
    } else if (f.type === 'typing') showTyping(true);
    else if (f.type === 'ready' || f.type === 'sync') void sync();
    render();
  };
  ws.onclose = (e) => {
    online = false;
    ws = null;
    render();
    if (e.code === 4401) return void start(true);
    // Back off up to 30 s; a tab in the background keeps trying, slowly.
    setTimeout(connect, Math.min(30_000, 500 * 2 ** wsRetry++));
  };
}

/** Catches up on what arrived while this tab was not connected (reconnects, the bot's first answer). */
async function sync() {
  const h = await api<{ conversation: Session['conversation']; messages: Msg[] }>('GET', '/api/widget/v1/conversation').catch(() => null);
  if (!h || !session) return;
  for (const m of h.messages) upsert(m, !messages.some((x) => x.id === m.id) && messages.length > 0);
  if (h.conversation) session.conversation = { ...h.conversation, csat: h.conversation.csat ?? session.conversation?.csat ?? null };
  render();
}

let typingVisible = false;
function showTyping(on: boolean) {
  typingVisible = on;
  clearTimeout(typingTimer);
  if (on) typingTimer = window.setTimeout(() => showTyping(false), 5000);
  render();
}

async function flushQueue() {
  if (flushing) return;
  flushing = true;
  try {
    await flushOnce();
  } finally {
    flushing = false;
  }
  render();
}

async function flushOnce() {
  for (const p of queue()) {
    try {
      const r = await api<{ message: Msg }>('POST', '/api/widget/v1/messages', { clientId: p.clientId, content: p.content, attachments: p.attachments, locale: lang, ...(preChat.name || preChat.email ? preChat : {}) });
      saveQueue(queue().filter((q) => q.clientId !== p.clientId));
      messages = messages.filter((m) => m.id !== `pending:${p.clientId}`);
      upsert(r.message, false);
      // A socket still connecting binds itself when it opens (and then syncs).
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'bind' }));
      // The bot answers within the same request: fetch its answer rather than wait for the socket's binding.
      if (session?.config.botEnabled) void sync();
      notice = '';
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status && status < 500 && status !== 429) {
        // Refused for good (file type, size): drop it and say why.
        saveQueue(queue().filter((q) => q.clientId !== p.clientId));
        messages = messages.filter((m) => m.id !== `pending:${p.clientId}`);
        notice = (err as { code?: string }).code === 'file_type_not_allowed' || status === 413 ? T.fileType : T.failed;
      } else if (status === 429) notice = T.rateLimited;
      break;
    }
  }
}

function enqueue(p: Pending) {
  saveQueue([...queue(), p]);
  messages.push({ id: `pending:${p.clientId}`, from: 'visitor', senderName: null, content: p.content || (p.attachments?.[0]?.fileName ?? ''), createdAt: new Date().toISOString(), attachments: [], pending: true });
  render();
  void flushQueue();
}

async function start(reset = false) {
  const identity = initIdentity;
  const saved = storage.get(storeKey) ?? initToken;
  const body = { hostOrigin: boot.hostOrigin, token: reset ? undefined : saved, locale: boot.lang, ...identity };
  try {
    session = await api<Session>('POST', `/api/widget/v1/inboxes/${boot.inboxId}/session`, body);
  } catch (err) {
    if ((err as { code?: string }).code === 'identity_invalid' || (err as { code?: string }).code === 'identity_not_enabled') {
      notice = T.identityFailed;
      session = await api<Session>('POST', `/api/widget/v1/inboxes/${boot.inboxId}/session`, { hostOrigin: boot.hostOrigin, token: saved, locale: boot.lang });
    } else throw err;
  }
  storage.set(storeKey, session.token);
  parent.postMessage({ type: 'balie:token', token: session.token }, boot.hostOrigin);
  if (session.config.language !== 'auto') lang = session.config.language;
  T = texts[lang];
  document.documentElement.lang = lang;
  document.documentElement.style.setProperty('--balie-color', session.config.color);
  messages = [];
  for (const m of session.messages) upsert(m, false);
  for (const p of queue()) messages.push({ id: `pending:${p.clientId}`, from: 'visitor', senderName: null, content: p.content, createdAt: new Date().toISOString(), attachments: [], pending: true });
  layout();
  render();
  connect();
}

function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(',')[1] ?? '');
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

const ALLOWED = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain)$/;

function messageView(m: Msg): HTMLElement {
  const who = m.from === 'visitor' ? T.you : m.from === 'bot' ? T.bot : (m.senderName ?? T.agent);
  const files = m.attachments.map((a) => {
    const href = `/api/widget/v1/files/${a.id}?token=${encodeURIComponent(session!.token)}`;
    // Images show as a thumbnail (the server sends only these types inline); other files as a link.
    const image = /^image\/(png|jpeg|gif|webp)$/.test(a.contentType) ? h('img', { class: 'thumb', src: href, alt: a.fileName, loading: 'lazy' }) : null;
    return h('a', { class: image ? 'file image' : 'file', href, target: '_blank', rel: 'noopener' }, image ?? a.fileName);
  });
  const link = m.bot?.articleUrl && m.bot.articleUrl.startsWith('/help/') ? h('a', { class: 'article', href: boot.base + m.bot.articleUrl, target: '_blank', rel: 'noopener' }, T.readArticle) : null;
  const isLast = messages[messages.length - 1]?.id === m.id;
  const feedback =
    m.bot?.askFeedback && isLast
      ? h('div', { class: 'feedback' }, T.helped, ' ', button(T.yes, () => void botFeedback(true)), button(T.no, () => void botFeedback(false)))
      : null;
  return h(
    'div',
    { class: `msg ${m.from}${m.pending ? ' pending' : ''}`, 'data-from': m.from },
    h('div', { class: 'who' }, who),
    h('div', { class: 'bubble' }, m.content, ...files),
    link,
    feedback,
    m.pending ? h('div', { class: 'state' }, T.sending) : null,
  );
}

function button(label: string, onClick: () => void, cls = 'small'): HTMLButtonElement {
  const b = h('button', { type: 'button', class: cls }, label);
  b.onclick = onClick;
  return b;
}

async function botFeedback(helpful: boolean) {
  messages = messages.map((m) => (m.bot?.askFeedback ? { ...m, bot: { ...m.bot, askFeedback: false } } : m));
  render();
  await api('POST', '/api/widget/v1/bot-feedback', { helpful, locale: lang }).catch(() => {});
}

let searchResults: { title: string; url: string; excerpt: string }[] | null = null;
let searchQuery = '';
let csatDone = false;
/** What the transcript request answered: said as it is (a typed address is only mailed after its confirmation). */
let transcriptDone: false | string = false;
let draft = '';

function render() {
  const focused = document.activeElement?.getAttribute('name');
  rootEl.replaceChildren();
  const launcher = button('', () => {
    open = !open;
    if (open) unread = 0;
    layout();
    render();
  }, 'launcher');
  launcher.append(icon(open ? 'close' : 'chat'));
  launcher.setAttribute('aria-label', open ? T.close : T.open);
  if (unread > 0 && !open) launcher.append(h('span', { class: 'badge', 'aria-label': String(unread) }, String(unread)));
  if (!open || !session) {
    rootEl.append(launcher);
    return;
  }
  const c = session.config;
  const header = h('header', {}, h('strong', {}, c.name), h('div', { class: 'expect' }, session.expectation.text));
  const list = h('div', { class: 'messages', role: 'log', 'aria-live': 'polite' });
  const greeting = c.greeting[lang] || T.greeting;
  list.append(h('div', { class: 'msg agent greeting' }, h('div', { class: 'bubble' }, greeting)));
  for (const m of messages) list.append(messageView(m));
  if (typingVisible) list.append(h('div', { class: 'typing' }, `${T.agent} ${T.typing}`));

  const conv = session.conversation;
  if (c.csatEnabled && conv && (conv.status === 'resolved' || conv.status === 'closed') && !conv.csat && !csatDone) list.append(csatForm());
  else if (csatDone) list.append(h('div', { class: 'notice' }, T.csatThanks));

  const needsPreChat = c.preChatForm === 'required' && messages.length === 0 && !session.verified && !preChat.email;
  const panel = h('section', { class: 'panel', 'aria-label': c.name }, header, searchBox(), list);
  // Incident mode: the known outage first, so the visitor has the answer before asking.
  for (const i of session.incidents ?? []) header.after(h('div', { class: 'incident', role: 'status', 'data-incident': i.id }, i.banner[lang] || i.banner.nl));
  if (notice) panel.append(h('div', { class: 'notice', role: 'status' }, notice));
  if (!online) panel.append(h('div', { class: 'notice offline', role: 'status' }, T.offline));
  panel.append(needsPreChat || (c.preChatForm === 'optional' && messages.length === 0 && !session.verified && !preChat.email && !preChat.name) ? preChatForm(c.preChatForm === 'required') : composer());
  if (messages.length > 0) panel.append(callbackForm(), transcriptForm());
  rootEl.append(panel, launcher);
  list.scrollTop = list.scrollHeight;
  if (focused) (rootEl.querySelector(`[name="${focused}"]`) as HTMLElement | null)?.focus();
}

function composer(): HTMLElement {
  const input = h('textarea', { name: 'message', rows: '2', placeholder: T.placeholder, 'aria-label': T.placeholder, maxlength: '10000' });
  input.value = draft;
  const file = h('input', { type: 'file', name: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain', 'aria-label': T.attach, class: 'fileinput' });
  const send = async () => {
    const content = input.value.trim();
    const f = file.files?.[0];
    if (!content && !f) return;
    let attachments: Pending['attachments'];
    if (f) {
      if (!ALLOWED.test(f.type) || f.size > 5 * 1024 * 1024) {
        notice = T.fileType;
        render();
        return;
      }
      attachments = [{ fileName: f.name, contentType: f.type, data: await fileToBase64(f) }];
    }
    draft = '';
    enqueue({ clientId: newId(), content, attachments });
  };
  input.oninput = () => {
    draft = input.value;
    if (Date.now() - lastTypingSent > 3000 && ws?.readyState === WebSocket.OPEN) {
      lastTypingSent = Date.now();
      ws.send(JSON.stringify({ type: 'typing' }));
    }
  };
  input.onkeydown = (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  };
  const attach = h('label', { class: 'attach', title: T.attach }, icon('attach'), file);
  return h('div', { class: 'composer' }, input, attach, button(T.send, () => void send(), 'send'));
}

function preChatForm(required: boolean): HTMLElement {
  const name = h('input', { name: 'prechat-name', 'aria-label': T.name, placeholder: T.name, maxlength: '200' });
  const email = h('input', { name: 'prechat-email', type: 'email', 'aria-label': T.email, placeholder: T.email, maxlength: '320', ...(required ? { required: '' } : {}) });
  const go = () => {
    if (required && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.value.trim())) {
      email.focus();
      return;
    }
    preChat = { name: name.value.trim(), email: email.value.trim() || (required ? '' : ' ') };
    render();
  };
  return h('div', { class: 'prechat' }, h('strong', {}, T.preChatTitle), name, email, button(T.start, go, 'send'));
}

function csatForm(): HTMLElement {
  let rating = 0;
  const stars = h('div', { class: 'stars', role: 'radiogroup', 'aria-label': T.csatTitle });
  const comment = h('textarea', { name: 'csat-comment', rows: '2', 'aria-label': T.csatComment, placeholder: T.csatComment, maxlength: '2000' });
  for (let i = 1; i <= 5; i++) {
    const b = button(String(i), () => {
      rating = i;
      stars.querySelectorAll('button').forEach((x, j) => x.setAttribute('aria-checked', String(j < i)));
    }, 'star');
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', 'false');
    b.setAttribute('aria-label', T.rating(i));
    stars.append(b);
  }
  const submit = button(T.csatSend, () => {
    if (!rating) return;
    void api('POST', '/api/widget/v1/csat', { rating, comment: comment.value.trim() || undefined }).then(() => {
      csatDone = true;
      render();
    });
  }, 'send');
  return h('div', { class: 'csat' }, h('strong', {}, T.csatTitle), stars, comment, submit);
}

/**
 * "Call me back": the phone line's free slots by day (full ones shown, not pickable); the server checks the pick
 * again and says in the visitor's language when it is no longer possible. State lives outside the element, as a
 * live message re-renders the panel.
 */
interface Slots {
  timeZone: string;
  slots: { start: string; end: string; available: boolean }[];
}
const cb = { open: false, slots: null as Slots | null, phone: '', slot: '', done: '', error: '' };
function loadSlots() {
  void api<Slots>('GET', `/api/widget/v1/callback-slots?locale=${lang}`).then(
    (s) => {
      cb.slots = s;
      render();
    },
    (err: Error & { code?: string }) => {
      cb.error = err.code === 'no_conversation' ? err.message : T.failed;
      render();
    },
  );
}
function callbackForm(): HTMLElement {
  if (cb.done) return h('div', { class: 'notice', role: 'status' }, cb.done);
  const d = h('details', { class: 'callback' }, h('summary', {}, T.callback));
  d.open = cb.open;
  d.addEventListener('toggle', () => {
    cb.open = d.open;
    if (d.open && !cb.slots) loadSlots();
  });
  if (!cb.slots) {
    if (cb.error) d.append(h('div', { class: 'error', role: 'alert' }, cb.error));
    return d;
  }
  const tag = lang === 'nl' ? 'nl-NL' : 'en-GB';
  const tz = cb.slots.timeZone;
  const day = new Intl.DateTimeFormat(tag, { timeZone: tz, weekday: 'long', day: 'numeric', month: 'long' });
  const time = new Intl.DateTimeFormat(tag, { timeZone: tz, hour: '2-digit', minute: '2-digit' });
  const phone = h('input', { name: 'callback-phone', type: 'tel', autocomplete: 'tel', 'aria-label': T.callbackPhone, placeholder: T.callbackPhone });
  phone.value = cb.phone;
  phone.addEventListener('input', () => (cb.phone = phone.value));
  const select = h('select', { name: 'callback-slot', 'aria-label': T.callbackSlot }, h('option', { value: '' }, T.callbackPick));
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const s of cb.slots.slots) {
    const label = day.format(new Date(s.start));
    let g = groups.get(label);
    if (!g) {
      g = h('optgroup', { label });
      groups.set(label, g);
      select.append(g);
    }
    const o = h('option', { value: s.start }, `${time.format(new Date(s.start))} – ${time.format(new Date(s.end))}${s.available ? '' : ` (${T.callbackFull})`}`);
    o.disabled = !s.available;
    g.append(o);
  }
  select.value = cb.slot;
  select.addEventListener('change', () => (cb.slot = select.value));
  const send = button(T.callbackSend, () => {
    const picked = cb.slots?.slots.find((s) => s.start === select.value);
    if (!picked && cb.slots?.slots.length) return select.focus();
    cb.error = '';
    void api<{ dueAt: string; windowEndsAt: string }>('POST', '/api/widget/v1/callback', { phone: phone.value.trim(), slot: picked?.start, locale: lang }).then(
      (r) => {
        cb.done = T.callbackDone(`${day.format(new Date(r.dueAt))} ${time.format(new Date(r.dueAt))}–${time.format(new Date(r.windowEndsAt))}`);
        render();
      },
      (err: Error & { code?: string; status?: number }) => {
        // Our own checks (slot taken meanwhile, outside hours, no number) say why; anything else is a plain failure.
        cb.error = /^(slot_|phone_required)/.test(err.code ?? '') ? err.message : T.failed;
        if (err.code === 'slot_full' && picked) {
          picked.available = false;
          cb.slot = '';
        }
        render();
      },
    );
  }, 'send');
  d.append(phone, cb.slots.slots.length ? select : h('p', {}, T.callbackNoSlots), send);
  if (cb.error) d.append(h('div', { class: 'error', role: 'alert' }, cb.error));
  return d;
}

function transcriptForm(): HTMLElement {
  if (transcriptDone) return h('div', { class: 'notice', role: 'status' }, transcriptDone);
  const email = h('input', { name: 'transcript-email', type: 'email', 'aria-label': T.email, placeholder: T.email, maxlength: '320' });
  const d = h('details', { class: 'transcript' }, h('summary', {}, T.transcript), email, button(T.transcriptSend, () => {
    const address = email.value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      email.focus();
      return;
    }
    void api<TranscriptResult>('POST', '/api/widget/v1/transcript', { email: address, locale: lang }).then((r) => {
      transcriptDone = r.confirmationSent
        ? T.transcriptConfirm(address, r.continuesAfterConfirmation)
        : r.mailed
          ? r.continuesByEmail
            ? T.transcriptContinues
            : T.transcriptDone
          : T.transcriptUnavailable;
      render();
    }).catch((err: { status?: number }) => {
      notice = err.status === 429 ? T.rateLimited : T.failed;
      render();
    });
  }));
  return d;
}

function searchBox(): HTMLElement {
  const q = h('input', { name: 'kb-search', type: 'search', placeholder: T.search, 'aria-label': T.search });
  // Kept outside the element: a live message re-renders the panel, and the query must survive that.
  q.value = searchQuery;
  q.oninput = () => {
    searchQuery = q.value;
  };
  const run = async () => {
    if (!q.value.trim()) {
      searchResults = null;
      return render();
    }
    const r = await api<{ items: { title: string; url: string; excerpt: string }[] }>('GET', `/api/widget/v1/kb/search?q=${encodeURIComponent(q.value.trim())}&locale=${lang}`).catch(() => ({ items: [] }));
    searchResults = r.items;
    render();
  };
  q.onkeydown = (e) => {
    if (e.key === 'Enter') void run();
  };
  const results = searchResults
    ? h(
        'ul',
        { class: 'results' },
        ...(searchResults.length
          ? searchResults.map((r) => h('li', {}, r.url.startsWith('/help/') ? h('a', { href: boot.base + r.url, target: '_blank', rel: 'noopener' }, r.title) : r.title, h('div', { class: 'excerpt' }, r.excerpt)))
          : [h('li', {}, T.noResults)]),
      )
    : null;
  return h('div', { class: 'search' }, q, results);
}

let initIdentity: { identifier?: string; identifierHash?: string; name?: string; email?: string } = {};
let initToken: string | undefined;
let started = false;
function begin() {
  if (started) return;
  started = true;
  void start().catch(() => {
    notice = T.failed;
    render();
  });
}
window.addEventListener('message', (e: MessageEvent) => {
  if (e.source !== parent || e.origin !== boot.hostOrigin) return;
  const d = e.data as { type?: string; identity?: typeof initIdentity; token?: unknown };
  if (d.type === 'balie:init') {
    if (typeof d.token === 'string' && d.token.length < 2000) initToken = d.token;
    const id = d.identity ?? {};
    initIdentity = Object.fromEntries(Object.entries(id).filter(([, v]) => typeof v === 'string' && v)) as typeof initIdentity;
    begin();
  }
});
window.addEventListener('online', () => void flushQueue());
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && open) unread = 0;
});
render();
parent.postMessage({ type: 'balie:ready' }, boot.hostOrigin);
// A host page whose loader never answers (embedded without it) still gets a working anonymous chat.
setTimeout(begin, 1500);
