import { z } from 'zod';
import { eq, sql } from 'drizzle-orm';
import * as app from '../../shared/agent-app';
import { page } from '../../shared/api';
import { users } from '../../store/schema';
import { viewCounts } from '../../app/view-counts';
import { searchEverything } from '../../app/search';
import { bulkAction } from '../../app/bulk';
import { listNotifications, markNotificationsRead } from '../../app/notifications';
import { availableChannelKinds, channelAdapter } from '../../channels/registry';
import { agentBootstrap, readMyPreferences } from '../../app/agent-bootstrap';
import { route, type RouteSpec } from '../route';

/** Routes the agent app needs beyond the core resources: start-up, sidebar counts, Ctrl+K search, bulk, notifications. */
const jsonSchema = (schema: z.ZodType) => {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
};

// Not preferencesSchema.partial(): zod 4 still fills in the defaults of omitted fields, so changing one setting
// would reset all the others.
const preferencesInput = z.object({
  notifySound: z.boolean().optional(),
  notifyBrowser: z.boolean().optional(),
  notifyNewConversations: z.boolean().optional(),
  sendWithEnter: z.boolean().optional(),
  locale: z.enum(['nl', 'en']).nullable().optional(),
});

export const agentAppRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/api/v1/agent-app/bootstrap',
    summary: 'Everything the agent app loads after login, in one call: inboxes, users, teams, labels, your preferences, view counts, notifications',
    description:
      'Each part is what its own endpoint returns (`GET /api/v1/inboxes`, `/users`, `/teams`, `/labels`, `/me/preferences`, `/conversations/counts`, the first 30 of `/notifications`); those endpoints stay for refreshing one part.',
    tags: ['Agent app'],
    auth: 'member',
    response: { schema: app.bootstrapDto },
    handler: ({ deps, actor }) => agentBootstrap(deps, actor),
  }),
  route({
    method: 'GET',
    url: '/api/v1/conversations/counts',
    summary: 'Counts per view (mine, unassigned, my teams, all), inbox and label, per status; unread per view',
    tags: ['Conversations'],
    auth: 'member',
    response: { schema: app.viewCountsDto },
    handler: ({ deps, actor }) => viewCounts(deps.store.db, actor),
  }),
  route({
    method: 'POST',
    url: '/api/v1/conversations/bulk',
    summary: 'One action on up to 500 conversations (assign, labels, status, priority, read)',
    description:
      'Each conversation is changed as by the single action (activity line, events, webhooks). Conversations the action cannot apply to are listed in `failed` with the reason; the others are changed.',
    tags: ['Conversations'],
    auth: 'member',
    body: app.bulkInput,
    response: { schema: app.bulkResultDto },
    handler: ({ deps, actor, body }) => bulkAction(deps, actor, body),
  }),
  route({
    method: 'GET',
    url: '/api/v1/search',
    summary: 'Search conversations, contacts and message text (Dutch and English stemming), with highlighted hits',
    description: `Matching words in \`highlight\` fields are wrapped in U+E000 … U+E001.`,
    tags: ['Search'],
    auth: 'member',
    query: app.searchQuery,
    response: { schema: app.searchResultDto },
    handler: ({ deps, actor, query }) => searchEverything(deps.store.db, actor, query.q, query.limit),
  }),
  route({
    method: 'GET',
    url: '/api/v1/notifications',
    summary: 'Your notifications (assignments, mentions), newest first, with the unread count',
    tags: ['Notifications'],
    auth: 'member',
    query: app.notificationListQuery,
    response: { schema: page(app.notificationDto).extend({ unreadCount: z.number().int() }) },
    handler: ({ deps, actor, query }) => listNotifications(deps.store.db, actor.workspaceId, actor.userId, query),
  }),
  route({
    method: 'POST',
    url: '/api/v1/notifications/read',
    summary: 'Mark notifications read: by ids, all about one conversation, or all',
    tags: ['Notifications'],
    auth: 'member',
    body: app.markNotificationsInput,
    response: { schema: z.object({ marked: z.number().int() }) },
    handler: async ({ deps, actor, body }) => ({ marked: await markNotificationsRead(deps, actor.workspaceId, actor.userId, body) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/me/preferences',
    summary: 'Your agent-app preferences (sound, browser notifications, language) with defaults filled in',
    tags: ['Users'],
    auth: 'member',
    response: { schema: app.preferencesSchema.extend({ locale: z.enum(['nl', 'en']).nullable() }) },
    handler: ({ deps, actor }) => readMyPreferences(deps, actor.userId),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/me/preferences',
    summary: 'Change your agent-app preferences (send only what changes)',
    tags: ['Users'],
    auth: 'member',
    body: preferencesInput,
    response: { schema: app.preferencesSchema.extend({ locale: z.enum(['nl', 'en']).nullable() }) },
    handler: async ({ deps, actor, body }) => {
      const { locale, ...prefs } = body;
      // Merged by the database in one statement: two quick toggles in a row (sound off, browser on) are two
      // concurrent requests, and a read-then-write here let the second undo the first.
      const [u] = await deps.store.db
        .update(users)
        .set({ settings: sql`${users.settings} || ${JSON.stringify(prefs)}::jsonb`, ...(locale !== undefined ? { locale } : {}), updatedAt: deps.runtime.now() })
        .where(eq(users.id, actor.userId))
        .returning({ settings: users.settings, locale: users.locale });
      return { ...app.readPreferences(u?.settings), locale: (u?.locale as 'nl' | 'en' | null) ?? null };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/channel-kinds',
    summary: 'Channel kinds this Balie can create inboxes for, with capabilities and the JSON Schema of their settings',
    description: 'Secrets (`secretsSchema`) are write-only: send them when creating or updating an inbox; they are never returned.',
    tags: ['Inboxes'],
    auth: 'member',
    response: { schema: z.object({ items: z.array(app.channelKindDto) }) },
    handler: () => ({
      items: availableChannelKinds().map((kind) => {
        const a = channelAdapter(kind)!;
        return {
          kind,
          capabilities: a.capabilities,
          receivesWebhooks: a.receivesWebhooks,
          settingsSchema: jsonSchema(a.settingsSchema),
          secretsSchema: jsonSchema(a.secretsSchema),
        };
      }),
    }),
  }),
];
