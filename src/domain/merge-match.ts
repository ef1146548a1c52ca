import { normalizePhone } from './identity';

/**
 * Rules for "probably the same person" (merge suggestions; an agent always confirms). Pure: the app layer loads
 * the contacts and their identities.
 */

/**
 * Mail providers where a shared domain says nothing about two people (everyone has gmail.com). Distinctive
 * provider names match under any public suffix (`hotmail.co.uk`, `yahoo.fr`, `live.nl`); generic words only as
 * the whole domain, since a company may well be `home.example` or `online-shop.nl`.
 */
const FREEMAIL_PROVIDERS = new Set([
  'gmail', 'googlemail', 'outlook', 'hotmail', 'live', 'msn', 'passport', 'yahoo', 'ymail', 'rocketmail', 'aol',
  'icloud', 'gmx', 'protonmail', 'tutanota', 'tuta', 'zoho', 'yandex', 'fastmail', 'posteo', 'mailbox',
  'ziggo', 'kpnmail', 'kpnplanet', 'hetnet', 'xs4all', 'telfort', 'tele2', 'upcmail', 'chello', 'quicknet', 'caiway',
  'zeelandnet', 'freeler', 'wanadoo', 'laposte', 'skynet', 'telenet', 'scarlet', 'proximus', 't-online', 'freenet',
  'libero', 'virgilio', 'seznam', 'btinternet', 'virginmedia', 'talktalk', 'comcast', 'verizon', 'sbcglobal', 'qq',
]);
const FREEMAIL_DOMAINS = new Set([
  'home.nl', 'planet.nl', 'online.nl', 'mail.com', 'email.com', 'mail.ru', 'web.de', 'me.com', 'mac.com', 'hey.com',
  'pm.me', 'proton.me', 'free.fr', 'orange.fr', 'orange.nl', 'sky.com', 'att.net', 'wp.pl', 'onet.pl', 'o2.pl', '163.com', '126.com',
]);

export function isFreemailDomain(domain: string): boolean {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  if (FREEMAIL_DOMAINS.has(d)) return true;
  const labels = d.split('.');
  if (labels.length < 2) return false;
  // The provider's name is the label before the public suffix: one label (live.nl) or two (yahoo.co.uk).
  const suffixLen = labels.length >= 3 && labels.at(-2)!.length <= 3 && labels.at(-1)!.length === 2 ? 2 : 1;
  return FREEMAIL_PROVIDERS.has(labels[labels.length - 1 - suffixLen] ?? '');
}

export interface MatchableContact {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  identities: { kind: string; value: string }[];
}

/** Every phone number we know for the contact, in E.164: phone and WhatsApp identities, the phone field, phone-like attributes. */
export function phonesOf(c: MatchableContact): Set<string> {
  const raw: string[] = [];
  for (const i of c.identities) if (i.kind === 'phone' || i.kind === 'whatsapp') raw.push(i.value);
  if (c.phone) raw.push(c.phone);
  for (const [k, v] of Object.entries(c.attributes)) if (typeof v === 'string' && /phone|tel|mobiel|mobile|gsm|nummer/i.test(k)) raw.push(v);
  const out = new Set<string>();
  for (const r of raw) {
    const n = normalizePhone(r);
    if (n.ok) out.add(n.value);
  }
  return out;
}

/** The company domains of the contact's e-mail addresses (freemail domains left out). */
export function companyDomainsOf(c: MatchableContact): Set<string> {
  const out = new Set<string>();
  const addresses = c.identities.filter((i) => i.kind === 'email').map((i) => i.value);
  if (c.email) addresses.push(c.email);
  for (const a of addresses) {
    const domain = a.slice(a.lastIndexOf('@') + 1).trim().toLowerCase();
    if (domain && a.includes('@') && !isFreemailDomain(domain)) out.add(domain);
  }
  return out;
}

export const sameName = (a: string, b: string) => normalizeName(a) !== '' && normalizeName(a) === normalizeName(b);
export const normalizeName = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Identity kinds that name a channel account. */
const CHANNEL_KINDS = new Set(['whatsapp', 'messenger', 'instagram', 'telegram', 'widget', 'email', 'phone']);

export type MatchReason = 'same_name_phone' | 'same_name_domain' | 'same_name';

/**
 * Why `other` is probably `self`, strongest reason first, or null. Same name and phone; same name and company
 * e-mail domain; or same name on channels they do not share (one person switching from Messenger to Telegram —
 * two contacts on one channel are two accounts, not one person).
 */
export function matchReason(self: MatchableContact, other: MatchableContact): { reason: MatchReason; detail?: string } | null {
  if (!sameName(self.name, other.name) || normalizeName(self.name).length < 3) return null;
  const phones = phonesOf(self);
  const phone = [...phonesOf(other)].find((p) => phones.has(p));
  if (phone) return { reason: 'same_name_phone', detail: phone };
  const domains = companyDomainsOf(self);
  const domain = [...companyDomainsOf(other)].find((d) => domains.has(d));
  if (domain) return { reason: 'same_name_domain', detail: domain };
  const kinds = (c: MatchableContact) => new Set(c.identities.filter((i) => CHANNEL_KINDS.has(i.kind)).map((i) => i.kind));
  const mine = kinds(self);
  const theirs = kinds(other);
  if (![...theirs].some((k) => mine.has(k))) return { reason: 'same_name' };
  return null;
}
