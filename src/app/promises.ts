import { and, eq, gte, inArray, or, sql } from 'drizzle-orm';
import { contacts, conversationPromises, conversations, inboxes, messages, promiseStats, workspaces } from '../store/schema';
import { computePromise, evaluatePromise, makePromise, proposeNewDeadline, type HandledConversation, type PromiseFigure } from '../domain/handling-promise';
import { newTimeText, promiseText, type Locale } from '../domain/promise-text';
import { AppError, notFound } from '../shared/errors';
import type { Db } from '../store/db';
import type { Deps } from './context';
import { promiseTargetFor } from '../domain/promise-targets';
import { calendarFor, loadCertainty, type CertaintySettings } from './certainty-settings';
import { scopeOf } from './conversations';
import { withOutbox } from './outbox';
import type { Actor } from './context';
import { sendReply } from './send-reply';

/**
 * Handling-time promises in the app: a job computes the percentile figures per inbox and case type from the
 * last 30 days; a conversation records the promise it was given; a watch job moves promises through
 * on_track → at_risk → will_miss → missed/kept and tells the agents' screens.
 */
const DAY = 86_400_000;

/** What to promise without enough history: the admin's target for this inbox/case type, else the default. */
const defaultsOf = (s: CertaintySettings, inboxId: string, labels: readonly string[]) => promiseTargetFor(s.promiseTargets, s.promiseDefaults, inboxId, labels);

export async function computePromiseStats(deps: Deps, workspaceId: string): Promise<number> {
  const now = deps.runtime.now();
  const { settings } = await loadCertainty(deps.store.db, deps, workspaceId);
  const rows = await deps.store.db
    .select({ inboxId: conversations.inboxId, labels: conversations.labels, createdAt: conversations.createdAt, firstResponseAt: conversations.firstResponseAt, resolvedAt: conversations.resolvedAt })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), gte(conversations.createdAt, new Date(now.getTime() - 30 * DAY))));
  const history: HandledConversation[] = rows;
  const targets = new Map<string, { inboxId: string; label: string }>();
  for (const r of rows) {
    targets.set(`${r.inboxId}:`, { inboxId: r.inboxId, label: '' });
    for (const l of r.labels) targets.set(`${r.inboxId}:${l}`, { inboxId: r.inboxId, label: l });
  }
  const values = [...targets.values()].map((t) => {
    const fig = computePromise(calendarFor(settings, t.inboxId), history, { inboxId: t.inboxId, label: t.label || null }, now, defaultsOf(settings, t.inboxId, t.label ? [t.label] : []));
    return { workspaceId, inboxId: t.inboxId, label: t.label, ...fig, computedAt: now };
  });
  await deps.store.transaction(async (tx) => {
    await tx.delete(promiseStats).where(eq(promiseStats.workspaceId, workspaceId));
    for (let i = 0; i < values.length; i += 500) await tx.insert(promiseStats).values(values.slice(i, i + 500));
  });
  return values.length;
}

export async function computeAllPromiseStats(deps: Deps): Promise<void> {
  const all = await deps.store.db.select({ id: workspaces.id }).from(workspaces);
  for (const w of all) await computePromiseStats(deps, w.id);
}

/** The figure for an inbox and case type: the job's row for the label, else the inbox's, else the defaults. */
export async function promiseFigure(db: Db, settings: CertaintySettings, workspaceId: string, inboxId: string, labels: string[]): Promise<PromiseFigure> {
  const rows = await db
    .select()
    .from(promiseStats)
    .where(and(eq(promiseStats.workspaceId, workspaceId), eq(promiseStats.inboxId, inboxId), inArray(promiseStats.label, ['', ...labels])));
  // The slowest case type the conversation has decides: promising the faster one would be breaking it.
  const byLabel = rows.filter((r) => r.label && r.basis === 'label').sort((a, b) => b.firstResponseMs - a.firstResponseMs)[0];
  const row = byLabel ?? rows.find((r) => r.label === '');
  if (row) return { firstResponseMs: row.firstResponseMs, resolutionMs: row.resolutionMs, sampleSize: row.sampleSize, basis: row.basis };
  return { ...defaultsOf(settings, inboxId, labels), sampleSize: 0, basis: 'default' };
}

