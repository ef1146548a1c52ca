import { rawHeaderBlock } from './parse';

/**
 * What a mail fetched over IMAP says about how it arrived, and which of it can be believed. Balie did not take
 * part in that SMTP session, so SPF and DMARC need the connecting client as the mailbox provider's own MX saw it.
 * Mail servers prepend their trace headers, so the topmost `hops` Received headers are the provider's; everything
 * below them — including any Received or Authentication-Results header — may have been written by the sender.
 */
export interface HeaderField {
  /** Lower case. */
  name: string;
  value: string;
}

/** The header fields of a raw message in order, unfolded. */
export function headerFields(raw: Buffer): HeaderField[] {
  const out: HeaderField[] = [];
  for (const line of rawHeaderBlock(raw).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    out.push({ name, value: line.slice(colon + 1).trim() });
    if (out.length >= 500) break;
  }
  return out;
}

export interface ReceivedFrom {
  /** The address the receiving server saw the connection come from. */
  ip: string | null;
  /** The name the client gave in EHLO/HELO. */
  helo: string | null;
  envelopeFrom: string | null;
  /** The receiving server ("by" clause), for the agent's details. */
  by: string | null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/i;

function ipLiteral(s: string): string | null {
  const v = s.replace(/^IPv6:/i, '').trim();
  return IPV4.test(v) || (v.includes(':') && IPV6.test(v)) ? v.toLowerCase() : null;
}

/**
 * The "from" clause of one Received header, in the shapes Postfix, Exim, Exchange, Gmail and Dovecot write:
 * `from helo.example (rdns.example [192.0.2.1]) by mx…`, `from [192.0.2.1] (helo=x) by …`, `from x ([192.0.2.1]) by …`.
 */
export function parseReceived(value: string): ReceivedFrom {
  const v = value.replace(/\s+/g, ' ');
  const by = /\bby\s+([^\s;()]+)/i.exec(v)?.[1] ?? null;
  const envelopeFrom = /\benvelope-from\s+<?([^\s<>;()]+@[^\s<>;()]+)>?/i.exec(v)?.[1]?.toLowerCase() ?? null;
  const from = /^from\s+(\S+)(?:\s+\(([^()]*(?:\([^()]*\)[^()]*)*)\))?/i.exec(v);
  if (!from) return { ip: null, helo: null, envelopeFrom, by };
  const name = from[1]!;
  const comment = from[2] ?? '';
  const bracketed = [...comment.matchAll(/\[([^\]]+)\]/g)].map((m) => ipLiteral(m[1]!)).find((ip) => !!ip) ?? null;
  const literal = /^\[([^\]]+)\]$/.exec(name)?.[1];
  const ip = bracketed ?? (literal ? ipLiteral(literal) : null);
  const heloInComment = /\bhelo\s*=\s*([^\s)\]]+)/i.exec(comment)?.[1];
  const helo = heloInComment ?? (literal ? null : name);
  return { ip, helo: helo ? helo.replace(/\.$/, '').slice(0, 255) : null, envelopeFrom, by };
}

export interface AuthResultsHeader {
  servId: string;
  /** method → result ("spf" → "pass"); the first result per method counts. */
  results: Record<string, string>;
}

/** RFC 8601 Authentication-Results: `authserv-id [version]; method=result …; method=result …` (comments dropped). */
export function parseAuthResults(value: string): AuthResultsHeader | null {
  let text = '';
  let depth = 0;
  let quoted = false;
  for (const c of value) {
    if (quoted) {
      if (c === '"') quoted = false;
      if (!depth) text += c;
      continue;
    }
    if (c === '"' && !depth) quoted = true;
    if (c === '(') depth++;
    else if (c === ')' && depth) depth--;
    else if (!depth) text += c;
  }
  const parts = text.split(';').map((p) => p.trim());
  const servId = parts.shift()?.split(/\s+/)[0]?.toLowerCase();
  if (!servId) return null;
  const results: Record<string, string> = {};
  for (const p of parts) {
    const m = /^([a-z0-9-]+)(?:\/\d+)?\s*=\s*([a-z]+)/i.exec(p);
    if (!m) continue;
    const method = m[1]!.toLowerCase();
    if (!(method in results)) results[method] = m[2]!.toLowerCase();
  }
  return { servId, results };
}

export interface TrustSettings {
  /** How many of the topmost Received headers the mailbox provider added (1: its MX delivered to the mailbox). */
  receivedHops: number;
  /** The provider's authserv-id; its Authentication-Results above the trusted hops are believed. */
  authServId?: string | undefined;
}

export interface TrustedTrace {
  client: (ReceivedFrom & { sender: string | null }) | null;
  authResults: AuthResultsHeader | null;
  /** Why nothing (or only part) could be used, for the agent's details. */
  notes: string[];
}

/**
 * The connecting client as the provider's outermost trusted hop recorded it, and the provider's own
 * Authentication-Results. An Authentication-Results header counts only when its authserv-id is the configured
 * one AND it sits above the last trusted Received header: one further down came with the message itself.
 */
export function trustedTrace(fields: HeaderField[], trust: TrustSettings): TrustedTrace {
  const notes: string[] = [];
  const received = fields.map((f, i) => (f.name === 'received' ? i : -1)).filter((i) => i >= 0);
  const hops = Math.max(0, Math.floor(trust.receivedHops));
  const boundary = received[Math.max(hops, 1) - 1];
  let client: TrustedTrace['client'] = null;
  if (hops > 0) {
    if (boundary === undefined) notes.push(`no Received header from the provider (expected ${hops})`);
    else {
      const hop = parseReceived(fields[boundary]!.value);
      if (!hop.ip) notes.push('the provider’s Received header names no client address');
      else {
        // Return-Path is written at final delivery; only the provider's copy (above the boundary) is believed.
        const returnPath = fields.slice(0, boundary).find((f) => f.name === 'return-path');
        const rp = returnPath ? /<?([^\s<>]+@[^\s<>]+)>?/.exec(returnPath.value)?.[1]?.toLowerCase() ?? null : null;
        client = { ...hop, sender: rp ?? hop.envelopeFrom };
      }
    }
  }
  let authResults: AuthResultsHeader | null = null;
  const servId = trust.authServId?.trim().toLowerCase();
  if (servId) {
    const above = boundary === undefined ? [] : fields.slice(0, boundary);
    for (const f of above) {
      if (f.name !== 'authentication-results') continue;
      const parsed = parseAuthResults(f.value);
      if (parsed?.servId === servId) {
        authResults = parsed;
        break;
      }
    }
    const ignored = fields.filter((f, i) => f.name === 'authentication-results' && !(boundary !== undefined && i < boundary && parseAuthResults(f.value)?.servId === servId)).length;
    if (ignored) notes.push(`ignored ${ignored} Authentication-Results header${ignored > 1 ? 's' : ''} not added by ${servId}`);
  }
  return { client, authResults, notes };
}
