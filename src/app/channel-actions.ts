import { channelAdapter } from '../channels/registry';
import type { MessageTemplate } from '../channels/channel';
import { AppError } from '../shared/errors';
import type { Deps } from './context';
import type { InboxRow } from './dto';
import { channelContext } from './channel-context';

export type ConnectionCheck = { ok: true; detail: string | null } | { ok: false; code: string; message: string };

/**
 * "Check connection" on the settings page: the adapter proves the credentials with the provider and, where
 * the provider must be told where to call (Telegram's setWebhook), registers this inbox's webhook URL.
 */
export async function checkInboxConnection(deps: Deps, inbox: InboxRow): Promise<ConnectionCheck> {
  const adapter = channelAdapter(inbox.kind);
  if (!adapter?.checkConnection) return { ok: true, detail: null };
  try {
    const res = await adapter.checkConnection(channelContext(deps, inbox));
    return res.ok ? { ok: true, detail: res.detail ?? null } : { ok: false, code: res.code, message: res.message.slice(0, 500) };
  } catch (err) {
    return { ok: false, code: 'check_failed', message: (err as Error).message.slice(0, 500) };
  }
}

/** The provider's approved message templates (WhatsApp), fetched live so the composer never offers a stale one. */
export async function inboxTemplates(deps: Deps, inbox: InboxRow): Promise<MessageTemplate[]> {
  const adapter = channelAdapter(inbox.kind);
  if (!adapter?.capabilities.templates || !adapter.listTemplates) return [];
  try {
    return await adapter.listTemplates(channelContext(deps, inbox));
  } catch (err) {
    throw new AppError('unavailable', 'templates_unavailable', `The provider did not list its templates: ${(err as Error).message}`.slice(0, 500));
  }
}
