import { and, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../app/context';
import { isAdmin } from '../app/context';
import type { Db } from '../store/db';
import { apiTokens, attachments, contacts, conversations, inboxes, inboxMembers, incidents, invitations, kbArticles, kbCategories, labels, memberships, messages, teams, webhooks } from '../store/schema';
import { visibleConversations } from '../app/conversation-list';
import { notFound } from '../shared/errors';
import { UUID_RE } from '../shared/runtime';
import type { ConversationRow, InboxRow, ContactRow, MessageRow, AttachmentRow } from '../app/dto';

/**
 * Tenancy and access for every path parameter that names a resource, in one place. A route declares
 * `resources: { id: 'conversation' }`; the resource is loaded within the actor's workspace (and, for agents,
 * within the inboxes they may see) before the handler runs. Anything else — another workspace's id, a
 * malformed id, an id that does not exist — is the same 404.
 */
export type ResourceKind =
  | 'inbox'
  | 'conversation'
  | 'contact'
  | 'message'
  | 'attachment'
  | 'team'
  | 'label'
  | 'webhook'
  | 'token'
  | 'member'
  | 'invitation'
  | 'incident'
  | 'article'
  | 'category';

export interface LoadedResources {
  inbox?: InboxRow;
  conversation?: ConversationRow;
  contact?: ContactRow;
  message?: MessageRow;
  attachment?: AttachmentRow & { conversationId: string };
  team?: typeof teams.$inferSelect;
  label?: typeof labels.$inferSelect;
  webhook?: typeof webhooks.$inferSelect;
  token?: typeof apiTokens.$inferSelect;
  member?: typeof memberships.$inferSelect;
  invitation?: typeof invitations.$inferSelect;
  incident?: typeof incidents.$inferSelect;
  article?: typeof kbArticles.$inferSelect;
  category?: typeof kbCategories.$inferSelect;
}

type Loader = (db: Db, actor: Actor, id: string) => Promise<unknown>;

const loaders: Record<ResourceKind, Loader> = {
  async inbox(db, actor, id) {
    const [row] = await db
      .select({ inbox: inboxes })
      .from(inboxes)
      .leftJoin(
        inboxMembers,
        and(eq(inboxMembers.workspaceId, inboxes.workspaceId), eq(inboxMembers.inboxId, inboxes.id), eq(inboxMembers.userId, actor.userId)),
      )
      .where(
        and(
          eq(inboxes.workspaceId, actor.workspaceId),
          eq(inboxes.id, id),
          isNull(inboxes.archivedAt),
          isAdmin(actor) ? undefined : eq(inboxMembers.userId, actor.userId),
        ),
      );
    return row?.inbox;
  },
  async conversation(db, actor, id) {
    const [row] = await db.select().from(conversations).where(and(visibleConversations(actor), eq(conversations.id, id)));
    return row;
  },
  async contact(db, actor, id) {
    const [row] = await db.select().from(contacts).where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, id)));
    return row;
  },
  async message(db, actor, id) {
    const [row] = await db
      .select({ message: messages })
      .from(messages)
      .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
      .where(and(visibleConversations(actor), eq(messages.id, id)));
    return row?.message;
  },
  async attachment(db, actor, id) {
    const [row] = await db
      .select({ attachment: attachments, conversationId: messages.conversationId, kind: messages.kind })
      .from(attachments)
      .innerJoin(messages, and(eq(messages.workspaceId, attachments.workspaceId), eq(messages.id, attachments.messageId)))
      .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
      .where(and(visibleConversations(actor), eq(attachments.id, id)));
    return row ? { ...row.attachment, conversationId: row.conversationId } : undefined;
  },
  async team(db, actor, id) {
    const [row] = await db.select().from(teams).where(and(eq(teams.workspaceId, actor.workspaceId), eq(teams.id, id)));
    return row;
  },
  async label(db, actor, id) {
    const [row] = await db.select().from(labels).where(and(eq(labels.workspaceId, actor.workspaceId), eq(labels.id, id)));
    return row;
  },
  async webhook(db, actor, id) {
    const [row] = await db.select().from(webhooks).where(and(eq(webhooks.workspaceId, actor.workspaceId), eq(webhooks.id, id)));
    return row;
  },
  async token(db, actor, id) {
    const [row] = await db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.workspaceId, actor.workspaceId), eq(apiTokens.id, id), isAdmin(actor) ? undefined : eq(apiTokens.userId, actor.userId)));
    return row;
  },
  async member(db, actor, id) {
    const [row] = await db.select().from(memberships).where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, id)));
    return row;
  },
  async invitation(db, actor, id) {
    const [row] = await db.select().from(invitations).where(and(eq(invitations.workspaceId, actor.workspaceId), eq(invitations.id, id)));
    return row;
  },
  async incident(db, actor, id) {
    const [row] = await db.select().from(incidents).where(and(eq(incidents.workspaceId, actor.workspaceId), eq(incidents.id, id)));
    return row;
  },
  // Knowledge-base rows: every member may read drafts (the editor), so only the workspace bounds them.
  async article(db, actor, id) {
    const [row] = await db.select().from(kbArticles).where(and(eq(kbArticles.workspaceId, actor.workspaceId), eq(kbArticles.id, id)));
    return row;
  },
  async category(db, actor, id) {
    const [row] = await db.select().from(kbCategories).where(and(eq(kbCategories.workspaceId, actor.workspaceId), eq(kbCategories.id, id)));
    return row;
  },
};

export async function loadResources(db: Db, actor: Actor, spec: Record<string, ResourceKind>, params: Record<string, unknown>): Promise<LoadedResources> {
  const loaded: Record<string, unknown> = {};
  for (const [param, kind] of Object.entries(spec)) {
    const id = params[param];
    if (typeof id !== 'string' || !UUID_RE.test(id)) throw notFound(kind);
    const row = await loaders[kind](db, actor, id.toLowerCase());
    if (!row) throw notFound(kind);
    loaded[kind] = row;
  }
  return loaded as LoadedResources;
}
