import type { SendContext } from '../channels/channel';
import type { Deps } from './context';
import type { InboxRow } from './dto';
import { readSecrets } from './inboxes';
import { createHttpClient } from './safe-http';
import type { HttpClient } from '../channels/channel';

/** What an adapter gets to talk to its provider for one inbox: settings, decrypted secrets, safe HTTP, clock. */
/** `http` lets a batch share one keep-alive client across its sends; by default each context gets its own. */
export function channelContext(
  deps: Deps,
  inbox: Pick<InboxRow, 'id' | 'workspaceId' | 'settings' | 'secrets'>,
  http?: HttpClient,
): SendContext<Record<string, unknown>, Record<string, unknown>> {
  return {
    inboxId: inbox.id,
    workspaceId: inbox.workspaceId,
    settings: inbox.settings,
    secrets: readSecrets(deps, inbox),
    http: http ?? createHttpClient({ allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE }),
    publicUrl: deps.config.publicUrl,
    now: deps.runtime.now(),
    smtpUrl: deps.config.SMTP_URL,
    allowPrivateMailHosts: deps.config.BALIE_ALLOW_PRIVATE_MAIL_HOSTS,
  };
}
