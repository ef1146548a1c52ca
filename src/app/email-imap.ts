import { and, eq, isNull, sql } from 'drizzle-orm';
import { emailImapState, inboxes } from '../store/schema';
import { pollMailbox, imapFailure, type ImapCursor, type StoreFetched } from '../channels/email/imap';
import { emailSecretsSchema, emailSettingsSchema, type EmailSecrets, type EmailSettings } from '../channels/email/settings';
import type { Deps } from './context';
import { readSecrets } from './inboxes';
import { processRawEmail, storeRawEmail } from './email-inbound';

type Fetcher = (cursor: ImapCursor | null, store: StoreFetched, onCursor: (c: ImapCursor) => Promise<void>) => Promise<{ cursor: ImapCursor; fetched: number }>;

export interface ImapInbox {
  workspaceId: string;
  id: string;
  settings: EmailSettings;
  secrets: EmailSecrets;
}

export async function loadImapInbox(deps: Deps, workspaceId: string, inboxId: string): Promise<ImapInbox | null> {
  const [inbox] = await deps.store.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId), eq(inboxes.kind, 'email'), isNull(inboxes.archivedAt)));
  if (!inbox) return null;
  const settings = emailSettingsSchema.parse(inbox.settings);
  if (!settings.imapHost) return null;
  return { workspaceId, id: inboxId, settings, secrets: emailSecretsSchema.parse(readSecrets(deps, inbox)) };
}

/**
 * Fetches new mail of one inbox's IMAP account. Each message is committed raw before it is flagged \Seen and
 * before the cursor moves, so a crash in between means at worst a refetch, which the Message-ID key ignores.
 */
export async function pollImapInbox(deps: Deps, workspaceId: string, inboxId: string): Promise<{ fetched: number }> {
  const inbox = await loadImapInbox(deps, workspaceId, inboxId);
  if (!inbox) return { fetched: 0 };
  try {
    return await syncImapInbox(deps, inbox, (cursor, store, onCursor) => pollMailbox(inbox.settings, inbox.secrets, cursor, store, { allowPrivateHosts: deps.config.BALIE_ALLOW_PRIVATE_MAIL_HOSTS }, { onCursor }));
  } catch (err) {
    await recordImapFailure(deps, inbox, err);
    return { fetched: 0 };
  }
}

const stateKey = (inbox: Pick<ImapInbox, 'workspaceId' | 'id' | 'settings'>) =>
  and(eq(emailImapState.workspaceId, inbox.workspaceId), eq(emailImapState.inboxId, inbox.id), eq(emailImapState.mailbox, inbox.settings.imapMailbox ?? 'INBOX'));

async function saveImapState(deps: Deps, inbox: Pick<ImapInbox, 'workspaceId' | 'id' | 'settings'>, patch: { uidValidity?: string; lastUid?: number; lastError: string | null }) {
  const mailbox = inbox.settings.imapMailbox ?? 'INBOX';
  await deps.store.db
    .insert(emailImapState)
    .values({ workspaceId: inbox.workspaceId, inboxId: inbox.id, mailbox, uidValidity: patch.uidValidity ?? '', lastUid: patch.lastUid ?? 0, lastError: patch.lastError, lastPolledAt: deps.runtime.now() })
    .onConflictDoUpdate({
      target: [emailImapState.workspaceId, emailImapState.inboxId, emailImapState.mailbox],
      set: {
        ...(patch.uidValidity !== undefined ? { uidValidity: patch.uidValidity } : {}),
        // The poll and the IDLE watcher may sync the same mailbox at once: within one UIDVALIDITY the cursor only
        // moves forward (a new UIDVALIDITY starts over).
        ...(patch.lastUid !== undefined
          ? {
              lastUid: sql`case when ${emailImapState.uidValidity} = ${patch.uidValidity ?? ''} then greatest(${emailImapState.lastUid}, ${patch.lastUid}) else ${patch.lastUid} end`,
            }
          : {}),
        lastError: patch.lastError,
        lastPolledAt: deps.runtime.now(),
        updatedAt: deps.runtime.now(),
      },
    });
}

export async function recordImapFailure(deps: Deps, inbox: ImapInbox, err: unknown) {
  const failure = imapFailure(err, inbox.settings);
  await saveImapState(deps, inbox, { lastError: `${failure.code}: ${failure.message}` }).catch(() => undefined);
  deps.log.warn({ inboxId: inbox.id, code: failure.code }, 'IMAP sync failed');
}

/** Resume from the stored cursor, commit each fetched mail raw, move the cursor, then ingest what was new. */
export async function syncImapInbox(deps: Deps, inbox: ImapInbox, fetch: Fetcher): Promise<{ fetched: number }> {
  const [state] = await deps.store.db.select().from(emailImapState).where(stateKey(inbox));
  const pending: string[] = [];
  const result = await fetch(
    state && state.uidValidity ? { uidValidity: state.uidValidity, lastUid: state.lastUid } : null,
    async (raw, uid) => {
      const r = await storeRawEmail(deps, inbox, raw, 'imap', { imapUid: uid });
      if (!r.duplicate) pending.push(r.id);
    },
    (c) => saveImapState(deps, inbox, { uidValidity: c.uidValidity, lastUid: c.lastUid, lastError: null }),
  );
  await saveImapState(deps, inbox, { uidValidity: result.cursor.uidValidity, lastUid: result.cursor.lastUid, lastError: null });
  for (const rawId of pending) {
    await processRawEmail(deps, { workspaceId: inbox.workspaceId, rawId }).catch((err: Error) => deps.log.warn({ rawId, err: err.message }, 'IMAP mail not ingested yet'));
  }
  return { fetched: result.fetched };
}

/**
 * Every e-mail inbox with an IMAP account whose poll is due (`imapPollMinutes`, default every minute), polled in
 * turn (the scheduled job; pg-boss runs one at a time). Inboxes watched with IDLE here are skipped.
 */
export async function pollAllImap(deps: Deps): Promise<number> {
  const rows = await deps.store.db
    .select({ workspaceId: inboxes.workspaceId, id: inboxes.id, settings: inboxes.settings, lastPolledAt: emailImapState.lastPolledAt })
    .from(inboxes)
    .leftJoin(
      emailImapState,
      and(
        eq(emailImapState.workspaceId, inboxes.workspaceId),
        eq(emailImapState.inboxId, inboxes.id),
        eq(emailImapState.mailbox, sql`coalesce(${inboxes.settings}->>'imapMailbox', 'INBOX')`),
      ),
    )
    .where(and(eq(inboxes.kind, 'email'), isNull(inboxes.archivedAt), sql`${inboxes.settings} ? 'imapHost'`));
  const now = deps.runtime.now().getTime();
  let total = 0;
  for (const r of rows) {
    if (deps.imapIdling?.(r.id)) continue;
    const minutes = typeof r.settings.imapPollMinutes === 'number' ? r.settings.imapPollMinutes : 1;
    // Slack for the scheduler's jitter: a 5-minute inbox polled at 12:00:03 is due again at the 12:05 run.
    if (minutes > 1 && r.lastPolledAt && now - r.lastPolledAt.getTime() < minutes * 60_000 - 15_000) continue;
    total += (await pollImapInbox(deps, r.workspaceId, r.id)).fetched;
  }
  return total;
}
