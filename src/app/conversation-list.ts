import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db';
import { contacts, conversationPromises, conversationReads, conversations, inboxes, inboxMembers, teamMembers } from '../store/schema';
import { channelKinds, type ConversationDto, type ListPromise, type ListSpeed } from '../shared/api';
import { listSpeed, speedTargetMinutes } from '../domain/speed-targets';
import { isAdmin, type Actor } from './context';
import { conversationDto } from './dto';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from './cursor';
import { invalid } from '../shared/errors';

export interface ConversationFilter {
  status: 'open' | 'pending' | 'snoozed' | 'resolved' | 'closed' | 'all';
  inboxId?: string;
  assigneeId?: string;
  teamId?: string;
  label?: string;
  contactId?: string;
  priority?: 'none' | 'low' | 'medium' | 'high' | 'urgent';
  channel?: (typeof inboxes.$inferSelect)['kind'];
  q?: string;
  sort: 'newest' | 'oldest' | 'waiting' | 'priority' | 'at_risk' | 'speed';
  limit: number;
  cursor?: string;
}

export type ConversationListItem = ConversationDto & { unread: boolean; promise: ListPromise | null; speed: ListSpeed | null };

/** What the list needs besides the filter: the workspace's per-channel targets and the time. */
export interface ListContext {
  speedTargets: Record<string, number>;
  now: Date;
}

/** SQL that limits conversations to the inboxes this actor may see: the one tenancy-and-access rule for lists. */
export function visibleConversations(actor: Actor): SQL {
  const ws = eq(conversations.workspaceId, actor.workspaceId);
  if (isAdmin(actor)) return ws;
  return and(
    ws,
    inArray(
      conversations.inboxId,
      sql`(select ${inboxMembers.inboxId} from ${inboxMembers} where ${inboxMembers.workspaceId} = ${actor.workspaceId} and ${inboxMembers.userId} = ${actor.userId})`,
    ),
  )!;
}

/**
 * Free-text query against the Dutch and English stems. Every word is a prefix match (people type "fiets"
 * and expect "fietsen"; the Dutch stemmer even stems those two differently), words are ANDed, and a word
 * matches when either language's stem matches. Operators are stripped: user input never becomes tsquery syntax.
 */
export function searchTerms(q: string): string[] {
  return q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 12);
}

export function textQuery(q: string): SQL {
  const terms = searchTerms(q);
  if (terms.length === 0) return sql`''::tsquery`;
  const parts = terms.map((t) => sql`(to_tsquery('public.balie_nl', ${`${t}:*`}) || to_tsquery('public.balie_en', ${`${t}:*`}))`);
  return sql`(${sql.join(parts, sql` && `)})`;
}

const MESSAGE_MATCH = sql`message-match`;

const waitingKey = sql`coalesce(${conversations.waitingSince}, 'infinity'::timestamptz)`;

/**
 * The at-risk sort: 0 = nobody answered yet and the promise is at risk, will be missed or already was; 1 = a
 * promise on track; 2 = the rest. Within a bucket the soonest promised time comes first, then who waits longest.
 * Mirrored by `riskBucket` in web/src/inbox/view.ts so live updates land in the same place.
 */
const riskBucket = sql<number>`(case when ${conversationPromises.state} in ('at_risk', 'will_miss', 'missed') and ${conversations.firstResponseAt} is null then 0 when ${conversationPromises.state} = 'on_track' and ${conversations.firstResponseAt} is null then 1 else 2 end)`;
// Compared at millisecond precision, the precision a cursor carries: promise due times are computed in SQL with
// microseconds, and a cursor holding the rounded value would return its own last row again on the next page.
const dueKey = sql`date_trunc('milliseconds', coalesce(${conversationPromises.firstResponseDueAt}, 'infinity'::timestamptz))`;
const waitingKeyMs = sql`date_trunc('milliseconds', coalesce(${conversations.waitingSince}, 'infinity'::timestamptz))`;

/**
 * When a waiting conversation's channel target runs out: waiting since + the target of its inbox's channel, at
 * millisecond precision (the cursor's). Not waiting (answered, pending, snoozed, closed) sorts last. Mirrored by
 * `listSpeed` (domain) for the items and by the agent app's comparator for live updates.
 */