/**
 * Records the promise made on a conversation (once; a second call returns the first) and returns its text,
 * which a channel's acknowledgement, the widget or the IVR can use.
 */
export async function recordPromise(deps: Deps, workspaceId: string, conversationId: string, opts: { locale?: Locale; statusUrl?: string | null } = {}) {
  return withOutbox(deps, workspaceId, async (tx, out) => {
    const [c] = await tx
      .select({ conversation: conversations, contactName: contacts.name, contactAttributes: contacts.attributes, wsLocale: workspaces.locale })
      .from(conversations)
      .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
      .innerJoin(workspaces, eq(workspaces.id, conversations.workspaceId))
      .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)));
    if (!c) throw notFound('conversation');
    const [existing] = await tx.select().from(conversationPromises).where(and(eq(conversationPromises.workspaceId, workspaceId), eq(conversationPromises.conversationId, conversationId)));
    if (existing) return promiseDto(existing);
    const { settings } = await loadCertainty(tx, deps, workspaceId);
    const cal = calendarFor(settings, c.conversation.inboxId);
    const figure = await promiseFigure(tx, settings, workspaceId, c.conversation.inboxId, c.conversation.labels);
    const now = deps.runtime.now();
    const made = makePromise(cal, figure, now);
    const locale: Locale = opts.locale ?? (c.contactAttributes.locale === 'en' ? 'en' : c.contactAttributes.locale === 'nl' ? 'nl' : c.wsLocale === 'en' ? 'en' : 'nl');
    const label = c.conversation.labels.find((l) => settings.caseTypeNotes[l]) ?? null;
    const text = promiseText({ locale, timeZone: cal.timeZone, now, firstResponseDueAt: made.firstResponseDueAt, customerName: c.contactName, label, notes: settings.caseTypeNotes, statusUrl: opts.statusUrl ?? null });
    const [row] = await tx
      .insert(conversationPromises)
      .values({
        workspaceId,
        conversationId,
        inboxId: c.conversation.inboxId,
        label,
        madeAt: now,
        firstResponseDueAt: made.firstResponseDueAt,
        resolutionDueAt: made.resolutionDueAt,
        basis: figure.basis,
        sampleSize: figure.sampleSize,
        text,
        locale,
        state: c.conversation.firstResponseAt ? 'kept' : 'on_track',
        stateChangedAt: now,
        createdAt: now,
      })
      .returning();
    out.event('promise.changed', scopeOf(c.conversation), { conversationId, promise: promiseDto(row!) });
    return promiseDto(row!);
  });
}

export type PromiseRow = typeof conversationPromises.$inferSelect;
export function promiseDto(r: PromiseRow) {
  return {
    conversationId: r.conversationId,
    madeAt: r.madeAt.toISOString(),
    firstResponseDueAt: r.firstResponseDueAt.toISOString(),
    resolutionDueAt: r.resolutionDueAt.toISOString(),
    basis: r.basis,
    sampleSize: r.sampleSize,
    text: r.text,
    locale: r.locale,
    state: r.state,
    revisions: r.revisions,
    revisedAt: r.revisedAt?.toISOString() ?? null,
    history: r.history,
  };
}

/**
 * When the promise was answered. The first promise is kept by the conversation's first human response; a revised
 * one by the first agent message after the revision that is not the revision itself (telling the customer a new
 * time is not an answer).
 */
