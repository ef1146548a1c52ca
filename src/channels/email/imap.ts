import type { ImapFlow } from 'imapflow';
import net from 'node:net';
import { lazyRequire } from '../../shared/lazy-require';
import { checkMailHost } from './host-guard';
import type { EmailSecrets, EmailSettings } from './settings';
import type { MailHostPolicy } from './transport';

const loadImapflow = lazyRequire<typeof import('imapflow')>('imapflow');

/**
 * IMAP mailboxes with imapflow. Polling resumes after the last committed UID within the mailbox's UIDVALIDITY
 * (a new UIDVALIDITY means the server renumbered: start over, the Message-ID key drops what we already have),
 * and a message is flagged \Seen only after `store` has committed it.
 */
export interface ImapCursor {
  uidValidity: string;
  lastUid: number;
}

/**
 * A client for the inbox's IMAP account, not yet connected. The host is resolved and checked first (see
 * host-guard) and the client connects to that address, with the host name kept for TLS verification.
 */
export async function imapClient(settings: EmailSettings, secrets: EmailSecrets, policy: MailHostPolicy, extra: { maxIdleTime?: number; autoIdleDelay?: number } = {}) {
  if (!settings.imapHost || !settings.imapUser) return null;
  const port = settings.imapPort ?? (settings.imapSecure === false ? 143 : 993);
  const target = await checkMailHost(settings.imapHost, 'IMAP', policy.allowPrivateHosts);
  const name = settings.imapHost.replace(/^\[|\]$/g, '');
  const { ImapFlow: Client } = loadImapflow();
  return new Client({
    host: target.address,
    ...(net.isIP(name) ? {} : { servername: name }),
    port,
    secure: settings.imapSecure ?? port === 993,
    auth: { user: settings.imapUser, pass: secrets.imapPassword ?? '' },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
    // STARTTLS when the server offers it; a plain-text server on 143 is the operator's choice.
    doSTARTTLS: undefined,
    ...(extra.maxIdleTime ? { maxIdleTime: extra.maxIdleTime } : {}),
    ...(extra.autoIdleDelay !== undefined ? { autoIdleDelay: extra.autoIdleDelay } : {}),
  });
}

export type StoreFetched = (raw: Buffer, uid: number) => Promise<void>;

/**
 * New messages of the mailbox on an open connection, oldest first: each one is handed to `store` (which commits
 * it) before it is flagged \Seen and before the cursor moves. Shared by the minute poll and the IDLE watcher.
 */
export async function fetchNewMessages(
  imap: ImapFlow,
  mailboxPath: string,
  cursor: ImapCursor | null,
  store: StoreFetched,
  opts: { limit?: number; onCursor?: (c: ImapCursor) => Promise<void> } = {},
): Promise<{ cursor: ImapCursor; fetched: number }> {
  const lock = await imap.getMailboxLock(mailboxPath);
  try {
    const mailbox = imap.mailbox;
    const uidValidity = String(mailbox ? mailbox.uidValidity : '0');
    let lastUid = cursor && cursor.uidValidity === uidValidity ? cursor.lastUid : 0;
    const found = await imap.search({ uid: `${lastUid + 1}:*` }, { uid: true });
    // "N:*" always names the last message, even when its UID is below N.
    const uids = (found || []).filter((u) => u > lastUid).sort((a, b) => a - b).slice(0, opts.limit ?? 200);
    let fetched = 0;
    for (const uid of uids) {
      const msg = await imap.fetchOne(String(uid), { source: true, uid: true }, { uid: true });
      if (!msg || !msg.source) continue;
      await store(msg.source, uid);
      await imap.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      lastUid = uid;
      fetched++;
      await opts.onCursor?.({ uidValidity, lastUid });
    }
    return { cursor: { uidValidity, lastUid }, fetched };
  } finally {
    lock.release();
  }
}

export async function pollMailbox(
  settings: EmailSettings,
  secrets: EmailSecrets,
  cursor: ImapCursor | null,
  store: StoreFetched,
  policy: MailHostPolicy,
  opts: { limit?: number; onCursor?: (c: ImapCursor) => Promise<void> } = {},
): Promise<{ cursor: ImapCursor; fetched: number }> {
  const imap = await imapClient(settings, secrets, policy);
  if (!imap) throw Object.assign(new Error('This inbox has no IMAP account.'), { code: 'imap_not_configured' });
  imap.on('error', () => {
    /* reported through the awaited command that fails */
  });
  await imap.connect();
  try {
    return await fetchNewMessages(imap, settings.imapMailbox ?? 'INBOX', cursor, store, opts);
  } finally {
    await imap.logout().catch(() => imap.close());
  }
}

export type ConnectionCheck = { ok: true; detail?: string } | { ok: false; code: string; message: string };

/** "Check IMAP" on the settings page: log in, open the mailbox, say what is there — or what went wrong. */
export async function checkImap(settings: EmailSettings, secrets: EmailSecrets, policy: MailHostPolicy): Promise<ConnectionCheck> {
  let imap: Awaited<ReturnType<typeof imapClient>>;
  try {
    imap = await imapClient(settings, secrets, policy);
  } catch (err) {
    return imapFailure(err, settings);
  }
  if (!imap) return { ok: false, code: 'imap_not_configured', message: 'Fill in the IMAP server and user name first.' };
  imap.on('error', () => {});
  try {
    await imap.connect();
    const status = await imap.status(settings.imapMailbox ?? 'INBOX', { messages: true, unseen: true });
    if (!status) return { ok: false, code: 'imap_no_mailbox', message: `Mailbox "${settings.imapMailbox ?? 'INBOX'}" does not exist.` };
    return { ok: true, detail: `${status.path}: ${status.messages ?? 0} messages, ${status.unseen ?? 0} unread` };
  } catch (err) {
    return imapFailure(err, settings);
  } finally {
    await imap.logout().catch(() => imap.close());
  }
}

export function imapFailure(err: unknown, settings: Pick<EmailSettings, 'imapHost' | 'imapPort' | 'imapMailbox'>): { ok: false; code: string; message: string } {
  const e = err as { code?: string; authenticationFailed?: boolean; message?: string; responseText?: string; serverResponseCode?: string };
  const where = `${settings.imapHost}:${settings.imapPort ?? ''}`.replace(/:$/, '');
  const text = (e.responseText ?? e.message ?? String(err)).slice(0, 300);
  if (e.code === 'mail_host_blocked') return { ok: false, code: 'imap_host_blocked', message: text };
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') return { ok: false, code: 'imap_auth_failed', message: `${where} refused the user name or password.` };
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return { ok: false, code: 'imap_dns', message: `${settings.imapHost} could not be found (DNS).` };
  if (e.code === 'ECONNREFUSED') return { ok: false, code: 'imap_connection_refused', message: `Nothing answers on ${where}.` };
  if (/certificate|ssl|tls|wrong version number/i.test(text) || /^ERR_SSL|CERT/.test(e.code ?? '')) return { ok: false, code: 'imap_tls', message: `TLS with ${where} failed: ${text}` };
  if (e.serverResponseCode === 'NONEXISTENT' || /mailbox doesn't exist|not found/i.test(text)) return { ok: false, code: 'imap_no_mailbox', message: `Mailbox "${settings.imapMailbox ?? 'INBOX'}" does not exist.` };
  if (e.code === 'ETIMEDOUT' || e.code === 'CONNECT_TIMEOUT' || e.code === 'GREETING_TIMEOUT') return { ok: false, code: 'imap_timeout', message: `${where} did not answer in time.` };
  return { ok: false, code: 'imap_error', message: `${where}: ${text}` };
}