function speedDue(targets: Record<string, number>): SQL {
  // Kinds are a fixed list and targets validated integers: literals, so the planner sees constants.
  const whens = sql.raw(channelKinds.map((k) => `when '${k}' then ${Math.trunc(speedTargetMinutes(k, targets))}`).join(' '));
  const minutes = sql`case ${inboxes.kind} ${whens} else ${sql.raw(String(speedTargetMinutes('', {})))} end`;
  return sql`(case when ${conversations.status} = 'open' and ${conversations.waitingSince} is not null then date_trunc('milliseconds', ${conversations.waitingSince} + (${minutes}) * interval '1 minute') else 'infinity'::timestamptz end)`;
}

type ListRow = { conversation: typeof conversations.$inferSelect; channel: string; promiseState: ListPromise['state'] | null; promiseDue: Date | null };
const bucketOf = (r: ListRow) => (r.promiseState && !r.conversation.firstResponseAt ? (r.promiseState === 'on_track' ? 1 : r.promiseState === 'kept' ? 2 : 0) : 2);
const listPromiseOf = (r: ListRow): ListPromise | null =>
  r.promiseState && r.promiseDue ? { state: r.promiseState, firstResponseDueAt: r.promiseDue.toISOString(), atRisk: bucketOf(r) === 0 } : null;

