import crypto from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { inboxes } from '../store/schema';
import { fetchNewMessages } from '../channels/email/imap';
import { watchMailbox, type MailboxWatcher, type WatcherState } from '../channels/email/imap-idle';
import type { Deps } from './context';
import { loadImapInbox, recordImapFailure, syncImapInbox } from './email-imap';

/**
 * Keeps one IDLE watcher per e-mail inbox with an IMAP account (unless the inbox sets `imapIdle: false`) in this
 * worker process, in step with the inboxes table: a new or changed account gets a fresh watcher, an archived or
 * removed one is stopped. The minute poll skips inboxes watched here and covers everything else (servers without
 * IDLE, watchers in backoff), so mail never waits on IDLE working.
 */
export interface ImapIdleSupervisor {
  reconcile(): Promise<void>;
  /** The watcher's state per inbox id (for tests and the poll). */
  states(): Map<string, WatcherState>;
  isIdling(inboxId: string): boolean;
  stop(): Promise<void>;
}

export function createImapIdleSupervisor(deps: Deps, opts: { reconcileMs?: number; baseBackoffMs?: number } = {}): ImapIdleSupervisor {
  const watchers = new Map<string, { fingerprint: string; watcher: MailboxWatcher }>();
  let stopped = false;
  let reconciling: Promise<void> | null = null;

  async function reconcileOnce() {
    const rows = await deps.store.db
      .select({ workspaceId: inboxes.workspaceId, id: inboxes.id, settings: inboxes.settings, secrets: inboxes.secrets })
      .from(inboxes)
      .where(and(eq(inboxes.kind, 'email'), isNull(inboxes.archivedAt), sql`${inboxes.settings} ? 'imapHost'`, sql`coalesce(${inboxes.settings}->>'imapIdle', 'true') <> 'false'`));
    const wanted = new Map(rows.map((r) => [r.id, { ...r, fingerprint: crypto.createHash('sha256').update(JSON.stringify([r.settings, r.secrets])).digest('hex') }]));
    for (const [id, w] of watchers) {
      if (wanted.get(id)?.fingerprint === w.fingerprint) continue;
      await w.watcher.stop();
      watchers.delete(id);
    }
    for (const [id, row] of wanted) {
      if (watchers.has(id) || stopped) continue;
      const inbox = await loadImapInbox(deps, row.workspaceId, id).catch(() => null);
      if (!inbox) continue;
      const mailbox = inbox.settings.imapMailbox ?? 'INBOX';
      const watcher = watchMailbox({
        settings: inbox.settings,
        secrets: inbox.secrets,
        allowPrivateHosts: deps.config.BALIE_ALLOW_PRIVATE_MAIL_HOSTS,
        random: () => deps.runtime.random(),
        ...(opts.baseBackoffMs ? { baseBackoffMs: opts.baseBackoffMs } : {}),
        sync: async (imap) => {
          await syncImapInbox(deps, inbox, (cursor, store, onCursor) => fetchNewMessages(imap, mailbox, cursor, store, { onCursor }));
        },
        onState: (state, detail) => deps.log.debug({ inboxId: id, state, detail }, 'IMAP IDLE watcher'),
        onError: (err) => void recordImapFailure(deps, inbox, err),
      });
      watchers.set(id, { fingerprint: row.fingerprint, watcher });
    }
  }

  // A change that lands while a reconcile runs gets one more pass, so it never waits for the next tick.
  let again = false;
  const reconcile = (): Promise<void> => {
    if (reconciling) {
      again = true;
      return reconciling;
    }
    reconciling = (async () => {
      do {
        again = false;
        await reconcileOnce().catch((err: Error) => deps.log.warn({ err: err.message }, 'IMAP IDLE reconcile failed'));
      } while (again && !stopped);
    })().finally(() => {
      reconciling = null;
    });
    return reconciling;
  };
  const timer = setInterval(() => void reconcile(), opts.reconcileMs ?? 30_000);
  timer.unref?.();

  return {
    reconcile,
    states: () => new Map([...watchers].map(([id, w]) => [id, w.watcher.state])),
    isIdling: (inboxId) => watchers.get(inboxId)?.watcher.state === 'idling',
    async stop() {
      stopped = true;
      clearInterval(timer);
      await reconciling;
      await Promise.all([...watchers.values()].map((w) => w.watcher.stop()));
      watchers.clear();
    },
  };
}
