import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { contacts, conversationReads, conversations, inboxes, inboxMembers, labels as labelsTable, memberships, messages, teams, users } from '../store/schema';
import { transition, wakeIfDue, type Status } from '../domain/conversation-state';
import { AppError, invalid, notFound } from '../shared/errors';
import type { ConversationDto } from '../shared/api';
import { isAdmin, type Actor, type Deps } from './context';
import { conversationDto, messageDto, type ConversationRow } from './dto';
import { OutboxWriter, withOutbox } from './outbox';
import { notify } from './notifications';

const PRIORITY_RANK = { none: 0, low: 1, medium: 2, high: 3, urgent: 4 } as const;

export async function lockConversation(tx: Db, workspaceId: string, id: string): Promise<ConversationRow> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)))
    .for('update');
  if (!row) throw notFound('conversation');
  return row;
}

export async function conversationView(tx: Db, row: ConversationRow): Promise<ConversationDto> {
  const [contact] = await tx
    .select({ id: contacts.id, name: contacts.name, email: contacts.email, phone: contacts.phone, avatarUrl: contacts.avatarUrl })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, row.workspaceId), eq(contacts.id, row.contactId)));
  const [inbox] = await tx
    .select({ kind: inboxes.kind })
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, row.workspaceId), eq(inboxes.id, row.inboxId)));
  return conversationDto(row, contact!, inbox!.kind);
}

export const scopeOf = (c: ConversationRow) => ({
  inboxId: c.inboxId,
  conversationId: c.id,
  contactId: c.contactId,
  assigneeId: c.assigneeId,
  teamId: c.teamId,
});

/**
 * Applies a patch to a conversation and records what happened: an activity line in the conversation (for the
 * agents), and events for realtime and webhooks — all in the caller's transaction.
 */
