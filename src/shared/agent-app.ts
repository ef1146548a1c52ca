import { z } from 'zod';
import { channelKinds, contactDto, conversationDto, conversationStatuses, inboxDto, labelDto, messageDto, priorities, teamDto, userDto } from './api';

/**
 * Shapes of the endpoints the agent app needs beyond the core resources: view counts, search with highlighted
 * hits, bulk actions, notifications, personal preferences and the channel-kind catalogue for the settings.
 * Kept apart from api.ts so the core resource file stays small; the server validates with these and the app
 * imports their types.
 */
const id = z.uuid();
const isoDate = z.string().describe('ISO 8601 timestamp');

// ---------- view counts ----------

export const countedStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;
const count = z.number().int();
const perStatus = z.object({ open: count, pending: count, snoozed: count, resolved: count });
export type PerStatus = z.infer<typeof perStatus>;

export const viewCountsDto = z
  .object({
    views: z.object({ mine: perStatus, unassigned: perStatus, teams: perStatus, all: perStatus }),
    /** Unread open conversations per view (the badge agents act on). */
    unread: z.object({ mine: z.number().int(), unassigned: z.number().int(), teams: z.number().int(), all: z.number().int() }),
    inboxes: z.record(z.string(), perStatus),
    labels: z.record(z.string(), perStatus),
  })
  .meta({ id: 'ViewCounts' });
export type ViewCounts = z.infer<typeof viewCountsDto>;

// ---------- search ----------

export { HIT_START, HIT_END } from './highlight';

export const searchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const searchResultDto = z
  .object({
    conversations: z.array(conversationDto.extend({ highlight: z.string().nullable() })),
    contacts: z.array(contactDto.omit({ identities: true }).extend({ highlight: z.string() })),
    messages: z.array(
      z.object({
        message: messageDto.pick({ id: true, conversationId: true, kind: true, direction: true, senderName: true, createdAt: true }),
        conversation: z.object({ id, number: z.number().int(), status: z.enum(conversationStatuses), channel: z.enum(channelKinds), contactName: z.string() }),
        highlight: z.string(),
      }),
    ),
  })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof searchResultDto>;

// ---------- bulk actions ----------

export const bulkInput = z.object({
  conversationIds: z.array(id).min(1).max(500),
  action: z.discriminatedUnion('type', [
    z.object({ type: z.literal('assign'), assigneeId: id.nullable().optional(), teamId: id.nullable().optional() }),
    z.object({
      type: z.literal('labels'),
      add: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
      remove: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    }),
    z.object({ type: z.literal('status'), status: z.enum(conversationStatuses), snoozedUntil: z.iso.datetime({ offset: true }).optional() }),
    z.object({ type: z.literal('priority'), priority: z.enum(priorities) }),
    z.object({ type: z.literal('read') }),
  ]),
});
export type BulkInput = z.infer<typeof bulkInput>;

export const bulkResultDto = z
  .object({
    succeeded: z.array(id),
    failed: z.array(z.object({ id, code: z.string(), message: z.string() })),
  })
  .meta({ id: 'BulkResult' });

// ---------- notifications ----------

export const notificationDto = z
  .object({
    id,
    kind: z.string(),
    conversationId: id.nullable(),
    conversationNumber: z.number().int().nullable(),
    messageId: id.nullable(),
    actorId: id.nullable(),
    actorName: z.string().nullable(),
    /** For mentions: the start of the note. */
    excerpt: z.string().nullable(),
    readAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'Notification' });
export type NotificationDto = z.infer<typeof notificationDto>;

export const notificationListQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  unread: z.enum(['true', 'false']).optional(),
});

export const markNotificationsInput = z.union([
  z.object({ ids: z.array(id).min(1).max(500) }),
  z.object({ conversationId: id }),
  z.object({ all: z.literal(true) }),
]);

// ---------- preferences ----------

/** Personal settings of the agent app, stored in the user's settings; read through this schema for defaults. */
export const preferencesSchema = z.object({
  notifySound: z.boolean().default(true),
  notifyBrowser: z.boolean().default(false),
  /** Play the sound / show the browser notification also for new conversations in my inboxes (not only mine). */
  notifyNewConversations: z.boolean().default(false),
  sendWithEnter: z.boolean().default(false),
});
export type Preferences = z.infer<typeof preferencesSchema>;
export const readPreferences = (raw: unknown): Preferences => {
  const r = preferencesSchema.safeParse(raw ?? {});
  return r.success ? r.data : preferencesSchema.parse({});
};

// ---------- channel kinds ----------

export const channelKindDto = z
  .object({
    kind: z.enum(channelKinds),
    capabilities: z.object({
      attachments: z.boolean(),
      templates: z.boolean(),
      readReceipts: z.boolean(),
      window24h: z.boolean(),
      maxLength: z.number().int().nullable(),
      idempotentSend: z.boolean(),
    }),
    receivesWebhooks: z.boolean(),
    /** JSON Schema of the non-secret settings and of the write-only secrets, for generic forms. */
    settingsSchema: z.record(z.string(), z.unknown()),
    secretsSchema: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ChannelKind' });
export type ChannelKindDto = z.infer<typeof channelKindDto>;

// ---------- bootstrap ----------

/**
 * Everything the agent app's first screen needs besides the conversation list, in one answer: each part is
 * exactly what its own endpoint returns (GET /api/v1/inboxes, /users, /teams, /labels, /me/preferences,
 * /conversations/counts and the first page of /notifications), so the app fills the same caches from it.
 */
export const bootstrapDto = z
  .object({
    inboxes: z.array(inboxDto),
    users: z.array(userDto),
    teams: z.array(teamDto),
    labels: z.array(labelDto),
    preferences: preferencesSchema.extend({ locale: z.enum(['nl', 'en']).nullable() }),
    counts: viewCountsDto,
    notifications: z.object({ items: z.array(notificationDto), nextCursor: z.string().nullable(), unreadCount: z.number().int() }),
  })
  .meta({ id: 'AgentAppBootstrap' });
export type BootstrapDto = z.infer<typeof bootstrapDto>;
/** The notifications page the bootstrap carries: the same size the bell asks for. */
export const BOOTSTRAP_NOTIFICATIONS = 30;
