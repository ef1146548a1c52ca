import type { Deps } from './context';
import { emailInboxFor, processRawEmail, storeRawEmail, type EmailInbox } from './email-inbound';

/**
 * What the SMTP listener does with one message: store it raw for every inbox it is addressed to (the 250 waits
 * for these commits), then parse and ingest. Ingest trouble after the raw commit does not fail the SMTP
 * transaction: the message is safe, and the sweep job finishes it.
 */
export async function receiveSmtpMail(deps: Deps, raw: Buffer, envelope: { mailFrom: string; rcptTo: string[]; clientIp: string; helo: string }) {
  const targets = new Map<string, EmailInbox>();
  for (const rcpt of envelope.rcptTo) {
    const inbox = await emailInboxFor(deps, rcpt);
    if (inbox) targets.set(inbox.id, inbox);
  }
  const stored: Parameters<typeof processRawEmail>[1][] = [];
  for (const inbox of targets.values()) {
    const r = await storeRawEmail(deps, inbox, raw, 'smtp', envelope);
    if (!r.duplicate) stored.push({ workspaceId: inbox.workspaceId, rawId: r.id, row: r.row, inbox });
  }
  for (const s of stored) {
    try {
      await processRawEmail(deps, s);
    } catch (err) {
      deps.log.warn({ rawId: s.rawId, err: (err as Error).message }, 'stored mail not ingested yet; the sweep will retry');
    }
  }
}