export async function listConversations(
  tx: Db,
  actor: Actor,
  f: ConversationFilter,
  ctx: ListContext = { speedTargets: {}, now: new Date() },
): Promise<{ items: ConversationListItem[]; nextCursor: string | null }> {
  const where: (SQL | undefined)[] = [visibleConversations(actor)];
  if (f.status !== 'all') where.push(eq(conversations.status, f.status));
  if (f.inboxId) where.push(eq(conversations.inboxId, f.inboxId));
  if (f.assigneeId === 'none') where.push(isNull(conversations.assigneeId));
  else if (f.assigneeId) where.push(eq(conversations.assigneeId, f.assigneeId === 'me' ? actor.userId : f.assigneeId));
  if (f.teamId === 'mine') {
    where.push(
      inArray(
        conversations.teamId,
        sql`(select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.workspaceId} = ${actor.workspaceId} and ${teamMembers.userId} = ${actor.userId})`,
      ),
    );
  } else if (f.teamId) where.push(eq(conversations.teamId, f.teamId));
  if (f.label) where.push(sql`${conversations.labels} @> array[${f.label}]::text[]`);
  if (f.contactId) where.push(eq(conversations.contactId, f.contactId));
  if (f.priority) where.push(eq(conversations.priority, f.priority));
  if (f.channel) where.push(eq(inboxes.kind, f.channel));
  // A text query matches message text, the contact, or the case number. Each is its own query (merged below):
  // an OR of them would hide from the planner that a common word is best found by walking the newest
  // conversations and a rare one through the full-text index.
  const matches: (SQL | undefined)[] = [undefined];
  if (f.q) {
    const number = /^#?(\d{1,9})$/.exec(f.q)?.[1];
    matches.length = 0;
    if (searchTerms(f.q).length) matches.push(MESSAGE_MATCH);
    // Contacts are found through the trigram index first (needs 3+ characters), then their conversations.
    if (f.q.length >= 3) {
      matches.push(
        inArray(
          conversations.contactId,
          sql`(select c.id from contacts c where c.workspace_id = ${actor.workspaceId} and c.search_text like ${`%${likeEscape(f.q.toLowerCase())}%`})`,
        ),
      );
    }
    if (number) matches.push(eq(conversations.number, Number(number)));
  }

  const c = f.cursor ? decodeCursor(f.cursor, ['k', 'i']) : null;
  let order: SQL[];
  let keyOf: (row: ListRow) => string | number;
  let compare: (a: ListRow, b: ListRow) => number;
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const t = (d: Date | null) => d?.getTime() ?? Infinity;
  switch (f.sort) {
    case 'oldest':
      order = [asc(conversations.lastActivityAt), asc(conversations.id)];
      keyOf = ({ conversation: r }) => r.lastActivityAt.toISOString();
      compare = ({ conversation: a }, { conversation: b }) => t(a.lastActivityAt) - t(b.lastActivityAt) || byId(a, b);
      if (c) where.push(sql`(${conversations.lastActivityAt}, ${conversations.id}) > (${cursorDate(c.k)}, ${cursorUuid(c.i)})`);
      break;
    case 'waiting':
      order = [asc(waitingKey), asc(conversations.id)];
      keyOf = ({ conversation: r }) => r.waitingSince?.toISOString() ?? 'infinity';
      compare = ({ conversation: a }, { conversation: b }) => t(a.waitingSince) - t(b.waitingSince) || byId(a, b);
      if (c) {
        const k = c.k === 'infinity' ? sql`'infinity'::timestamptz` : sql`${cursorDate(c.k)}`;
        where.push(sql`(${waitingKey}, ${conversations.id}) > (${k}, ${cursorUuid(c.i)})`);
      }
      break;
    case 'priority':
      order = [desc(conversations.priorityRank), desc(conversations.lastActivityAt), desc(conversations.id)];
      keyOf = ({ conversation: r }) => `${r.priorityRank}|${r.lastActivityAt.toISOString()}`;
      compare = ({ conversation: a }, { conversation: b }) => b.priorityRank - a.priorityRank || t(b.lastActivityAt) - t(a.lastActivityAt) || byId(b, a);
      if (c) {
        const [rank, at] = String(c.k).split('|');
        if (!/^\d$/.test(rank ?? '')) throw invalid('cursor', 'is not a cursor this API returned', 'invalid_cursor');
        where.push(sql`(${conversations.priorityRank}, ${conversations.lastActivityAt}, ${conversations.id}) < (${Number(rank)}, ${cursorDate(at ?? '')}, ${cursorUuid(c.i)})`);
      }
      break;
    case 'at_risk':
      order = [asc(riskBucket), asc(dueKey), asc(waitingKeyMs), asc(conversations.id)];
      keyOf = (r) => `${bucketOf(r)}|${r.promiseDue?.toISOString() ?? 'infinity'}|${r.conversation.waitingSince?.toISOString() ?? 'infinity'}`;
      compare = (a, b) =>
        bucketOf(a) - bucketOf(b) || t(a.promiseDue) - t(b.promiseDue) || t(a.conversation.waitingSince) - t(b.conversation.waitingSince) || byId(a.conversation, b.conversation);
      if (c) {
        const [bucket, due, waiting] = String(c.k).split('|');
        if (!/^[012]$/.test(bucket ?? '')) throw invalid('cursor', 'is not a cursor this API returned', 'invalid_cursor');
        const at = (v: string | undefined) => (v === 'infinity' ? sql`'infinity'::timestamptz` : sql`${cursorDate(v ?? '')}`);
        where.push(sql`(${riskBucket}, ${dueKey}, ${waitingKeyMs}, ${conversations.id}) > (${Number(bucket)}, ${at(due)}, ${at(waiting)}, ${cursorUuid(c.i)})`);
      }
      break;
    case 'speed': {
      // Soonest due first: breached conversations lead (their due time has passed), then those at risk.
      const due = speedDue(ctx.speedTargets);
      const dueOf = (r: ListRow) => listSpeed(r.conversation, r.channel, ctx.speedTargets, ctx.now)?.dueAt ?? null;
      order = [sql`${due} asc`, asc(conversations.id)];
      keyOf = (r) => dueOf(r)?.toISOString() ?? 'infinity';
      compare = (a, b) => t(dueOf(a)) - t(dueOf(b)) || byId(a.conversation, b.conversation);
      if (c) {
        const k = c.k === 'infinity' ? sql`'infinity'::timestamptz` : sql`${cursorDate(c.k)}`;
        where.push(sql`(${due}, ${conversations.id}) > (${k}, ${cursorUuid(c.i)})`);
      }
      break;
    }
    default:
      order = [desc(conversations.lastActivityAt), desc(conversations.id)];
      keyOf = ({ conversation: r }) => r.lastActivityAt.toISOString();
      compare = ({ conversation: a }, { conversation: b }) => t(b.lastActivityAt) - t(a.lastActivityAt) || byId(b, a);
      if (c) where.push(sql`(${conversations.lastActivityAt}, ${conversations.id}) < (${cursorDate(c.k)}, ${cursorUuid(c.i)})`);
  }

  const run = (match: SQL | undefined, db: Db = tx) =>
    db
    .select({
      conversation: conversations,
      contact: { id: contacts.id, name: contacts.name, email: contacts.email, phone: contacts.phone, avatarUrl: contacts.avatarUrl },
      channel: inboxes.kind,
      lastReadAt: conversationReads.lastReadAt,
      promiseState: conversationPromises.state,
      promiseDue: conversationPromises.firstResponseDueAt,
    })
    .from(conversations)
    .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
    .innerJoin(inboxes, and(eq(inboxes.workspaceId, conversations.workspaceId), eq(inboxes.id, conversations.inboxId)))
    .leftJoin(conversationPromises, and(eq(conversationPromises.workspaceId, conversations.workspaceId), eq(conversationPromises.conversationId, conversations.id)))
    .leftJoin(
      conversationReads,
      and(
        eq(conversationReads.workspaceId, conversations.workspaceId),
        eq(conversationReads.conversationId, conversations.id),
        eq(conversationReads.userId, actor.userId),
      ),
    )
    .where(and(...where, match))
    .orderBy(...order)
    .limit(f.limit + 1);

  // Which message search is fast depends on how common the words are. Walking the newest conversations finds a
  // common word at once and a rare one never; the full-text index is the other way round (at 10 M messages a word
  // in every other message took 28 s through the index, 20 ms by walking). So: a short walk first; if it runs out
  // of time, the planner's estimate of matching messages decides between the index and a longer walk (a cold
  // cache or a busy machine makes even a common word's walk slow).
  const walk = async (budgetMs: number) => {
    try {
      return await tx.transaction(async (t) => {
        await t.execute(sql.raw(`set local statement_timeout = ${budgetMs}`));
        return run(recentMatch(f.q!), t as unknown as Db);
      });
    } catch (err) {
      if (!/statement timeout|canceling statement/i.test(`${(err as Error).message} ${(err as { cause?: Error }).cause?.message ?? ''}`)) throw err;
      return null;
    }
  };
  const runMessageMatch = async () => {
    const quick = await walk(WALK_BUDGET_MS);
    if (quick) return quick;
    if ((await estimatedMessageMatches(tx, actor.workspaceId, f.q!)) >= COMMON_MATCHES) {
      const long = await walk(LONG_WALK_BUDGET_MS);
      if (long) return long;
    }
    return run(indexedMatch(actor.workspaceId, f.q!));
  };
  const results = await Promise.all(matches.map((m) => (m === MESSAGE_MATCH ? runMessageMatch() : run(m))));
  // Each result is sorted and limited the same way, so the merged top `limit + 1` is exact.
  const seen = new Set<string>();
  const rows = results
    .flat()
    .filter((r) => !seen.has(r.conversation.id) && seen.add(r.conversation.id))
    .sort(compare)
    .slice(0, f.limit + 1);

  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      ...conversationDto(r.conversation, r.contact, r.channel),
      unread: !!r.conversation.lastInboundAt && (!r.lastReadAt || r.lastReadAt < r.conversation.lastInboundAt),
      promise: listPromiseOf(r),
      speed: speedOf(r, ctx),
    })),
    nextCursor: more && last ? encodeCursor({ k: keyOf(last), i: last.conversation.id }) : null,
  };
}

