import type { WebLoad } from '../shared/web-load';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Store } from '../store/db';
import type { FileStore } from '../store/files';
import type { SecretBox } from '../store/secret-box';
import type { Runtime } from '../shared/runtime';
import type { Metrics } from '../http/metrics';
import type { RateLimiter } from './rate-limit';
import type { SystemMailer } from './mailer';
import type { OutboxRow } from './outbox';

/** Everything a use case may touch, passed in explicitly (no globals, no hidden singletons). */
export interface Deps {
  store: Store;
  runtime: Runtime;
  config: Config;
  secrets: SecretBox;
  files: FileStore;
  log: Logger;
  metrics: Metrics;
  /** Hands the outbox rows a transaction just committed to this process's dispatcher. */
  afterCommit(rows: OutboxRow[]): void;
  /** DNS for e-mail authenticity checks (SPF, DKIM, DMARC); tests inject one so they need no internet. */
  dnsResolver?: (name: string, rrtype: string) => Promise<unknown>;
  /** Whether this process keeps the inbox's IMAP mailbox in IDLE right now (the minute poll then skips it). */
  imapIdling?: (inboxId: string) => boolean;
  /** Called after an inbox was created, changed or archived (the IMAP IDLE watchers follow). */
  inboxesChanged?: () => void;
  /** This process's HTTP load, when it also runs job workers: inbound-event jobs give way to a burst. */
  webLoad?: WebLoad;
}

/** The acting user (or API token) inside one workspace, already authenticated and authorized. */
export interface Actor {
  workspaceId: string;
  userId: string;
  role: 'owner' | 'admin' | 'agent';
  tokenId?: string;
}

export const isAdmin = (actor: Pick<Actor, 'role'>) => actor.role === 'owner' || actor.role === 'admin';

/** Deps plus the process-wide services the HTTP layer and jobs use. */
export interface Services extends Deps {
  limiter: RateLimiter;
  mailer: SystemMailer;
}
