import type { InferSelectModel } from 'drizzle-orm';
import type * as s from '../store/schema';
import type { ContactDto, ConversationDto, MessageDto } from '../shared/api';

/** Row → API shape. The same shapes go to the REST API, realtime events and webhooks. */
export type ConversationRow = InferSelectModel<typeof s.conversations>;
export type MessageRow = InferSelectModel<typeof s.messages>;
export type ContactRow = InferSelectModel<typeof s.contacts>;
export type IdentityRow = InferSelectModel<typeof s.contactIdentities>;
export type InboxRow = InferSelectModel<typeof s.inboxes>;
export type AttachmentRow = InferSelectModel<typeof s.attachments>;

export const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());
const isoReq = (d: Date | string) => new Date(d).toISOString();

export type ContactSummarySource = Pick<ContactRow, 'id' | 'name' | 'email' | 'phone' | 'avatarUrl'>;

export function conversationDto(row: ConversationRow, contact: ContactSummarySource, channel: InboxRow['kind']): ConversationDto {
  return {
    id: row.id,
    number: row.number,
    inboxId: row.inboxId,
    channel,
    contact: { id: contact.id, name: contact.name, email: contact.email, phone: contact.phone, avatarUrl: contact.avatarUrl },
    status: row.status,
    snoozedUntil: iso(row.snoozedUntil),
    priority: row.priority,
    assigneeId: row.assigneeId,
    teamId: row.teamId,
    subject: row.subject,
    labels: row.labels,
    customAttributes: row.customAttributes,
    previousConversationId: row.previousConversationId,
    messageCount: row.messageCount,
    preview: row.preview,
    lastMessageAt: iso(row.lastMessageAt),
    lastInboundAt: iso(row.lastInboundAt),
    lastActivityAt: isoReq(row.lastActivityAt),
    waitingSince: iso(row.waitingSince),
    firstResponseAt: iso(row.firstResponseAt),
    resolvedAt: iso(row.resolvedAt),
    createdAt: isoReq(row.createdAt),
    updatedAt: isoReq(row.updatedAt),
  };
}

export const attachmentUrl = (a: Pick<AttachmentRow, 'id'>) => `/api/v1/attachments/${a.id}`;

export function messageDto(row: MessageRow, senderName: string | null, attachments: AttachmentRow[] = []): MessageDto {
  return {
    id: row.id,
    conversationId: row.conversationId,
    inboxId: row.inboxId,
    kind: row.kind,
    direction: row.direction,
    senderType: row.senderType,
    senderId: row.senderId,
    senderName,
    content: row.content,
    contentType: row.contentType,
    contentAttributes: row.contentAttributes,
    status: row.status,
    statusReason: row.statusReason,
    externalId: row.externalId,
    attachments: attachments
      .filter((a) => !a.contentId)
      .map((a) => ({ id: a.id, fileName: a.fileName, contentType: a.contentType, size: a.size, url: attachmentUrl(a) })),
    createdAt: isoReq(row.createdAt),
    updatedAt: isoReq(row.updatedAt),
  };
}

export function contactDto(row: ContactRow, identities: IdentityRow[]): ContactDto {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    avatarUrl: row.avatarUrl,
    attributes: row.attributes,
    identities: identities.map((i) => ({ id: i.id, kind: i.kind, value: i.value, verified: i.verified, createdAt: isoReq(i.createdAt) })),
    mergedIntoId: row.mergedIntoId,
    lastActivityAt: iso(row.lastActivityAt),
    createdAt: isoReq(row.createdAt),
    updatedAt: isoReq(row.updatedAt),
  };
}

/** The inbox-list preview of a message: first line-ish, bounded. */
export function previewOf(content: string): string {
  return content.replace(/\s+/g, ' ').trim().slice(0, 200);
}
