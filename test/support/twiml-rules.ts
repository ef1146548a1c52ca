/**
 * A strict checker for the TwiML Balie sends: well-formed XML (own small parser, so a bug in our writer cannot
 * hide behind a lenient library), a <Response> root, only verbs Twilio knows, each only where Twilio allows it,
 * and only the attributes (with valid values) Twilio documents for it. Used by tests, never by the server.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`invalid XML at ${i}: ${msg}`);
  };
  const decode = (s: string) =>
    s.replace(/&(#x[0-9a-f]+|#\d+|\w+);|&/gi, (m, e: string | undefined) => {
      if (!e) return fail('bare &');
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      return ENTITIES[e] ?? fail(`unknown entity ${m}`);
    });
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
  };
  const name = () => {
    const m = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i));
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('expected <');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      const attr = name();
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      skipSpace();
      if (xml[i] !== '=') fail('expected =');
      i++;
      skipSpace();
      const q = xml[i];
      if (q !== '"' && q !== "'") return fail('expected a quoted value');
      const end = xml.indexOf(q, i + 1);
      if (end < 0) fail('unterminated attribute');
      const raw = xml.slice(i + 1, end);
      if (raw.includes('<')) fail('< in attribute');
      el.attrs[attr] = decode(raw);
      i = end + 1;
    }
    for (;;) {
      if (i >= xml.length) fail(`unclosed <${el.name}>`);
      if (xml.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipSpace();
        if (xml[i] !== '>') fail('expected >');
        i++;
        return el;
      }
      if (xml[i] === '<') el.children.push(element());
      else {
        const next = xml.indexOf('<', i);
        const text = xml.slice(i, next < 0 ? xml.length : next);
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) fail('control character in text');
        el.children.push(decode(text));
        i = next < 0 ? xml.length : next;
      }
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

type AttrRule = 'url' | 'method' | 'int' | 'bool' | 'text' | RegExp;
const url: AttrRule = 'url';
const method: AttrRule = 'method';
const int: AttrRule = 'int';
const bool: AttrRule = 'bool';
const text: AttrRule = 'text';

interface VerbRule {
  attrs: Record<string, AttrRule>;
  /** Verbs/nouns allowed inside; 'text' for text content; [] for empty. */
  children: string[];
  textRequired?: boolean;
}

