import { z } from 'zod';

/**
 * The public API's resource and input shapes. The server validates with them, the OpenAPI document is
 * generated from them, and the agent app imports their types: one source of truth.
 */
export const channelKinds = ['api', 'email', 'widget', 'whatsapp', 'messenger', 'instagram', 'telegram', 'sms', 'voice'] as const;
export const roles = ['owner', 'admin', 'agent'] as const;
export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export const identityKinds = ['email', 'phone', 'whatsapp', 'messenger', 'instagram', 'telegram', 'widget', 'external'] as const;
export const deliveryStatuses = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;

const id = z.uuid();
const isoDate = z.string().describe('ISO 8601 timestamp');
const nullableDate = isoDate.nullable();

/** Free-form key/value data (custom attributes); bounded so nobody stores megabytes in it. */
export const attributesSchema = z
  .record(z.string().min(1).max(100), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 100, 'at most 100 attributes');

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const cursorQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

// ---------- resources ----------

export const workspaceDto = z
  .object({ id, name: z.string(), locale: z.string(), timeZone: z.string(), settings: z.record(z.string(), z.unknown()), createdAt: isoDate })
  .meta({ id: 'Workspace' });

export const userDto = z
  .object({
    id,
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    availability: z.enum(['online', 'busy', 'offline']),
    online: z.boolean(),
    capacity: z.number().int().nullable(),
    locale: z.string().nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'User' });

export const teamDto = z
  .object({ id, name: z.string(), description: z.string(), autoAssign: z.boolean(), memberIds: z.array(id), createdAt: isoDate })
  .meta({ id: 'Team' });

export const labelDto = z
  .object({ id, name: z.string(), color: z.string(), description: z.string(), createdAt: isoDate })
  .meta({ id: 'Label' });

export const inboxDto = z
  .object({
    id,
    name: z.string(),
    kind: z.enum(channelKinds),
    settings: z.record(z.string(), z.unknown()),
    /** Which secret settings are set (their values are never returned). */
    secretsSet: z.array(z.string()),
    teamId: id.nullable(),
    autoAssign: z.boolean(),
    memberIds: z.array(id),
    webhookUrl: z.string().nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'Inbox' });

export const identityDto = z
  .object({ id, kind: z.enum(identityKinds), value: z.string(), verified: z.boolean(), createdAt: isoDate })
  .meta({ id: 'ContactIdentity' });

