import { and, eq } from 'drizzle-orm';
import { conversations } from '../store/schema';
import { AppError } from '../shared/errors';
import type { Deps } from './context';
import { requestCallback } from './case-status';
import { listCallbackSlots } from './callback-slots';
import { visitorHistory } from './widget-chat';
import type { Visitor } from './widget-visitor';

/**
 * "Call me back" from the chat widget: the same slots and checks as the case-status page, on the visitor's own
 * conversation (a visitor who has not written yet has nothing to attach the callback to).
 */
async function visitorConversation(deps: Deps, v: Visitor, locale: 'nl' | 'en') {
  const { conversation } = await visitorHistory(deps, v);
  const [row] = conversation
    ? await deps.store.db.select().from(conversations).where(and(eq(conversations.workspaceId, v.workspaceId), eq(conversations.id, conversation.id)))
    : [];
  if (!row) throw new AppError('not_found', 'no_conversation', locale === 'en' ? 'Send us a message first, then we can call you back.' : 'Stuur ons eerst een bericht, dan bellen we je terug.');
  return row;
}

export async function widgetCallbackSlots(deps: Deps, v: Visitor, locale: 'nl' | 'en') {
  const row = await visitorConversation(deps, v, locale);
  return listCallbackSlots(deps, v.workspaceId, row.inboxId);
}

export async function widgetCallback(deps: Deps, v: Visitor, input: { phone: string; slot?: Date; note?: string; locale: 'nl' | 'en' }) {
  const conversation = await visitorConversation(deps, v, input.locale);
  return requestCallback(deps, { workspaceId: v.workspaceId, conversation }, { phone: input.phone, slot: input.slot, note: input.note, locale: input.locale, source: 'widget' });
}