const answeredAfterRevision = sql<Date | null>`(select min(m.created_at) from messages m
  where m.workspace_id = ${conversationPromises.workspaceId} and m.conversation_id = ${conversationPromises.conversationId}
    and m.kind = 'message' and m.direction = 'outbound' and m.sender_type = 'user'
    and m.created_at > ${conversationPromises.revisedAt} and not (m.content_attributes ? 'promiseRevision'))`.mapWith((v: unknown) => (v ? new Date(v as string) : null));
const answeredAt = (p: PromiseRow, firstResponseAt: Date | null, afterRevision: Date | null) => (p.revisedAt ? afterRevision : firstResponseAt);

/** Moves open promises to their current state; each change is one realtime event for the agents. */
export async function watchPromises(deps: Deps, limit = 2000): Promise<number> {
  const now = deps.runtime.now();
  const rows = await deps.store.db
    .select({ promise: conversationPromises, conversation: conversations, afterRevision: answeredAfterRevision })
    .from(conversationPromises)
    .innerJoin(conversations, and(eq(conversations.workspaceId, conversationPromises.workspaceId), eq(conversations.id, conversationPromises.conversationId)))
    .where(sql`${conversationPromises.state} in ('on_track', 'at_risk', 'will_miss')`)
    .limit(limit);
  const settingsCache = new Map<string, CertaintySettings>();
  let changed = 0;
  for (const { promise, conversation, afterRevision } of rows) {
    let settings = settingsCache.get(promise.workspaceId);
    if (!settings) {
      settings = (await loadCertainty(deps.store.db, deps, promise.workspaceId)).settings;
      settingsCache.set(promise.workspaceId, settings);
    }
    const ev = evaluatePromise(calendarFor(settings, promise.inboxId), promise, { firstResponseAt: answeredAt(promise, conversation.firstResponseAt, afterRevision) }, now);
    if (ev.state === promise.state) continue;
    changed++;
    await withOutbox(deps, promise.workspaceId, async (tx, out) => {
      const [row] = await tx
        .update(conversationPromises)
        .set({ state: ev.state, stateChangedAt: now })
        .where(and(eq(conversationPromises.workspaceId, promise.workspaceId), eq(conversationPromises.conversationId, promise.conversationId)))
        .returning();
      out.event('promise.changed', scopeOf(conversation), { conversationId: conversation.id, promise: promiseDto(row!) });
    });
  }
  return changed;
}

/** The promise of a conversation with its live state, and — when it will be missed — a proposed message. */
export async function promiseStatus(deps: Deps, workspaceId: string, conversationId: string) {
  const [row] = await deps.store.db
    .select({ promise: conversationPromises, conversation: conversations, contactName: contacts.name, afterRevision: answeredAfterRevision })
    .from(conversationPromises)
    .innerJoin(conversations, and(eq(conversations.workspaceId, conversationPromises.workspaceId), eq(conversations.id, conversationPromises.conversationId)))
    .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
    .where(and(eq(conversationPromises.workspaceId, workspaceId), eq(conversationPromises.conversationId, conversationId)));
  if (!row) return null;
  const { settings } = await loadCertainty(deps.store.db, deps, workspaceId);
  const cal = calendarFor(settings, row.promise.inboxId);
  const now = deps.runtime.now();
  const responseAt = answeredAt(row.promise, row.conversation.firstResponseAt, row.afterRevision);
  const ev = evaluatePromise(cal, row.promise, { firstResponseAt: responseAt }, now);
  const proposal =
    ev.state === 'will_miss' || (ev.state === 'missed' && !responseAt)
      ? (() => {
          const newDueAt = proposeNewDeadline(cal, row.promise, now);
          return {
            newDueAt: newDueAt.toISOString(),
            text: newTimeText({ locale: row.promise.locale, timeZone: cal.timeZone, now, promisedAt: row.promise.firstResponseDueAt, newDueAt, customerName: row.contactName }),
          };
        })()
      : null;
  return { ...promiseDto(row.promise), state: ev.state, usedShare: ev.usedShare, proposal };
}

