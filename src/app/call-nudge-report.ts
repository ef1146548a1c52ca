import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { callNudges, conversations, messages } from '../store/schema';
import type { Actor, Deps } from './context';
import type { SuggestionAction } from './call-suggestion';

/**
 * Does the "call this customer" nudge work? Every nudge shown in the period is a case; it was followed when a
 * click-to-call from the nudge or a callback offer came after it (a follow-up without a recorded nudge, e.g. from
 * before nudges were recorded, is a followed case of its own). Per case, from the follow-up (or the nudge when
 * not followed): was the conversation resolved afterwards, and did the customer write again within 7 days?
 * Followed and not followed side by side is the effect.
 */
const WEEK_MS = 7 * 86_400_000;
const MAX_CASES = 20_000;

interface Case {
  conversationId: string;
  at: Date;
  action: SuggestionAction | null;
}

export interface NudgeGroup {
  cases: number;
  resolvedAfter: number;
  withFurtherContacts: number;
  furtherContacts: number;
  /** Cases whose 7 days have passed: the further-contact figures are final for these. */
  complete: number;
}

const emptyGroup = (): NudgeGroup => ({ cases: 0, resolvedAfter: 0, withFurtherContacts: 0, furtherContacts: 0, complete: 0 });

export async function callNudgeReport(deps: Deps, actor: Actor, q: { days: number }) {
  const db = deps.store.db;
  const ws = actor.workspaceId;
  const now = deps.runtime.now();
  const since = new Date(now.getTime() - q.days * 86_400_000);
  const nudges = await db
    .select({ conversationId: callNudges.conversationId, shownAt: callNudges.shownAt })
    .from(callNudges)
    .where(and(eq(callNudges.workspaceId, ws), gte(callNudges.shownAt, since)))
    .limit(MAX_CASES);
  const follows = await db
    .select({ conversationId: messages.conversationId, at: messages.createdAt, action: sql<SuggestionAction>`${messages.contentAttributes}->'pingPong'->>'action'` })
    .from(messages)
    .where(and(eq(messages.workspaceId, ws), sql`${messages.contentAttributes} ? 'pingPong'`, gte(messages.createdAt, since)))
    .orderBy(messages.createdAt)
    .limit(MAX_CASES);

  const cases: Case[] = [];
  const used = new Set<(typeof follows)[number]>();
  for (const n of nudges) {
    const f = follows.find((x) => x.conversationId === n.conversationId && x.at >= n.shownAt && !used.has(x));
    if (f) used.add(f);
    cases.push({ conversationId: n.conversationId, at: f?.at ?? n.shownAt, action: f?.action ?? null });
  }
  for (const f of follows) if (!used.has(f)) cases.push({ conversationId: f.conversationId, at: f.at, action: f.action });

  const ids = [...new Set(cases.map((c) => c.conversationId))];
  const convs = ids.length
    ? await db
        .select({ id: conversations.id, contactId: conversations.contactId, resolvedAt: conversations.resolvedAt })
        .from(conversations)
        .where(and(eq(conversations.workspaceId, ws), inArray(conversations.id, ids)))
    : [];
  const byId = new Map(convs.map((c) => [c.id, c]));
  const contactIds = [...new Set(convs.map((c) => c.contactId))];
  const earliest = cases.reduce((m, c) => Math.min(m, c.at.getTime()), Infinity);
  const inbound = contactIds.length
    ? await db
        .select({ contactId: conversations.contactId, at: messages.createdAt })
        .from(messages)
        .innerJoin(conversations, and(eq(conversations.workspaceId, messages.workspaceId), eq(conversations.id, messages.conversationId)))
        .where(
          and(
            eq(messages.workspaceId, ws),
            inArray(conversations.contactId, contactIds),
            eq(messages.direction, 'inbound'),
            eq(messages.kind, 'message'),
            gte(messages.createdAt, new Date(earliest)),
            lt(messages.createdAt, new Date(Math.min(now.getTime(), earliest + q.days * 86_400_000 + WEEK_MS) + 1)),
          ),
        )
    : [];

  const followed = emptyGroup();
  const notFollowed = emptyGroup();
  const byAction: Record<SuggestionAction, number> = { called: 0, callback_offered: 0 };
  for (const c of cases) {
    const conv = byId.get(c.conversationId);
    if (!conv) continue;
    const g = c.action ? followed : notFollowed;
    if (c.action && c.action in byAction) byAction[c.action]++;
    const until = c.at.getTime() + WEEK_MS;
    const again = inbound.filter((m) => m.contactId === conv.contactId && m.at.getTime() > c.at.getTime() && m.at.getTime() <= until).length;
    g.cases++;
    if (conv.resolvedAt && conv.resolvedAt > c.at) g.resolvedAfter++;
    if (again > 0) g.withFurtherContacts++;
    g.furtherContacts += again;
    if (now.getTime() >= until) g.complete++;
  }
  return { days: q.days, since: since.toISOString(), followed: { ...followed, byAction }, notFollowed };
}
