import { and, eq, isNull, sql } from 'drizzle-orm';
import { emailImapState, inboxes } from '../store/schema';
import { pollMailbox, imapFailure } from '../channels/email/imap';
import { emailSecretsSchema, emailSettingsSchema } from '../channels/email/settings';
import type { Deps } from './context';
import { readSecrets } from './inboxes';
import { processRawEmail, storeRawEmail } from './email-inbound';

/**
 * Fetches new mail of one inbox's IMAP account. Each message is committed raw before it is flagged \Seen and
 * before the cursor moves, so a crash in between means at worst a refetch, which the Message-ID key ignores.
 */
export async function pollImapInbox(deps: Deps, workspaceId: string, inboxId: string): Promise<{ fetched: number }> {
  const [inbox] = await deps.store.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId), eq(inboxes.kind, 'email'), isNull(inboxes.archivedAt)));
  if (!inbox) return { fetched: 0 };
  const settings = emailSettingsSchema.parse(inbox.settings);
  const secrets = emailSecretsSchema.parse(readSecrets(deps, inbox));
  if (!settings.imapHost) return { fetched: 0 };
  const mailbox = settings.imapMailbox ?? 'INBOX';
  const key = and(eq(emailImapState.workspaceId, workspaceId), eq(emailImapState.inboxId, inboxId), eq(emailImapState.mailbox, mailbox));
  const [state] = await deps.store.db.select().from(emailImapState).where(key);
  const save = async (patch: { uidValidity?: string; lastUid?: number; lastError: string | null }) => {
    await deps.store.db
      .insert(emailImapState)
      .values({ workspaceId, inboxId, mailbox, uidValidity: patch.uidValidity ?? state?.uidValidity ?? '', lastUid: patch.lastUid ?? state?.lastUid ?? 0, lastError: patch.lastError, lastPolledAt: deps.runtime.now() })
      .onConflictDoUpdate({
        target: [emailImapState.workspaceId, emailImapState.inboxId, emailImapState.mailbox],
        set: {
          ...(patch.uidValidity !== undefined ? { uidValidity: patch.uidValidity } : {}),
          ...(patch.lastUid !== undefined ? { lastUid: patch.lastUid } : {}),
          lastError: patch.lastError,
          lastPolledAt: deps.runtime.now(),
          updatedAt: deps.runtime.now(),
        },
      });
  };
  try {
    const pending: string[] = [];
    const result = await pollMailbox(
      settings,
      secrets,
      state && state.uidValidity ? { uidValidity: state.uidValidity, lastUid: state.lastUid } : null,
      async (raw, uid) => {
        const r = await storeRawEmail(deps, { workspaceId, id: inboxId }, raw, 'imap', { imapUid: uid });
        if (!r.duplicate) pending.push(r.id);
      },
      { onCursor: (c) => save({ uidValidity: c.uidValidity, lastUid: c.lastUid, lastError: null }) },
    );
    await save({ uidValidity: result.cursor.uidValidity, lastUid: result.cursor.lastUid, lastError: null });
    for (const rawId of pending) {
      await processRawEmail(deps, { workspaceId, rawId }).catch((err: Error) => deps.log.warn({ rawId, err: err.message }, 'IMAP mail not ingested yet'));
    }
    return { fetched: result.fetched };
  } catch (err) {
    const failure = imapFailure(err, settings);
    await save({ lastError: `${failure.code}: ${failure.message}` });
    deps.log.warn({ inboxId, code: failure.code }, 'IMAP poll failed');
    return { fetched: 0 };
  }
}

/** Every e-mail inbox with an IMAP account, polled in turn (the scheduled job; pg-boss runs one at a time). */
export async function pollAllImap(deps: Deps): Promise<number> {
  const rows = await deps.store.db
    .select({ workspaceId: inboxes.workspaceId, id: inboxes.id })
    .from(inboxes)
    .where(and(eq(inboxes.kind, 'email'), isNull(inboxes.archivedAt), sql`${inboxes.settings} ? 'imapHost'`));
  let total = 0;
  for (const r of rows) total += (await pollImapInbox(deps, r.workspaceId, r.id)).fetched;
  return total;
}
