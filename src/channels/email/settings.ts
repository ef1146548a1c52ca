import { z } from 'zod';

const host = z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, 'must be a host name or address');
const port = z.number().int().min(1).max(65535);

/** Public settings of an e-mail inbox (returned by the API). Account passwords and the DKIM key are secrets. */
export const emailSettingsSchema = z.object({
  /** The support address customers write to; mail to address+anything@ also lands here. */
  address: z.email().max(254).transform((s) => s.toLowerCase()),
  fromName: z.string().trim().max(200).optional(),
  /** Added under every reply from this inbox (the agent's own signature comes first). */
  signature: z.string().max(5000).optional(),
  smtpHost: host.optional(),
  smtpPort: port.optional(),
  /** true: TLS from the start (port 465); false: STARTTLS when offered. */
  smtpSecure: z.boolean().optional(),
  smtpUser: z.string().max(320).optional(),
  imapHost: host.optional(),
  imapPort: port.optional(),
  imapSecure: z.boolean().optional(),
  imapUser: z.string().max(320).optional(),
  imapMailbox: z.string().trim().min(1).max(200).optional(),
  /** Keep a connection in IDLE so new mail arrives within seconds (default on when the server offers IDLE). */
  imapIdle: z.boolean().optional(),
  /** Minutes between polls when the mailbox is not watched with IDLE (default 1). */
  imapPollMinutes: z.number().int().min(1).max(60).optional(),
  /**
   * SPF/DMARC for IMAP mail: how many of the topmost Received headers the mailbox provider itself added (default
   * 1: its MX delivered straight to the mailbox). The last of them names the sender's server. 0: do not use them.
   */
  imapTrustedHops: z.number().int().min(0).max(10).optional(),
  /** The provider's authserv-id (e.g. mx.google.com): its Authentication-Results on IMAP mail are believed. */
  imapAuthServId: z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.-]+$/, 'must be a host name').transform((s) => s.toLowerCase()).optional(),
  dkimDomain: z.string().trim().max(255).optional(),
  dkimSelector: z.string().trim().max(63).optional(),
  /** Largest attachment kept from an inbound mail (larger ones are listed on the message, not stored). */
  maxAttachmentBytes: z.number().int().min(1024).max(100 * 1024 * 1024).optional(),
  /** More mails than this from one sender in an hour are held back (mail loops, floods). */
  senderLimitPerHour: z.number().int().min(1).max(10_000).optional(),
});

export const emailSecretsSchema = z.object({
  smtpPassword: z.string().min(1).max(500).optional(),
  imapPassword: z.string().min(1).max(500).optional(),
  dkimPrivateKey: z.string().min(100).max(10_000).optional(),
});

export type EmailSettings = z.infer<typeof emailSettingsSchema>;
export type EmailSecrets = z.infer<typeof emailSecretsSchema>;

export const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);
