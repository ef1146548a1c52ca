import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { agreements, calls, contacts, conversations, users } from '../store/schema';
import { callOutcomes } from '../store/schema/calls';
import { notFound } from '../shared/errors';
import type { Actor, Deps } from './context';
import { visibleConversations } from './conversation-list';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from './cursor';
import { callDto } from './voice-calls';

/** The call log: every call of the lines the agent can see, newest first, with who called and who answered. */
export const listCallsQuery = z.object({
  inboxId: z.uuid().optional(),
  direction: z.enum(['inbound', 'outbound', 'callback']).optional(),
  outcome: z.enum(callOutcomes).optional(),
  agent: z.enum(['me', 'anyone']).default('anyone'),
  contactId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

const select = {
  call: calls,
  contactName: contacts.name,
  conversationNumber: conversations.number,
  agentName: users.name,
  agreement: {
    id: agreements.id,
    status: agreements.status,
    summary: agreements.summary,
    nextStep: agreements.nextStep,
    dueAt: agreements.dueAt,
  },
};

type Row = {
  call: typeof calls.$inferSelect;
  contactName: string;
  conversationNumber: number;
  agentName: string | null;
  agreement: { id: string | null; status: string | null; summary: string | null; nextStep: string | null; dueAt: Date | null } | null;
};

function logItem(r: Row) {
  return {
    ...callDto(r.call),
    inboxId: r.call.inboxId,
    conversationId: r.call.conversationId,
    conversationNumber: r.conversationNumber,
    contactId: r.call.contactId,
    contactName: r.contactName,
    agentName: r.agentName,
    agreement: r.agreement?.id ? { id: r.agreement.id, status: r.agreement.status, summary: r.agreement.summary, nextStep: r.agreement.nextStep, dueAt: r.agreement.dueAt?.toISOString() ?? null } : null,
  };
}
export type CallLogItem = ReturnType<typeof logItem>;

/** The agreement of a call: the one its post-call summary recorded (kept on the call's message). */
const agreementJoin = and(
  eq(agreements.workspaceId, calls.workspaceId),
  sql`${agreements.id} = (select (m.content_attributes->'agreement'->>'id')::uuid from messages m where m.workspace_id = ${calls.workspaceId} and m.id = ${calls.messageId})`,
);

function base(deps: Deps) {
  return deps.store.db
    .select(select)
    .from(calls)
    .innerJoin(conversations, and(eq(conversations.workspaceId, calls.workspaceId), eq(conversations.id, calls.conversationId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, calls.workspaceId), eq(contacts.id, calls.contactId)))
    .leftJoin(users, eq(users.id, calls.agentUserId))
    .leftJoin(agreements, agreementJoin);
}

export async function listCalls(deps: Deps, actor: Actor, q: z.infer<typeof listCallsQuery>) {
  const c = q.cursor ? decodeCursor(q.cursor, ['k', 'i']) : null;
  const rows = (await base(deps)
    .where(
      and(
        eq(calls.workspaceId, actor.workspaceId),
        visibleConversations(actor),
        q.inboxId ? eq(calls.inboxId, q.inboxId) : undefined,
        q.direction ? eq(calls.direction, q.direction) : undefined,
        q.outcome ? eq(calls.outcome, q.outcome) : undefined,
        q.contactId ? eq(calls.contactId, q.contactId) : undefined,
        q.agent === 'me' ? eq(calls.agentUserId, actor.userId) : undefined,
        c ? sql`(${calls.startedAt}, ${calls.id}) < (${cursorDate(c.k)}, ${cursorUuid(c.i)})` : undefined,
      ),
    )
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(q.limit + 1)) as Row[];
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(logItem),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ k: last.call.startedAt.toISOString(), i: last.call.id }) : null,
  };
}

export async function getCall(deps: Deps, actor: Actor, callId: string) {
  const [row] = (await base(deps).where(and(eq(calls.workspaceId, actor.workspaceId), eq(calls.id, callId), visibleConversations(actor)))) as Row[];
  if (!row) throw notFound('call');
  return logItem(row);
}