const LANGUAGES = /^(nl-NL|en-GB|en-US|en-AU|en-IN|de-DE|fr-FR|es-ES|it-IT|pt-BR|pt-PT|da-DK|sv-SE|nb-NO|pl-PL|ru-RU|ja-JP|ko-KR|zh-CN|zh-HK|zh-TW|ca-ES|fi-FI)$/;
const say: VerbRule = { attrs: { voice: /^(man|woman|alice|Polly\.[A-Za-z-]+|Google\.[A-Za-z0-9-]+)$/, language: LANGUAGES, loop: int }, children: ['text'], textRequired: true };
const play: VerbRule = { attrs: { loop: int, digits: /^[0-9wW*#]+$/ }, children: ['text'] };
const pause: VerbRule = { attrs: { length: int }, children: [] };

export const TWIML_RULES: Record<string, VerbRule> = {
  Response: { attrs: {}, children: ['Say', 'Play', 'Pause', 'Gather', 'Dial', 'Enqueue', 'Leave', 'Hangup', 'Redirect', 'Reject', 'Record', 'Sms', 'Message'] },
  Say: say,
  Play: play,
  Pause: pause,
  Gather: {
    attrs: {
      action: url,
      method,
      timeout: int,
      numDigits: int,
      finishOnKey: /^[0-9*#]?$/,
      input: /^(dtmf|speech|dtmf speech)$/,
      language: LANGUAGES,
      speechTimeout: /^(auto|\d+)$/,
      hints: text,
      actionOnEmptyResult: bool,
    },
    children: ['Say', 'Play', 'Pause'],
  },
  Dial: {
    attrs: { action: url, method, timeout: int, callerId: /^(\+[1-9]\d{6,14}|client:[\w.-]+)$/, record: /^(do-not-record|record-from-answer|record-from-ringing|record-from-answer-dual|record-from-ringing-dual)$/, answerOnBridge: bool, timeLimit: int, hangupOnStar: bool, ringTone: /^[a-z]{2}$/, recordingStatusCallback: url, recordingStatusCallbackEvent: text },
    children: ['text', 'Number', 'Client', 'Sip', 'Queue', 'Conference'],
  },
  Number: { attrs: { url, method, statusCallback: url, statusCallbackEvent: /^(initiated|ringing|answered|completed)( (initiated|ringing|answered|completed))*$/, statusCallbackMethod: method, sendDigits: /^[0-9wW*#]+$/ }, children: ['text'], textRequired: true },
  Client: { attrs: { url, method, statusCallback: url, statusCallbackEvent: text, statusCallbackMethod: method }, children: ['text', 'Identity', 'Parameter'], textRequired: true },
  Identity: { attrs: {}, children: ['text'], textRequired: true },
  Parameter: { attrs: { name: text, value: text }, children: [] },
  Sip: { attrs: { username: text, password: text, url, method }, children: ['text'], textRequired: true },
  Queue: { attrs: { url, method }, children: ['text'], textRequired: true },
  Conference: { attrs: { startConferenceOnEnter: bool, endConferenceOnExit: bool, beep: /^(true|false|onEnter|onExit)$/, statusCallback: url, statusCallbackEvent: text, waitUrl: url, maxParticipants: int }, children: ['text'], textRequired: true },
  Enqueue: { attrs: { action: url, method, waitUrl: url, waitUrlMethod: method, workflowSid: /^WW[0-9a-f]{32}$/ }, children: ['text'], textRequired: true },
  Leave: { attrs: {}, children: [] },
  Hangup: { attrs: {}, children: [] },
  Redirect: { attrs: { method }, children: ['text'], textRequired: true },
  Reject: { attrs: { reason: /^(rejected|busy)$/ }, children: [] },
  Record: {
    attrs: { action: url, method, timeout: int, finishOnKey: /^[0-9*#]*$/, maxLength: int, playBeep: bool, trim: /^(trim-silence|do-not-trim)$/, recordingStatusCallback: url, recordingStatusCallbackMethod: method, recordingStatusCallbackEvent: text, transcribe: bool, transcribeCallback: url },
    children: [],
  },
  Sms: { attrs: { to: /^\+[1-9]\d{6,14}$/, from: /^\+[1-9]\d{6,14}$/, action: url, method, statusCallback: url }, children: ['text'], textRequired: true },
  Message: { attrs: { to: /^\+[1-9]\d{6,14}$/, from: /^\+[1-9]\d{6,14}$/, action: url, method, statusCallback: url }, children: ['text', 'Body', 'Media'] },
};

function checkAttr(rule: AttrRule, value: string): boolean {
  if (rule === 'url') return isUrl(value);
  if (rule === 'method') return value === 'GET' || value === 'POST';
  if (rule === 'int') return /^\d+$/.test(value);
  if (rule === 'bool') return value === 'true' || value === 'false';
  if (rule === 'text') return true;
  return rule.test(value);
}

function isUrl(value: string): boolean {
  if (value.startsWith('/')) return true;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Every rule violation in a TwiML document; empty when Twilio would accept it. */
export function twimlProblems(xml: string): string[] {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    return [(err as Error).message];
  }
  if (root.name !== 'Response') return [`root is <${root.name}>, not <Response>`];
  const problems: string[] = [];
  const walk = (el: XmlElement, path: string) => {
    const rule = TWIML_RULES[el.name]!;
    for (const [k, v] of Object.entries(el.attrs)) {
      const r = rule.attrs[k];
      if (!r) problems.push(`${path}: unknown attribute ${k}`);
      else if (!checkAttr(r, v)) problems.push(`${path}: bad ${k}="${v}"`);
    }
    const texts = el.children.filter((c): c is string => typeof c === 'string');
    if (texts.some((t) => t.trim() !== '') && !rule.children.includes('text')) problems.push(`${path}: text not allowed`);
    if (rule.textRequired && texts.join('').trim() === '' && !el.children.some((c) => typeof c !== 'string')) problems.push(`${path}: needs text`);
    for (const c of el.children) {
      if (typeof c === 'string') continue;
      if (!rule.children.includes(c.name) || !TWIML_RULES[c.name]) problems.push(`${path}: <${c.name}> not allowed here`);
      else walk(c, `${path}/${c.name}`);
    }
  };
  walk(root, 'Response');
  return problems;
}

/** The elements of a parsed document in document order, for assertions like "the third verb is a Gather". */
export function verbs(xml: string): XmlElement[] {
  return parseXml(xml).children.filter((c): c is XmlElement => typeof c !== 'string');
}

export const textOf = (el: XmlElement): string => el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
