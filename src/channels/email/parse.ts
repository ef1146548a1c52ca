import crypto from 'node:crypto';
import type { AddressObject, Attachment } from 'mailparser';
import { lazyRequire } from '../../shared/lazy-require';

const loadMailparser = lazyRequire<typeof import('mailparser')>('mailparser');

/** What Balie needs from one e-mail, taken from the raw bytes by mailparser (charsets, encodings, RFC 2047). */
export interface ParsedEmail {
  messageId: string | null;
  from: EmailAddress | null;
  replyTo: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  subject: string;
  date: Date | null;
  text: string;
  html: string | null;
  inReplyTo: string | null;
  references: string[];
  threadIndex: string | null;
  headers: Record<string, string>;
  attachments: ParsedAttachment[];
  dsn: DeliveryReport | null;
}

export interface EmailAddress {
  address: string;
  name: string;
}

export interface ParsedAttachment {
  fileName: string;
  contentType: string;
  data: Buffer;
  contentId: string | null;
  inline: boolean;
}

export interface DeliveryReport {
  action: string;
  status: string;
  diagnostic: string;
  originalMessageId: string | null;
}

/** Headers kept on the message for display and for auto-reply detection; everything else stays in the raw mail. */
const KEPT_HEADERS = ['auto-submitted', 'x-autoreply', 'x-autorespond', 'precedence', 'list-id', 'list-unsubscribe', 'x-auto-response-suppress', 'return-path', 'x-mailer', 'user-agent', 'content-type'];

/** The header block of a raw message, unfolded (mail without a blank line is all header). */
export function rawHeaderBlock(raw: Buffer): string {
  const head = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  return (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
}

export function rawHeader(raw: Buffer, name: string): string | null {
  const re = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im');
  const m = re.exec(rawHeaderBlock(raw));
  return m ? m[1]!.trim() : null;
}

/** Deduplication key: the Message-ID, or the hash of the bytes for mail without a usable one. */
export function messageKeyOf(raw: Buffer): string {
  const id = rawHeader(raw, 'message-id');
  const m = id ? /<[^<>\s]{1,900}>/.exec(id) : null;
  return m ? m[0] : `sha256:${crypto.createHash('sha256').update(raw).digest('hex')}`;
}

export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const mail = await loadMailparser().simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    // mailparser folds every List-* header into one `list` object: those are read from the raw header block.
    if (name.startsWith('list-')) {
      const raw1 = rawHeader(raw, name);
      if (raw1) headers[name] = raw1.slice(0, 500);
      continue;
    }
    const v = mail.headers.get(name);
    if (v === undefined) continue;
    headers[name] = (typeof v === 'string' ? v : typeof v === 'object' && v && 'value' in v ? String((v as { value: unknown }).value) : String(v)).slice(0, 500);
  }
  const threadIndex = mail.headers.get('thread-index');
  const attachments = mail.attachments.map(toAttachment);
  return {
    messageId: typeof mail.messageId === 'string' && /^<[^<>\s]{1,900}>$/.test(mail.messageId) ? mail.messageId : null,
    from: addresses(mail.from)[0] ?? null,
    replyTo: addresses(mail.replyTo),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: (mail.subject ?? '').slice(0, 1000),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : null,
    inReplyTo: typeof mail.inReplyTo === 'string' ? mail.inReplyTo : null,
    references: Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [],
    threadIndex: typeof threadIndex === 'string' ? threadIndex : null,
    headers,
    attachments,
    dsn: deliveryReport(mail.headers.get('content-type'), attachments, raw),
  };
}

function addresses(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: EmailAddress[] = [];
  const walk = (entries: { address?: string; name?: string; group?: unknown[] }[]) => {
    for (const e of entries) {
      if (Array.isArray(e.group)) walk(e.group as typeof entries);
      else if (e.address && /^[^\s@<>]{1,200}@[^\s@<>]{1,255}$/.test(e.address)) out.push({ address: e.address.toLowerCase(), name: (e.name ?? '').slice(0, 200) });
    }
  };
  for (const v of list) walk(v.value);
  return out.slice(0, 100);
}

function toAttachment(a: Attachment): ParsedAttachment {
  const cid = a.contentId ? a.contentId.replace(/^<|>$/g, '').slice(0, 300) : null;
  const ext = a.contentType === 'message/rfc822' ? '.eml' : '';
  return {
    fileName: a.filename ?? (a.contentType === 'message/rfc822' ? `message${ext}` : 'attachment'),
    contentType: a.contentType || 'application/octet-stream',
    data: a.content,
    contentId: cid,
    inline: a.contentDisposition === 'inline' || (!!cid && a.related === true),
  };
}

/** A DSN (multipart/report; report-type=delivery-status): which of our messages failed, and why. */
function deliveryReport(contentType: unknown, attachments: ParsedAttachment[], raw: Buffer): DeliveryReport | null {
  const ct = contentType as { value?: string; params?: Record<string, string> } | undefined;
  if (ct?.value !== 'multipart/report' || ct.params?.['report-type']?.toLowerCase() !== 'delivery-status') return null;
  const status = attachments.find((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status');
  const original = attachments.find((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers' || a.contentType === 'message/rfc822-headers');
  // mailparser does not always keep the status part's fields; the raw report is the fallback.
  const statusText = status ? status.data.toString('utf8') : '';
  const text = (/^status:/im.test(statusText) ? statusText : raw.subarray(0, 256 * 1024).toString('latin1')).replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text)?.[1]?.trim() ?? '';
  const originalId = original ? /^message-id:\s*(<[^<>\s]+>)/im.exec(original.data.subarray(0, 64 * 1024).toString('latin1').replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? null : null;
  return { action: field('action').toLowerCase(), status: field('status'), diagnostic: field('diagnostic-code').slice(0, 300), originalMessageId: originalId };
}