async function applyChange(
  tx: Db,
  deps: Deps,
  actor: Actor | null,
  before: ConversationRow,
  patch: Partial<ConversationRow>,
  activity: { type: string; data: Record<string, unknown> } | null,
  out: OutboxWriter,
): Promise<ConversationRow> {
  const now = deps.runtime.now();
  const [after] = await tx
    .update(conversations)
    // Only messages are activity for "newest first": an assignment, label or priority change must not lift a
    // conversation above ones where a customer just wrote.
    .set({ ...patch, updatedAt: now })
    .where(and(eq(conversations.workspaceId, before.workspaceId), eq(conversations.id, before.id)))
    .returning();
  const view = await conversationView(tx, after!);
  const scope = scopeOf(after!);
  // Agents who lose sight of a conversation (reassigned away) still need the update to drop it from their list.
  const widened = { ...scope, previousAssigneeId: before.assigneeId, previousTeamId: before.teamId };
  if (activity) {
    const [row] = await tx
      .insert(messages)
      .values({
        workspaceId: before.workspaceId,
        id: deps.runtime.id(),
        conversationId: before.id,
        inboxId: before.inboxId,
        kind: 'activity',
        senderType: actor ? 'user' : 'system',
        senderId: actor?.userId ?? null,
        content: '',
        contentAttributes: { activity: activity.type, ...activity.data },
        status: 'received',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    out.event('message.created', { ...scope, internal: true }, { message: messageDto(row!, await actorName(tx, actor)), conversation: view });
  }
  out.event('conversation.updated', widened, { conversation: view, changes: Object.keys(patch) });
  if (patch.status && patch.status !== before.status) {
    out.event('conversation.status_changed', widened, { conversation: view, previousStatus: before.status });
  }
  return after!;
}

async function actorName(tx: Db, actor: Actor | null): Promise<string | null> {
  if (!actor) return null;
  const [u] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
  return u?.name ?? null;
}

export async function changeStatus(
  deps: Deps,
  actor: Actor | null,
  workspaceId: string,
  conversationId: string,
  to: Status,
  snoozedUntil?: Date,
): Promise<ConversationDto> {
  return withOutbox(deps, workspaceId, async (tx, out) => {
    const before = await lockConversation(tx, workspaceId, conversationId);
    const result = transition(before, to, { now: deps.runtime.now(), snoozedUntil: snoozedUntil ?? null });
    if (!result.ok) throw new AppError('conflict', result.code, result.message);
    if (!result.changed) return conversationView(tx, before);
    const after = await applyChange(
      tx,
      deps,
      actor,
      before,
      result.patch,
      { type: 'status_changed', data: { from: before.status, to, ...(snoozedUntil ? { snoozedUntil: snoozedUntil.toISOString() } : {}) } },
      out,
    );
    return conversationView(tx, after);
  });
}

/** Assign to an agent and/or a team. The agent must be a member with access to the inbox. */
export async function assignConversation(
  deps: Deps,
  actor: Actor | null,
  workspaceId: string,
  conversationId: string,
  target: { assigneeId?: string | null; teamId?: string | null },
  opts: { auto?: boolean } = {},
): Promise<ConversationDto> {
  return withOutbox(deps, workspaceId, async (tx, out) => {
    const before = await lockConversation(tx, workspaceId, conversationId);
    const patch: Partial<ConversationRow> = {};
    if (target.assigneeId !== undefined && target.assigneeId !== before.assigneeId) {
      if (target.assigneeId !== null) await assertCanWorkInbox(tx, workspaceId, target.assigneeId, before.inboxId);
      patch.assigneeId = target.assigneeId;
    }
    if (target.teamId !== undefined && target.teamId !== before.teamId) {
      if (target.teamId !== null) {
        const [team] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, target.teamId)));
        if (!team) throw invalid('teamId', 'is not a team of this workspace', 'unknown_team');
      }
      patch.teamId = target.teamId;
    }
    if (Object.keys(patch).length === 0) return conversationView(tx, before);
    if (patch.assigneeId) {
      await tx
        .update(memberships)
        .set({ lastAssignedAt: deps.runtime.now() })
        .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, patch.assigneeId)));
    }
    const after = await applyChange(
      tx,
      deps,
      actor,
      before,
      patch,
      {
        type: 'assigned',
        data: {
          ...(patch.assigneeId !== undefined ? { assigneeId: patch.assigneeId, assigneeName: await userName(tx, patch.assigneeId) } : {}),
          ...(patch.teamId !== undefined ? { teamId: patch.teamId, teamName: await teamName(tx, workspaceId, patch.teamId) } : {}),
          ...(opts.auto ? { auto: true } : {}),
        },
      },
      out,
    );
    if (patch.assigneeId && patch.assigneeId !== actor?.userId) {
      await notify(tx, deps, out, {
        workspaceId,
        userIds: [patch.assigneeId],
        kind: 'assigned',
        conversationId,
        inboxId: before.inboxId,
        number: before.number,
        byUserId: actor?.userId ?? null,
      });
    }
    return conversationView(tx, after);
  });
}

async function userName(tx: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [u] = await tx.select({ name: users.name }).from(users).where(eq(users.id, id));
  return u?.name ?? null;
}
async function teamName(tx: Db, workspaceId: string, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [t] = await tx.select({ name: teams.name }).from(teams).where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, id)));
  return t?.name ?? null;
}

/** An agent can work a conversation when they are a member of the workspace with access to its inbox. */
export async function assertCanWorkInbox(tx: Db, workspaceId: string, userId: string, inboxId: string): Promise<void> {
  const [member] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  if (!member) throw invalid('assigneeId', 'is not a member of this workspace', 'unknown_assignee');
  if (isAdmin(member)) return;
  const [access] = await tx
    .select({ userId: inboxMembers.userId })
    .from(inboxMembers)
    .where(and(eq(inboxMembers.workspaceId, workspaceId), eq(inboxMembers.inboxId, inboxId), eq(inboxMembers.userId, userId)));
  if (!access) throw invalid('assigneeId', 'has no access to this inbox', 'assignee_without_access');
}

