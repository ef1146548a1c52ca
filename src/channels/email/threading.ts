/**
 * Threading rules for e-mail, pure. Our outbound Message-IDs and Thread-Index headers encode the conversation,
 * so a reply finds its case even when the message it answers is gone; the order of evidence is: In-Reply-To /
 * References, then the per-conversation reply-to address (`local+token@domain`), then a `[#123]` subject token.
 */

const UUID_HEX = /^[0-9a-f]{32}$/;

const compact = (uuid: string) => uuid.replaceAll('-', '').toLowerCase();
const expand = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** `<balie.{message}.{conversation}@domain>` — the conversation is readable from any reply's References. */
export function ourMessageId(messageId: string, conversationId: string, domain: string): string {
  return `<balie.${compact(messageId)}.${compact(conversationId)}@${domain}>`;
}

export function conversationFromMessageId(id: string): string | null {
  const m = /^<?balie\.([0-9a-f]{32})\.([0-9a-f]{32})@[^>]+>?$/i.exec(id.trim());
  return m ? expand(m[2]!.toLowerCase()) : null;
}

/** Reply-to address that carries the conversation: support+c<hex>@example.com. */
export function replyToAddress(inboxAddress: string, conversationId: string): string {
  const [local, domain] = splitAddress(inboxAddress);
  return `${local}+c${compact(conversationId)}@${domain}`;
}

export function conversationFromAddress(address: string): string | null {
  const [local] = splitAddress(address);
  const plus = local.indexOf('+');
  if (plus < 0) return null;
  const token = local.slice(plus + 1).toLowerCase();
  if (!token.startsWith('c') || !UUID_HEX.test(token.slice(1))) return null;
  return expand(token.slice(1));
}

/** `local+anything@domain` → `local@domain`, lower-cased: the address an inbox is configured with. */
export function baseAddress(address: string): string {
  const [local, domain] = splitAddress(address.trim().toLowerCase());
  const plus = local.indexOf('+');
  return `${plus < 0 ? local : local.slice(0, plus)}@${domain}`;
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf('@');
  return at < 0 ? [address, ''] : [address.slice(0, at), address.slice(at + 1)];
}

export const subjectToken = (number: number) => `[#${number}]`;

export function numberFromSubject(subject: string | undefined | null): number | null {
  const m = /\[#(\d{1,9})\]/.exec(subject ?? '');
  return m ? Number(m[1]) : null;
}

/** "Re: Fwd: AW: Antw: hello" → "hello", for the subject of a new conversation and of our replies. */
export function baseSubject(subject: string | null | undefined): string {
  let s = (subject ?? '').trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|wg|antw|antwoord|doorst|sv|vs|tr|rif|r)\s*(\[\d+\])?\s*:\s*/i, '').trim();
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s*\[#\d{1,9}\]\s*/g, ' ').trim();
}

/**
 * Outlook's Thread-Index: 22 bytes (6 of FILETIME, 16 of GUID) that name the thread, plus 5 bytes per reply.
 * Ours puts the conversation id in the GUID, so an Outlook reply that only carries Thread-Index still threads.
 */
export function threadIndexRoot(header: string | undefined | null): string | null {
  if (!header) return null;
  const bytes = Buffer.from(header.trim(), 'base64');
  if (bytes.length < 22) return null;
  return bytes.subarray(0, 22).toString('base64');
}

export function conversationFromThreadIndex(header: string | undefined | null): string | null {
  const root = threadIndexRoot(header);
  if (!root) return null;
  const bytes = Buffer.from(root, 'base64');
  // Our roots start with six 0xba bytes where Outlook puts the time: a marker a real FILETIME never has.
  if (!bytes.subarray(0, 6).equals(Buffer.alloc(6, 0xba))) return null;
  return expand(bytes.subarray(6, 22).toString('hex'));
}

/** Thread-Index for our reply: the thread's root (the customer's Outlook root, or ours) plus 5 bytes. */
export function threadIndexFor(conversationId: string, existingRoot: string | null, seq: number): string {
  const root = existingRoot ? Buffer.from(existingRoot, 'base64') : Buffer.concat([Buffer.alloc(6, 0xba), Buffer.from(compact(conversationId), 'hex')]);
  const child = Buffer.alloc(5);
  child.writeUInt32BE(seq >>> 0, 0);
  return Buffer.concat([root.subarray(0, 22), child]).toString('base64');
}

export interface ThreadEvidence {
  /** Message-IDs this mail answers, most specific first (In-Reply-To, then References from the end). */
  referencedIds: string[];
  /** Conversation ids encoded in our own Message-IDs among them. */
  encodedConversations: string[];
  /** Conversation from a `+token` recipient address. */
  addressConversation: string | null;
  threadIndexRoot: string | null;
  threadIndexConversation: string | null;
  subjectNumber: number | null;
}

export function threadEvidence(input: {
  inReplyTo?: string | null;
  references?: string[] | string | null;
  recipients: string[];
  threadIndex?: string | null;
  subject?: string | null;
}): ThreadEvidence {
  const refs = typeof input.references === 'string' ? input.references.split(/\s+/) : (input.references ?? []);
  const ids: string[] = [];
  for (const raw of [input.inReplyTo ?? '', ...[...refs].reverse()]) {
    for (const m of raw.matchAll(/<[^<>\s]{1,900}>/g)) if (!ids.includes(m[0])) ids.push(m[0]);
  }
  const encoded = ids.map(conversationFromMessageId).filter((c): c is string => !!c);
  const fromAddress = input.recipients.map(conversationFromAddress).find((c) => !!c) ?? null;
  return {
    referencedIds: ids.slice(0, 50),
    encodedConversations: [...new Set(encoded)],
    addressConversation: fromAddress,
    threadIndexRoot: threadIndexRoot(input.threadIndex),
    threadIndexConversation: conversationFromThreadIndex(input.threadIndex),
    subjectNumber: numberFromSubject(input.subject),
  };
}
