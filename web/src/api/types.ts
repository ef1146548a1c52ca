/**
 * API shapes, taken from the server's zod schemas as types only (no zod in the browser bundle).
 */
import type { z } from 'zod';
import type * as s from '../../../src/shared/api';
import type * as a from '../../../src/shared/agent-app';

export type Conversation = z.infer<typeof s.conversationDto>;
/** `promise` comes with list pages; a conversation pushed over the socket keeps the one already known. */
export type ConversationListItem = Conversation & { unread: boolean; promise?: ListPromise | null; speed?: ListSpeed | null };
export type ListSpeed = z.infer<typeof s.listSpeed>;
export type ListPromise = z.infer<typeof s.listPromise>;
export type Message = z.infer<typeof s.messageDto>;
export type Attachment = z.infer<typeof s.attachmentDto>;
export type Contact = z.infer<typeof s.contactDto>;
export type Identity = z.infer<typeof s.identityDto>;
export type PendingEmail = z.infer<typeof s.pendingEmailDto>;
export type Inbox = z.infer<typeof s.inboxDto>;
export type User = z.infer<typeof s.userDto>;
export type Team = z.infer<typeof s.teamDto>;
export type Label = z.infer<typeof s.labelDto>;
export type Webhook = z.infer<typeof s.webhookDto>;
export type WebhookDelivery = z.infer<typeof s.webhookDeliveryDto>;
export type ApiToken = z.infer<typeof s.apiTokenDto>;
export type Invitation = z.infer<typeof s.invitationDto>;
export type Workspace = z.infer<typeof s.workspaceDto>;
export type ChannelKind = (typeof s.channelKinds)[number];
export type Status = (typeof s.conversationStatuses)[number];
export type Priority = (typeof s.priorities)[number];
export type Role = (typeof s.roles)[number];

export type ViewCounts = a.ViewCounts;
export type PerStatus = a.PerStatus;
export type SearchResult = a.SearchResult;
export type Notification = a.NotificationDto;
export type Preferences = a.Preferences & { locale: 'nl' | 'en' | null };
export type ChannelKindInfo = a.ChannelKindDto;
export type BulkInput = a.BulkInput;
export type BulkResult = z.infer<typeof a.bulkResultDto>;
export type Bootstrap = a.BootstrapDto;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SessionWorkspace extends Workspace {
  role: Role;
  availability: 'online' | 'busy' | 'offline';
}

export interface Session {
  user: { id: string; email: string; name: string; locale: 'nl' | 'en' | null; settings: Record<string, unknown> };
  workspaces: SessionWorkspace[];
  csrfToken: string | null;
}

export type TimelineItem =
  | { type: 'conversation'; at: string; id: string; conversation: Conversation }
  | { type: 'message'; at: string; id: string; message: Message; conversationNumber: number; channel: ChannelKind };

export interface MergePreview {
  target: Contact;
  source: Contact;
  conversations: number;
  identities: number;
}

/** Events pushed over the realtime socket (see src/shared/events.ts). */
export interface DomainEvent {
  id: string;
  type: string;
  workspaceId: string;
  occurredAt: string;
  scope: Record<string, unknown>;
  data: Record<string, unknown>;
}

export interface PresenceSignal {
  type: 'presence';
  workspaceId: string;
  inboxId: string;
  conversationId: string;
  userId: string;
  userName: string;
  state: 'viewing' | 'typing' | 'left';
  at: string;
}

/** GET /api/v1/contacts/{id}/merge-suggestions */
export interface MergeSuggestion {
  contact: Contact;
  reason: 'confirmed_email' | 'same_name_phone' | 'same_name_domain' | 'same_name';
  detail: string | null;
}