/** `names` may be a function of the current labels (bulk add/remove), applied under the row lock. */
export async function setLabels(
  deps: Deps,
  actor: Actor,
  workspaceId: string,
  conversationId: string,
  names: string[] | ((current: string[]) => string[]),
): Promise<ConversationDto> {
  return withOutbox(deps, workspaceId, async (tx, out) => {
    const before = await lockConversation(tx, workspaceId, conversationId);
    const wanted = [...new Set((typeof names === 'function' ? names(before.labels) : names).map((n) => n.trim()))];
    const known = wanted.length
      ? await tx
          .select({ name: labelsTable.name })
          .from(labelsTable)
          .where(and(eq(labelsTable.workspaceId, workspaceId), inArray(sql`lower(${labelsTable.name})`, wanted.map((w) => w.toLowerCase()))))
      : [];
    const unknown = wanted.filter((w) => !known.some((k) => k.name.toLowerCase() === w.toLowerCase()));
    if (unknown.length) throw invalid('labels', `unknown label(s): ${unknown.join(', ')}`, 'unknown_label');
    // Stored with the label's canonical spelling so filters match exactly.
    const canonical = wanted.map((w) => known.find((k) => k.name.toLowerCase() === w.toLowerCase())!.name).sort();
    if (canonical.join('\u0000') === [...before.labels].sort().join('\u0000')) return conversationView(tx, before);
    const added = canonical.filter((l) => !before.labels.includes(l));
    const removed = before.labels.filter((l) => !canonical.includes(l));
    const after = await applyChange(tx, deps, actor, before, { labels: canonical }, { type: 'labels_changed', data: { added, removed } }, out);
    return conversationView(tx, after);
  });
}

export async function setPriority(
  deps: Deps,
  actor: Actor,
  workspaceId: string,
  conversationId: string,
  priority: ConversationRow['priority'],
): Promise<ConversationDto> {
  return withOutbox(deps, workspaceId, async (tx, out) => {
    const before = await lockConversation(tx, workspaceId, conversationId);
    if (before.priority === priority) return conversationView(tx, before);
    const after = await applyChange(
      tx,
      deps,
      actor,
      before,
      { priority, priorityRank: PRIORITY_RANK[priority] },
      { type: 'priority_changed', data: { from: before.priority, to: priority } },
      out,
    );
    return conversationView(tx, after);
  });
}

export async function updateConversation(
  deps: Deps,
  actor: Actor,
  workspaceId: string,
  conversationId: string,
  input: { subject?: string | null; customAttributes?: Record<string, unknown> },
): Promise<ConversationDto> {
  return withOutbox(deps, workspaceId, async (tx, out) => {
    const before = await lockConversation(tx, workspaceId, conversationId);
    const patch: Partial<ConversationRow> = {};
    if (input.subject !== undefined) patch.subject = input.subject;
    if (input.customAttributes !== undefined) patch.customAttributes = { ...before.customAttributes, ...input.customAttributes };
    if (Object.keys(patch).length === 0) return conversationView(tx, before);
    const after = await applyChange(tx, deps, actor, before, patch, null, out);
    return conversationView(tx, after);
  });
}

export async function markRead(deps: Deps, actor: Actor, conversation: ConversationRow): Promise<void> {
  const now = deps.runtime.now();
  await deps.store.db
    .insert(conversationReads)
    .values({ workspaceId: actor.workspaceId, conversationId: conversation.id, userId: actor.userId, lastReadAt: now })
    .onConflictDoUpdate({ target: [conversationReads.workspaceId, conversationReads.conversationId, conversationReads.userId], set: { lastReadAt: now } });
}

/** Wakes snoozed conversations whose time has come (run every minute by a scheduled job). */
export async function wakeSnoozed(deps: Deps, limit = 500): Promise<number> {
  const due = await deps.store.db
    .select({ workspaceId: conversations.workspaceId, id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.status, 'snoozed'), sql`${conversations.snoozedUntil} <= ${deps.runtime.now()}`))
    .limit(limit);
  for (const c of due) {
    await withOutbox(deps, c.workspaceId, async (tx, out) => {
      const before = await lockConversation(tx, c.workspaceId, c.id);
      const patch = wakeIfDue(before, deps.runtime.now());
      if (!patch) return;
      await applyChange(
        tx,
        deps,
        null,
        before,
        patch,
        { type: 'status_changed', data: { from: 'snoozed', to: 'open', reason: 'snooze_ended' } },
        out,
      );
    });
  }
  return due.length;
}
