import type { ImapFlow } from 'imapflow';
import { backoffDelayMs } from '../../domain/backoff';
import { imapClient } from './imap';
import type { EmailSecrets, EmailSettings } from './settings';

/**
 * One long-lived IMAP connection per mailbox that sits in IDLE, so new mail is fetched seconds after it arrives
 * instead of at the next minute poll. The server's EXISTS push only triggers `sync`; what is fetched, committed and
 * flagged is decided there by UID and UIDVALIDITY, exactly as in the poll, so a missed or repeated push is harmless.
 * A dropped connection reconnects with exponential backoff (and a catch-up sync); a server without IDLE is left to
 * the poll.
 */
export type WatcherState = 'connecting' | 'idling' | 'backoff' | 'no_idle' | 'stopped';

export interface WatcherOptions {
  settings: EmailSettings;
  secrets: EmailSecrets;
  /** BALIE_ALLOW_PRIVATE_MAIL_HOSTS: the host is checked on every (re)connect. */
  allowPrivateHosts: boolean;
  /** Fetches and commits what is new, on the watcher's own connection. */
  sync(imap: ImapFlow): Promise<void>;
  onState?(state: WatcherState, detail?: string): void;
  onError?(err: unknown): void;
  random?: () => number;
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** IDLE is restarted this often (servers drop an IDLE after 30 minutes, NATs sooner). */
  maxIdleTime?: number;
}

export interface MailboxWatcher {
  readonly state: WatcherState;
  stop(): Promise<void>;
}

export function watchMailbox(opts: WatcherOptions): MailboxWatcher {
  const random = opts.random ?? Math.random;
  let state: WatcherState = 'connecting';
  let stopped = false;
  let current: ImapFlow | null = null;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  const setState = (s: WatcherState, detail?: string) => {
    state = s;
    opts.onState?.(s, detail);
  };

  /** One connection's life: resolves when it closes (or never had IDLE). */
  async function session(): Promise<'closed' | 'no_idle'> {
    // Back into IDLE half a second after each sync (imapflow's default waits 15 s).
    const imap = await imapClient(opts.settings, opts.secrets, { allowPrivateHosts: opts.allowPrivateHosts }, { maxIdleTime: opts.maxIdleTime ?? 5 * 60_000, autoIdleDelay: 500 });
    if (!imap) return 'no_idle';
    current = imap;
    const closed = new Promise<void>((resolve) => imap.once('close', () => resolve()));
    imap.on('error', (err) => opts.onError?.(err));
    await imap.connect();
    if (!imap.capabilities.has('IDLE')) {
      await imap.logout().catch(() => imap.close());
      return 'no_idle';
    }
    // A plain SELECT, not a held lock: imapflow enters IDLE by itself whenever the connection is free.
    await imap.mailboxOpen(opts.settings.imapMailbox ?? 'INBOX');
    attempt = 0;
    // Syncs run one at a time; a push during a sync asks for one more afterwards.
    let running: Promise<void> | null = null;
    let again = false;
    const trigger = () => {
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          await opts.sync(imap).catch((err: unknown) => opts.onError?.(err));
        } while (again && !stopped && imap.usable);
      })().finally(() => {
        running = null;
      });
    };
    imap.on('exists', trigger);
    trigger(); // catch up on what arrived while we were not connected
    setState('idling');
    await closed;
    await running;
    return 'closed';
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref?.();
    });

  const loop = (async () => {
    while (!stopped) {
      setState('connecting');
      let outcome: 'closed' | 'no_idle' | 'failed';
      try {
        outcome = await session();
      } catch (err) {
        opts.onError?.(err);
        outcome = 'failed';
      }
      current = null;
      if (stopped) break;
      if (outcome === 'no_idle') {
        setState('no_idle');
        return;
      }
      attempt++;
      const delay = backoffDelayMs(attempt, random(), opts.baseBackoffMs ?? 1_000, opts.maxBackoffMs ?? 5 * 60_000);
      setState('backoff', `reconnecting in ${delay} ms`);
      await sleep(delay);
    }
  })();

  return {
    get state() {
      return state;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      const imap = current as ImapFlow | null;
      if (imap) await imap.logout().catch(() => imap.close());
      await loop;
      setState('stopped');
    },
  };
}
