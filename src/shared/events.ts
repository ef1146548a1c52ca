/**
 * Domain events: written to the outbox in the transaction that caused them, then delivered to the realtime
 * hub (agents' screens) and to outgoing webhooks. The same envelope travels everywhere.
 */
export const webhookEventTypes = [
  'conversation.created',
  'conversation.updated',
  'conversation.status_changed',
  'message.created',
  'message.updated',
  'contact.created',
  'contact.updated',
  'contact.merged',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** Events that only agents' screens need (never sent to webhooks). */
export const internalEventTypes = ['access.changed', 'notification.created', 'inbox.updated', 'webhooks.changed', 'promise.changed', 'incident.changed', 'incident.broadcast_progress', 'call.screen_pop'] as const;

/** Scope of events meant for Balie's own processes (cache invalidation), delivered to no agent. */
export const processesOnly = { userIds: [] as string[] };
export type EventType = WebhookEventType | (typeof internalEventTypes)[number];

/** Who an event concerns; the realtime visibility rule reads only this. */
export interface EventScope {
  inboxId?: string;
  conversationId?: string;
  contactId?: string;
  assigneeId?: string | null;
  teamId?: string | null;
  /** Internal notes and activities are for agents only (never for a customer-facing surface). */
  internal?: boolean;
  /** Events meant for specific users only (notifications, access changes). */
  userIds?: string[];
}

export interface DomainEvent<T = Record<string, unknown>> {
  id: string;
  type: EventType;
  workspaceId: string;
  occurredAt: string;
  scope: EventScope;
  data: T;
}

export const isWebhookEvent = (type: string): type is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(type);