/**
 * The first acknowledgement, sent only when no person has answered within a couple of minutes: the personal
 * promise text (with the case-status link) instead of a lazy "we have received your message". It goes through
 * the conversation's own channel like any reply, and does not count as the first human response.
 */
export async function acknowledgeWithPromise(deps: Deps, input: { workspaceId: string; conversationId: string }): Promise<'sent' | 'skipped'> {
  const { settings } = await loadCertainty(deps.store.db, deps, input.workspaceId);
  if (!settings.promiseAcknowledgement) return 'skipped';
  const [c] = await deps.store.db.select().from(conversations).where(and(eq(conversations.workspaceId, input.workspaceId), eq(conversations.id, input.conversationId)));
  if (!c || c.firstResponseAt || c.lastOutboundAt || c.status === 'resolved' || c.status === 'closed') return 'skipped';
  // Only a person gets a promise: answering an out-of-office or list mail is how mail loops start (RFC 3834).
  const [human] = await deps.store.db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.workspaceId, input.workspaceId), eq(messages.conversationId, c.id), eq(messages.direction, 'inbound'), sql`not (${messages.contentAttributes} ? 'automatic')`))
    .limit(1);
  if (!human) return 'skipped';
  // A phone line cannot carry a written acknowledgement; the caller heard the waiting time in the menu.
  const [line] = await deps.store.db.select({ kind: inboxes.kind }).from(inboxes).where(and(eq(inboxes.workspaceId, input.workspaceId), eq(inboxes.id, c.inboxId)));
  if (line?.kind === 'voice') return 'skipped';
  const [existing] = await deps.store.db
    .select({ id: conversationPromises.conversationId })
    .from(conversationPromises)
    .where(and(eq(conversationPromises.workspaceId, input.workspaceId), eq(conversationPromises.conversationId, input.conversationId)));
  if (existing) return 'skipped';
  const { caseStatusUrl } = await import('./case-status');
  const statusUrl = await caseStatusUrl(deps, input.workspaceId, input.conversationId);
  const promise = await recordPromise(deps, input.workspaceId, input.conversationId, { statusUrl });
  await withOutbox(deps, input.workspaceId, async (tx, out) => {
    const now = deps.runtime.now();
    const id = deps.runtime.id();
    await tx.insert(messages).values({
      workspaceId: input.workspaceId,
      id,
      conversationId: c.id,
      inboxId: c.inboxId,
      kind: 'message',
      direction: 'outbound',
      senderType: 'system',
      content: promise.text,
      contentAttributes: { promise: { firstResponseDueAt: promise.firstResponseDueAt } },
      status: 'queued',
      createdAt: now,
      updatedAt: now,
    });
    const [after] = await tx
      .update(conversations)
      .set({ messageCount: sql`${conversations.messageCount} + 1`, lastOutboundAt: now, lastMessageAt: now, preview: promise.text.slice(0, 200) })
      .where(and(eq(conversations.workspaceId, input.workspaceId), eq(conversations.id, c.id)))
      .returning();
    out.event('conversation.updated', scopeOf(after!), { conversationId: c.id, changes: ['promise'] });
    out.job('send-outbound', { workspaceId: input.workspaceId, messageId: id }, { singletonKey: `send:${id}` });
  });
  return 'sent';
}

/** How long a person has to answer before the promise acknowledgement goes out. */
export const ACK_DELAY_MS = 2 * 60_000;

/**
 * The agent sends the proposed "new realistic time" message: it goes out as their reply, and the conversation's
 * promise becomes the new time, with the old one kept in the promise history (and counted as missed in reports).
 */
