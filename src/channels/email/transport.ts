import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { checkedSmtpSocket } from './host-guard';
import type { EmailSecrets, EmailSettings } from './settings';

/**
 * Pooled nodemailer transports, one per distinct account: a reply does not pay for a new TCP+TLS handshake.
 * The key includes a hash of the password, so changing the account's settings gets a fresh pool.
 */
const pools = new Map<string, Transporter>();

export interface TransportChoice {
  transport: Transporter;
  /** Where the mail went, for messages (never the password). */
  describe: string;
}

/** Whether admin-entered mail hosts may be private addresses (BALIE_ALLOW_PRIVATE_MAIL_HOSTS); SMTP_URL is the operator's own and never checked. */
export interface MailHostPolicy {
  allowPrivateHosts: boolean;
}

export function transportFor(settings: EmailSettings, secrets: EmailSecrets, fallbackUrl: string | undefined, policy: MailHostPolicy): TransportChoice | null {
  let key: string;
  let options: Parameters<typeof nodemailer.createTransport>[0];
  let describe: string;
  if (settings.smtpHost) {
    const port = settings.smtpPort ?? (settings.smtpSecure ? 465 : 587);
    describe = `${settings.smtpHost}:${port}`;
    options = {
      pool: true,
      maxConnections: 3,
      host: settings.smtpHost,
      port,
      secure: settings.smtpSecure ?? port === 465,
      ...(settings.smtpUser ? { auth: { user: settings.smtpUser, pass: secrets.smtpPassword ?? '' } } : {}),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      // Every pooled connection resolves and checks the host again.
      getSocket: checkedSmtpSocket(settings.smtpHost, port, policy.allowPrivateHosts),
    } as Parameters<typeof nodemailer.createTransport>[0];
    key = JSON.stringify([settings.smtpHost, port, settings.smtpSecure, settings.smtpUser, hash(secrets.smtpPassword), policy.allowPrivateHosts]);
  } else if (fallbackUrl) {
    describe = 'SMTP_URL';
    const url = new URL(fallbackUrl);
    url.searchParams.set('pool', 'true');
    options = url.toString() as unknown as typeof options;
    key = `url:${hash(fallbackUrl)}`;
  } else {
    return null;
  }
  let transport = pools.get(key);
  if (!transport) {
    transport = nodemailer.createTransport(options);
    pools.set(key, transport);
  }
  return { transport, describe };
}

/** A one-off connection (settings "send test mail"): no pool, so a wrong password is reported right now. */
export function oneOffTransport(settings: EmailSettings, secrets: EmailSecrets, fallbackUrl: string | undefined, policy: MailHostPolicy): Transporter | null {
  if (settings.smtpHost) {
    const port = settings.smtpPort ?? (settings.smtpSecure ? 465 : 587);
    return nodemailer.createTransport({
      host: settings.smtpHost,
      port,
      secure: settings.smtpSecure ?? port === 465,
      ...(settings.smtpUser ? { auth: { user: settings.smtpUser, pass: secrets.smtpPassword ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      getSocket: checkedSmtpSocket(settings.smtpHost, port, policy.allowPrivateHosts, 10_000),
    } as Parameters<typeof nodemailer.createTransport>[0]);
  }
  return fallbackUrl ? nodemailer.createTransport(fallbackUrl) : null;
}

/**
 * RFC 3834 headers for mail Balie sends by itself: Auto-Submitted (`auto-replied` when it answers the customer's
 * mail), and Exchange's X-Auto-Response-Suppress so no out-of-office is sent back to it. Agent replies get none.
 */
export function automaticHeaders(kind: 'auto-generated' | 'auto-replied'): Record<string, string> {
  return { 'Auto-Submitted': kind, 'X-Auto-Response-Suppress': 'All' };
}

export function closeTransports() {
  for (const t of pools.values()) t.close();
  pools.clear();
}

const hash = (s: string | undefined) => (s ? crypto.createHash('sha256').update(s).digest('hex').slice(0, 16) : '');