function speedOf(r: ListRow, ctx: ListContext): ListSpeed | null {
  const s = listSpeed(r.conversation, r.channel, ctx.speedTargets, ctx.now);
  return s ? { targetMinutes: s.targetMinutes, dueAt: s.dueAt.toISOString(), state: s.state } : null;
}

/** Walk the newest conversations and test their messages: fast when the words are common. */
function recentMatch(q: string): SQL {
  return sql`exists (select 1 from messages m where m.workspace_id = ${conversations.workspaceId} and m.conversation_id = ${conversations.id} and m.fts @@ ${textQuery(q)})`;
}

/** Look the words up in the full-text index first: fast when they are rare. OFFSET 0 stops the planner from
 *  turning this back into the walk above. */
function indexedMatch(workspaceId: string, q: string): SQL {
  return inArray(
    conversations.id,
    sql`(select h.conversation_id from (select m.conversation_id from messages m where m.workspace_id = ${workspaceId} and m.fts @@ ${textQuery(q)} offset 0) h)`,
  );
}

/** How long the first walk may take before the planner is asked how common the words are. It includes planning,
 *  which alone took 40–120 ms for this query at 1 M conversations on a busy machine. */
const WALK_BUDGET_MS = 150;
/** From this many matching messages on, the index lookup costs more than walking (it sorts every match). */
const COMMON_MATCHES = 20_000;
/** The walk for a common word on a cold cache or a busy machine; past it, the index lookup after all. */
const LONG_WALK_BUDGET_MS = 2_000;

/** The planner's estimate of how many messages match: from the full-text statistics, no rows are read. */
export async function estimatedMessageMatches(tx: Db, workspaceId: string, q: string): Promise<number> {
  const result = (await tx.execute(
    sql`explain (format json) select 1 from messages m where m.workspace_id = ${workspaceId} and m.fts @@ ${textQuery(q)}`,
  )) as unknown as { rows: { 'QUERY PLAN': unknown }[] };
  const raw = result.rows[0]?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[];
  return plan[0]?.Plan?.['Plan Rows'] ?? 0;
}

export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