export const contactDto = z
  .object({
    id,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    identities: z.array(identityDto),
    mergedIntoId: id.nullable(),
    lastActivityAt: nullableDate,
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Contact' });

/** An address a widget visitor typed that waits for its confirmation link: not an identity of the contact yet. */
export const pendingEmailDto = z
  .object({
    email: z.string(),
    /** The chat in which it was typed (its link confirms it there). */
    conversationId: id,
    conversationNumber: z.number().int(),
    /** When the confirmation mail with the link went out. */
    sentAt: isoDate,
    expiresAt: isoDate,
    /** The link no longer works; "send again" mails a new one. */
    expired: z.boolean(),
  })
  .meta({ id: 'PendingEmailConfirmation' });
export type PendingEmailDto = z.infer<typeof pendingEmailDto>;

export const contactSummaryDto = z
  .object({ id, name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), avatarUrl: z.string().nullable() })
  .meta({ id: 'ContactSummary' });

export const conversationDto = z
  .object({
    id,
    number: z.number().int(),
    inboxId: id,
    channel: z.enum(channelKinds),
    contact: contactSummaryDto,
    status: z.enum(conversationStatuses),
    snoozedUntil: nullableDate,
    priority: z.enum(priorities),
    assigneeId: id.nullable(),
    teamId: id.nullable(),
    subject: z.string().nullable(),
    labels: z.array(z.string()),
    customAttributes: z.record(z.string(), z.unknown()),
    previousConversationId: id.nullable(),
    messageCount: z.number().int(),
    preview: z.string(),
    lastMessageAt: nullableDate,
    lastInboundAt: nullableDate,
    lastActivityAt: isoDate,
    waitingSince: nullableDate,
    firstResponseAt: nullableDate,
    resolvedAt: nullableDate,
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Conversation' });

export const attachmentDto = z
  .object({ id, fileName: z.string(), contentType: z.string(), size: z.number().int(), url: z.string() })
  .meta({ id: 'Attachment' });

export const messageDto = z
  .object({
    id,
    conversationId: id,
    inboxId: id,
    kind: z.enum(['message', 'note', 'activity']),
    direction: z.enum(['inbound', 'outbound']).nullable(),
    senderType: z.enum(['contact', 'user', 'bot', 'system']),
    senderId: id.nullable(),
    senderName: z.string().nullable(),
    content: z.string(),
    contentType: z.enum(['text', 'html', 'markdown']),
    contentAttributes: z.record(z.string(), z.unknown()),
    status: z.enum(deliveryStatuses),
    statusReason: z.string().nullable(),
    externalId: z.string().nullable(),
    attachments: z.array(attachmentDto),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Message' });

export const webhookDto = z
  .object({ id, url: z.string(), description: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: isoDate })
  .meta({ id: 'Webhook' });

export const webhookDeliveryDto = z
  .object({
    id,
    webhookId: id,
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'retrying', 'failed']),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    responseSnippet: z.string().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    createdAt: isoDate,
    lastAttemptAt: nullableDate,
    deliveredAt: nullableDate,
  })
  .meta({ id: 'WebhookDelivery' });

export const apiTokenDto = z
  .object({
    id,
    name: z.string(),
    userId: id,
    tokenPrefix: z.string(),
    createdAt: isoDate,
    lastUsedAt: nullableDate,
    expiresAt: nullableDate,
    revokedAt: nullableDate,
  })
  .meta({ id: 'ApiToken' });

export const invitationDto = z
  .object({ id, email: z.string(), name: z.string(), role: z.enum(['admin', 'agent']), createdAt: isoDate, expiresAt: isoDate, acceptedAt: nullableDate })
  .meta({ id: 'Invitation' });

export const timelineItemDto = z
  .object({
    type: z.enum(['conversation']),
    at: isoDate,
    conversation: conversationDto,
  })
  .meta({ id: 'TimelineItem' });

// ---------- inputs ----------

const name = z.string().trim().min(1).max(200);
export const emailInput = z.string().trim().max(254).pipe(z.email());
export const passwordInput = z.string().min(10, 'must be at least 10 characters').max(256);

export const setupInput = z.object({
  workspaceName: name,
  name,
  email: emailInput,
  password: passwordInput,
  locale: z.enum(['nl', 'en']).optional(),
});

export const loginInput = z.object({ email: emailInput, password: z.string().min(1).max(256) });

export const createInboxInput = z.object({
  name,
  kind: z.enum(channelKinds),
  settings: z.record(z.string(), z.unknown()).default({}),
  teamId: id.nullable().optional(),
  autoAssign: z.boolean().optional(),
  memberIds: z.array(id).max(500).optional(),
});

export const updateInboxInput = z.object({
  name: name.optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  teamId: id.nullable().optional(),
  autoAssign: z.boolean().optional(),
  memberIds: z.array(id).max(500).optional(),
});

export const inboundContactInput = z
  .object({
    identifier: z.string().trim().min(1).max(255).optional(),
    email: z.string().trim().max(254).optional(),
    phone: z.string().trim().max(40).optional(),
    name: z.string().trim().max(200).optional(),
  })
  .refine((c) => c.identifier || c.email || c.phone, 'needs identifier, email or phone');

export const attachmentInput = z.object({
  fileName: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  /** Base64-encoded bytes. */
  data: z.string().max(40_000_000),
});

export const apiInboundInput = z.object({
  externalId: z.string().trim().min(1).max(255),
  contact: inboundContactInput,
  content: z.string().max(1_000_000),
  attachments: z.array(attachmentInput).max(10).optional(),
  subject: z.string().max(500).optional(),
});

export const createContactInput = z.object({
  name: z.string().trim().max(200).default(''),
  email: z.string().trim().max(254).optional(),
  phone: z.string().trim().max(40).optional(),
  identifier: z.string().trim().max(255).optional(),
  avatarUrl: z.url().max(2000).optional(),
  attributes: attributesSchema.optional(),
});

export const updateContactInput = z.object({
  name: z.string().trim().max(200).optional(),
  email: z.string().trim().max(254).nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  avatarUrl: z.url().max(2000).nullable().optional(),
  attributes: attributesSchema.optional(),
});

export const mergeContactsInput = z.object({
  /** The contact that disappears; everything moves into the contact in the path. */
  sourceId: id,
});

export const mergeSuggestionReason = z.enum(['confirmed_email', 'same_name_phone', 'same_name_domain', 'same_name']);
export const mergeSuggestionDto = z
  .object({
    contact: contactDto,
    /** confirmed_email: one of the two confirmed (in a widget chat) an e-mail address the other owns; same_name_phone: same name and phone number; same_name_domain: same name and company e-mail domain; same_name: same name on channels they do not share. */
    reason: mergeSuggestionReason,
    /** The shared e-mail address, phone number or domain. */
    detail: z.string().nullable(),
  })
  .meta({ id: 'MergeSuggestion' });
export type MergeSuggestionDto = z.infer<typeof mergeSuggestionDto>;

export const dismissMergeSuggestionInput = z.object({
  /** The suggested contact that is not the same person. */
  otherContactId: id,
});

export const replyInput = z.object({
  content: z.string().max(1_000_000),
  /** `note` is internal and never reaches the customer. */
  kind: z.enum(['message', 'note']).default('message'),
  contentType: z.enum(['text', 'markdown']).default('text'),
  attachments: z.array(attachmentInput).max(10).optional(),
  mentions: z.array(id).max(50).optional(),
  contentAttributes: z.record(z.string(), z.unknown()).optional(),
});

export const assignInput = z.object({
  assigneeId: id.nullable().optional(),
  teamId: id.nullable().optional(),
});

export const statusInput = z.object({
  status: z.enum(conversationStatuses),
  snoozedUntil: z.iso.datetime({ offset: true }).optional(),
});

export const labelsInput = z.object({ labels: z.array(z.string().trim().min(1).max(100)).max(50) });
export const priorityInput = z.object({ priority: z.enum(priorities) });
export const updateConversationInput = z.object({
  subject: z.string().max(500).nullable().optional(),
  customAttributes: attributesSchema.optional(),
});

/** The promise told to the customer, as the inbox list shows it (the at-risk marker and sort). */
export const listPromise = z.object({
  state: z.enum(['on_track', 'at_risk', 'will_miss', 'missed', 'kept']),
  firstResponseDueAt: z.string(),
  /** True while nobody has answered and the promise is at risk, will be missed or already was. */
  atRisk: z.boolean(),
});
/** Where a waiting conversation stands against its channel's first-response target (src/domain/speed-targets.ts). */
export const listSpeed = z.object({
  targetMinutes: z.number().int(),
  dueAt: z.string(),
  /** As of the response; `warning` from 75 % of the target on ("at risk"), `breached` past it. */
  state: z.enum(['ok', 'warning', 'breached']),
});
export const conversationListItem = conversationDto.extend({ unread: z.boolean(), promise: listPromise.nullable(), speed: listSpeed.nullable() });

export const conversationListQuery = cursorQuery.extend({
  status: z.enum([...conversationStatuses, 'all']).default('open'),
  inboxId: id.optional(),
  assigneeId: z.union([id, z.enum(['me', 'none'])]).optional(),
  teamId: z.union([id, z.literal('mine')]).optional(),
  label: z.string().max(100).optional(),
  contactId: id.optional(),
  priority: z.enum(priorities).optional(),
  /** The channel kind of the conversation's inbox. */
  channel: z.enum(channelKinds).optional(),
  q: z.string().trim().max(500).optional(),
  sort: z.enum(['newest', 'oldest', 'waiting', 'priority', 'at_risk', 'speed']).default('newest'),
});

export const createTeamInput = z.object({
  name,
  description: z.string().max(1000).optional(),
  autoAssign: z.boolean().optional(),
  memberIds: z.array(id).max(500).optional(),
});
export const updateTeamInput = createTeamInput.partial();

export const createLabelInput = z.object({
  name: z.string().trim().min(1).max(100).regex(/^[^,\s][^,]*$/, 'may not contain commas'),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  description: z.string().max(500).optional(),
});
export const updateLabelInput = createLabelInput.partial();

export const createWebhookInput = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  description: z.string().max(500).optional(),
  events: z.array(z.string()).max(50).default([]),
  secret: z.string().min(16).max(200).optional(),
  active: z.boolean().optional(),
});
// The default of `events` must not apply to an update (zod 4 keeps defaults inside partial()): pausing a webhook
// would otherwise widen it to all events.
export const updateWebhookInput = createWebhookInput.extend({ events: z.array(z.string()).max(50).optional() }).partial();

export const createTokenInput = z.object({
  name,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

export const inviteInput = z.object({ email: emailInput, name: z.string().trim().max(200).optional(), role: z.enum(['admin', 'agent']) });
export const acceptInvitationInput = z.object({ token: z.string().min(10).max(200), name: z.string().trim().min(1).max(200).optional(), password: passwordInput });
export const updateMemberInput = z.object({
  role: z.enum(roles).optional(),
  capacity: z.number().int().min(0).max(1000).nullable().optional(),
  availability: z.enum(['online', 'busy', 'offline']).optional(),
});
export const updateMeInput = z.object({
  name: name.optional(),
  locale: z.enum(['nl', 'en']).nullable().optional(),
  availability: z.enum(['online', 'busy', 'offline']).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
export const updateWorkspaceInput = z.object({
  name: name.optional(),
  locale: z.enum(['nl', 'en']).optional(),
  timeZone: z.string().max(100).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});

export type ConversationDto = z.infer<typeof conversationDto>;
export type ListPromise = z.infer<typeof listPromise>;
export type ListSpeed = z.infer<typeof listSpeed>;
export type MessageDto = z.infer<typeof messageDto>;
export type ContactDto = z.infer<typeof contactDto>;
export type InboxDto = z.infer<typeof inboxDto>;
export type UserDto = z.infer<typeof userDto>;
