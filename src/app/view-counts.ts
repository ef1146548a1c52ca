import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { conversationReads, conversations, teamMembers } from '../store/schema';
import { countedStatuses, type PerStatus, type ViewCounts } from '../shared/agent-app';
import type { Actor } from './context';
import { visibleConversations } from './conversation-list';

const zero = (): PerStatus => ({ open: 0, pending: 0, snoozed: 0, resolved: 0 });
type Counted = (typeof countedStatuses)[number];
const isCounted = (s: string): s is Counted => (countedStatuses as readonly string[]).includes(s);

/**
 * The numbers next to every view in the agent app's sidebar: Mine / Unassigned / My teams / All per status,
 * per inbox and per label, plus unread open conversations per view. Three grouped scans of the actor's visible
 * conversations (closed ones are never counted), so the sidebar costs the same however many views it shows.
 */
export async function viewCounts(tx: Db, actor: Actor): Promise<ViewCounts> {
  const visible = and(visibleConversations(actor), inArray(conversations.status, [...countedStatuses]));
  const myTeams = sql`${conversations.teamId} in (select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.workspaceId} = ${actor.workspaceId} and ${teamMembers.userId} = ${actor.userId})`;
  const unread = sql`${conversations.status} = 'open' and ${conversations.lastInboundAt} is not null and (${conversationReads.lastReadAt} is null or ${conversationReads.lastReadAt} < ${conversations.lastInboundAt})`;
  const n = (cond: ReturnType<typeof sql>) => sql<number>`(count(*) filter (where ${cond}))::int`;

  const [byView, byInbox, byLabel] = await Promise.all([
    tx
      .select({
        status: conversations.status,
        mine: n(sql`${conversations.assigneeId} = ${actor.userId}`),
        unassigned: n(sql`${conversations.assigneeId} is null`),
        teams: n(myTeams),
        all: sql<number>`count(*)::int`,
        unreadMine: n(sql`${conversations.assigneeId} = ${actor.userId} and ${unread}`),
        unreadUnassigned: n(sql`${conversations.assigneeId} is null and ${unread}`),
        unreadTeams: n(sql`${myTeams} and ${unread}`),
        unreadAll: n(unread),
      })
      .from(conversations)
      .leftJoin(
        conversationReads,
        and(
          eq(conversationReads.workspaceId, conversations.workspaceId),
          eq(conversationReads.conversationId, conversations.id),
          eq(conversationReads.userId, actor.userId),
        ),
      )
      .where(visible)
      .groupBy(conversations.status),
    tx
      .select({ inboxId: conversations.inboxId, status: conversations.status, n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(visible)
      .groupBy(conversations.inboxId, conversations.status),
    tx.execute(
      sql`select l.name as label, ${conversations.status} as status, count(*)::int as n
          from ${conversations} cross join lateral unnest(${conversations.labels}) as l(name)
          where ${visible} and cardinality(${conversations.labels}) > 0
          group by 1, 2`,
    ),
  ]);

  const out: ViewCounts = {
    views: { mine: zero(), unassigned: zero(), teams: zero(), all: zero() },
    unread: { mine: 0, unassigned: 0, teams: 0, all: 0 },
    inboxes: {},
    labels: {},
  };
  for (const r of byView) {
    if (!isCounted(r.status)) continue;
    out.views.mine[r.status] = Number(r.mine);
    out.views.unassigned[r.status] = Number(r.unassigned);
    out.views.teams[r.status] = Number(r.teams);
    out.views.all[r.status] = Number(r.all);
    out.unread.mine += Number(r.unreadMine);
    out.unread.unassigned += Number(r.unreadUnassigned);
    out.unread.teams += Number(r.unreadTeams);
    out.unread.all += Number(r.unreadAll);
  }
  for (const r of byInbox) if (isCounted(r.status)) (out.inboxes[r.inboxId] ??= zero())[r.status] = Number(r.n);
  for (const r of (byLabel as unknown as { rows: { label: string; status: string; n: number }[] }).rows) {
    if (isCounted(r.status)) (out.labels[r.label] ??= zero())[r.status] = Number(r.n);
  }
  return out;
}