export async function revisePromise(deps: Deps, actor: Actor, conversationId: string, input: { content?: string | undefined } = {}) {
  const status = await promiseStatus(deps, actor.workspaceId, conversationId);
  if (!status?.proposal) throw new AppError('conflict', 'promise_not_at_risk', 'This promise is not going to be missed; there is no new time to send.');
  const newDueAt = new Date(status.proposal.newDueAt);
  const content = input.content?.trim() || status.proposal.text;
  const message = await sendReply(deps, actor, conversationId, { kind: 'message', content, contentAttributes: { promiseRevision: { newDueAt: status.proposal.newDueAt, previousDueAt: status.firstResponseDueAt } } });
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const now = deps.runtime.now();
    const [current] = await tx
      .select()
      .from(conversationPromises)
      .where(and(eq(conversationPromises.workspaceId, actor.workspaceId), eq(conversationPromises.conversationId, conversationId)))
      .for('update');
    if (!current) throw notFound('promise');
    const entry = {
      madeAt: current.madeAt.toISOString(),
      dueAt: current.firstResponseDueAt.toISOString(),
      text: current.text,
      state: status.state,
      revisedAt: now.toISOString(),
      newDueAt: newDueAt.toISOString(),
      messageId: message.id,
      revisedBy: actor.userId ?? null,
    };
    const [row] = await tx
      .update(conversationPromises)
      .set({
        history: [...current.history, entry],
        madeAt: now,
        firstResponseDueAt: newDueAt,
        resolutionDueAt: newDueAt > current.resolutionDueAt ? newDueAt : current.resolutionDueAt,
        text: content,
        revisions: current.revisions + 1,
        revisedAt: now,
        state: 'on_track',
        stateChangedAt: now,
      })
      .where(and(eq(conversationPromises.workspaceId, actor.workspaceId), eq(conversationPromises.conversationId, conversationId)))
      .returning();
    const [conv] = await tx.select().from(conversations).where(and(eq(conversations.workspaceId, actor.workspaceId), eq(conversations.id, conversationId)));
    out.event('promise.changed', scopeOf(conv!), { conversationId, promise: promiseDto(row!) });
    return { promise: promiseDto(row!), messageId: message.id };
  });
}

/**
 * Promises kept and missed per day (the day a promise was decided, in the workspace's time zone) over the last
 * `days` days; a promise replaced by a new time counts as revised on the day it was replaced.
 */
export async function promiseOutcomes(deps: Deps, workspaceId: string, days: number) {
  const now = deps.runtime.now();
  const since = new Date(now.getTime() - days * DAY);
  const { settings } = await loadCertainty(deps.store.db, deps, workspaceId);
  const timeZone = (settings.defaultCalendar as { timeZone?: string } | undefined)?.timeZone ?? 'Europe/Amsterdam';
  const rows = await deps.store.db
    .select({ state: conversationPromises.state, stateChangedAt: conversationPromises.stateChangedAt, history: conversationPromises.history })
    .from(conversationPromises)
    .where(and(eq(conversationPromises.workspaceId, workspaceId), or(gte(conversationPromises.stateChangedAt, since), sql`${conversationPromises.revisions} > 0`)));
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const byDay = new Map<string, { date: string; kept: number; missed: number; revised: number }>();
  for (let t = now.getTime() - (days - 1) * DAY; t <= now.getTime(); t += DAY) {
    const date = dayOf.format(new Date(t));
    byDay.set(date, { date, kept: 0, missed: 0, revised: 0 });
  }
  for (const r of rows) {
    if ((r.state === 'kept' || r.state === 'missed') && r.stateChangedAt >= since) {
      const d = byDay.get(dayOf.format(r.stateChangedAt));
      if (d) d[r.state]++;
    }
    for (const h of r.history) {
      const at = new Date(h.revisedAt);
      if (at < since) continue;
      const d = byDay.get(dayOf.format(at));
      if (d) d.revised++;
    }
  }
  const items = [...byDay.values()];
  const total = items.reduce((a, d) => ({ kept: a.kept + d.kept, missed: a.missed + d.missed, revised: a.revised + d.revised }), { kept: 0, missed: 0, revised: 0 });
  return { timeZone, items, total };
}
