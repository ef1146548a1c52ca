import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { apiTokens, conversations, labels, memberships, teamMembers, teams, users, webhookDeliveries, webhooks, workspaces } from '../store/schema';
import { isOnline } from '../domain/assignment';
import { conflict, forbidden, invalid } from '../shared/errors';
import { processesOnly, webhookEventTypes } from '../shared/events';
import { isAdmin, type Actor, type Deps } from './context';
import { iso } from './dto';
import { withOutbox } from './outbox';
import { audit } from './audit';
import { createApiToken } from './auth';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from './cursor';
import { readWorkspaceSettings, workspaceSettingsSchema } from './workspace-settings';

const isUniqueViolation = (err: unknown) => /duplicate key|unique constraint/i.test(`${(err as Error).message} ${(err as { cause?: Error }).cause?.message ?? ''}`);

async function checkMembers(tx: Db, workspaceId: string, ids: string[] | undefined, field: string) {
  if (!ids?.length) return;
  const unique = [...new Set(ids)];
  const found = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, unique)));
  if (found.length !== unique.length) throw invalid(field, 'contains someone who is not a member of this workspace', 'unknown_member');
}

// ---------- members ----------

export async function listMembers(deps: Deps, workspaceId: string) {
  const rows = await deps.store.db
    .select({ user: users, membership: memberships })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name));
  const now = deps.runtime.now();
  return rows.map(({ user, membership }) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    role: membership.role,
    availability: membership.availability,
    online: isOnline(membership.availability, membership.lastSeenAt, now),
    capacity: membership.capacity,
    locale: user.locale,
    createdAt: iso(membership.createdAt)!,
  }));
}

export async function updateMember(
  deps: Deps,
  actor: Actor,
  userId: string,
  input: { role?: 'owner' | 'admin' | 'agent'; capacity?: number | null; availability?: 'online' | 'busy' | 'offline' },
  ip?: string,
) {
  await withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const [current] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)))
      .for('update');
    if (!current) throw invalid('userId', 'is not a member', 'unknown_member');
    if (input.role && input.role !== current.role) {
      // Only owners make or unmake owners, and a workspace always keeps one.
      if ((input.role === 'owner' || current.role === 'owner') && actor.role !== 'owner') throw forbidden('Only an owner can change owners.');
      if (current.role === 'owner') {
        const [{ n }] = (await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(memberships)
          .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.role, 'owner')))) as [{ n: number }];
        if (n <= 1) throw conflict('last_owner', 'A workspace needs at least one owner.');
      }
      await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'member.role_changed', targetType: 'user', targetId: userId, ip, data: { from: current.role, to: input.role } });
    }
    await tx
      .update(memberships)
      .set({
        ...(input.role ? { role: input.role } : {}),
        ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
        ...(input.availability ? { availability: input.availability } : {}),
      })
      .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
    out.event('access.changed', {}, { userId });
  });
}

export async function removeMember(deps: Deps, actor: Actor, userId: string, ip?: string) {
  await withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const [current] = await tx.select().from(memberships).where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
    if (!current) throw invalid('userId', 'is not a member', 'unknown_member');
    if (current.role === 'owner' && actor.role !== 'owner') throw forbidden('Only an owner can remove an owner.');
    if (current.role === 'owner') {
      const [{ n }] = (await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(memberships)
        .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.role, 'owner')))) as [{ n: number }];
      if (n <= 1) throw conflict('last_owner', 'A workspace needs at least one owner.');
    }
    // Their open work goes back to the queue rather than staying with someone who left.
    await tx
      .update(conversations)
      .set({ assigneeId: null })
      .where(and(eq(conversations.workspaceId, actor.workspaceId), eq(conversations.assigneeId, userId)));
    await tx.delete(apiTokens).where(and(eq(apiTokens.workspaceId, actor.workspaceId), eq(apiTokens.userId, userId)));
    await tx.delete(memberships).where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, userId)));
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'member.removed', targetType: 'user', targetId: userId, ip, data: { role: current.role } });
    out.event('access.changed', {}, { userId });
  });
}

// ---------- teams ----------

async function teamView(tx: Db, row: typeof teams.$inferSelect) {
  const members = await tx
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.workspaceId, row.workspaceId), eq(teamMembers.teamId, row.id)));
  return { id: row.id, name: row.name, description: row.description, autoAssign: row.autoAssign, memberIds: members.map((m) => m.userId), createdAt: iso(row.createdAt)! };
}

export async function listTeams(deps: Deps, workspaceId: string) {
  const rows = await deps.store.db.select().from(teams).where(eq(teams.workspaceId, workspaceId)).orderBy(asc(teams.name));
  return Promise.all(rows.map((r) => teamView(deps.store.db, r)));
}

export async function saveTeam(
  deps: Deps,
  actor: Actor,
  teamId: string | null,
  input: { name?: string; description?: string; autoAssign?: boolean; memberIds?: string[] },
) {
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    await checkMembers(tx, actor.workspaceId, input.memberIds, 'memberIds');
    let row: typeof teams.$inferSelect | undefined;
    try {
      if (teamId) {
        [row] = await tx
          .update(teams)
          .set({
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.autoAssign !== undefined ? { autoAssign: input.autoAssign } : {}),
            updatedAt: deps.runtime.now(),
          })
          .where(and(eq(teams.workspaceId, actor.workspaceId), eq(teams.id, teamId)))
          .returning();
      } else {
        [row] = await tx
          .insert(teams)
          .values({ workspaceId: actor.workspaceId, id: deps.runtime.id(), name: input.name!, description: input.description ?? '', autoAssign: input.autoAssign ?? false })
          .returning();
      }
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('team_name_taken', `A team named "${input.name}" already exists.`);
      throw err;
    }
    if (input.memberIds) {
      await tx.delete(teamMembers).where(and(eq(teamMembers.workspaceId, actor.workspaceId), eq(teamMembers.teamId, row!.id)));
      const ids = [...new Set(input.memberIds)];
      if (ids.length) await tx.insert(teamMembers).values(ids.map((userId) => ({ workspaceId: actor.workspaceId, teamId: row!.id, userId })));
    }
    out.event('access.changed', {}, { teamId: row!.id });
    return teamView(tx, row!);
  });
}

export async function deleteTeam(deps: Deps, actor: Actor, teamId: string) {
  await withOutbox(deps, actor.workspaceId, async (tx, out) => {
    await tx.update(conversations).set({ teamId: null }).where(and(eq(conversations.workspaceId, actor.workspaceId), eq(conversations.teamId, teamId)));
    await tx.delete(teams).where(and(eq(teams.workspaceId, actor.workspaceId), eq(teams.id, teamId)));
    out.event('access.changed', {}, { teamId });
  });
}

// ---------- labels ----------

const labelView = (r: typeof labels.$inferSelect) => ({ id: r.id, name: r.name, color: r.color, description: r.description, createdAt: iso(r.createdAt)! });

export async function listLabels(deps: Deps, workspaceId: string) {
  return (await deps.store.db.select().from(labels).where(eq(labels.workspaceId, workspaceId)).orderBy(asc(labels.name))).map(labelView);
}

export async function saveLabel(deps: Deps, actor: Actor, labelId: string | null, input: { name?: string; color?: string; description?: string }) {
  return deps.store.transaction(async (tx) => {
    try {
      if (!labelId) {
        const [row] = await tx
          .insert(labels)
          .values({ workspaceId: actor.workspaceId, id: deps.runtime.id(), name: input.name!, color: input.color ?? '#64748b', description: input.description ?? '' })
          .returning();
        return labelView(row!);
      }
      const [before] = await tx.select().from(labels).where(and(eq(labels.workspaceId, actor.workspaceId), eq(labels.id, labelId)));
      const [row] = await tx
        .update(labels)
        .set({ ...(input.name ? { name: input.name } : {}), ...(input.color ? { color: input.color } : {}), ...(input.description !== undefined ? { description: input.description } : {}) })
        .where(and(eq(labels.workspaceId, actor.workspaceId), eq(labels.id, labelId)))
        .returning();
      // Conversations carry label names; a rename is applied to them in the same transaction.
      if (input.name && before && before.name !== input.name) {
        await tx.execute(
          sql`update conversations set labels = array_replace(labels, ${before.name}, ${input.name}) where workspace_id = ${actor.workspaceId} and labels @> array[${before.name}]::text[]`,
        );
      }
      return labelView(row!);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('label_name_taken', `A label named "${input.name}" already exists.`);
      throw err;
    }
  });
}

export async function deleteLabel(deps: Deps, actor: Actor, label: typeof labels.$inferSelect) {
  await deps.store.transaction(async (tx) => {
    await tx.execute(
      sql`update conversations set labels = array_remove(labels, ${label.name}) where workspace_id = ${actor.workspaceId} and labels @> array[${label.name}]::text[]`,
    );
    await tx.delete(labels).where(and(eq(labels.workspaceId, actor.workspaceId), eq(labels.id, label.id)));
  });
}

// ---------- webhooks ----------

const webhookView = (r: typeof webhooks.$inferSelect) => ({ id: r.id, url: r.url, description: r.description, events: r.events, active: r.active, createdAt: iso(r.createdAt)! });

function checkEvents(events: string[] | undefined) {
  const unknown = (events ?? []).filter((e) => !(webhookEventTypes as readonly string[]).includes(e));
  if (unknown.length) throw invalid('events', `unknown event type(s): ${unknown.join(', ')}; known: ${webhookEventTypes.join(', ')}`, 'unknown_event');
}

export async function listWebhooks(deps: Deps, workspaceId: string) {
  return (await deps.store.db.select().from(webhooks).where(eq(webhooks.workspaceId, workspaceId)).orderBy(asc(webhooks.createdAt))).map(webhookView);
}

export async function createWebhook(deps: Deps, actor: Actor, input: { url: string; description?: string; events: string[]; secret?: string; active?: boolean }) {
  checkEvents(input.events);
  const secret = input.secret ?? crypto.randomBytes(24).toString('base64url');
  const row = await withOutbox(deps, actor.workspaceId, async (tx, out) => {
    out.event('webhooks.changed', processesOnly, {});
    const [r] = await tx
      .insert(webhooks)
      .values({
        workspaceId: actor.workspaceId,
        id: deps.runtime.id(),
        url: input.url,
        description: input.description ?? '',
        events: [...new Set(input.events)],
        secret: deps.secrets.seal(secret),
        active: input.active ?? true,
      })
      .returning();
    return r;
  });
  // Shown once, like a token: the receiver needs it to check X-Balie-Signature.
  return { ...webhookView(row!), secret };
}

export async function updateWebhook(deps: Deps, actor: Actor, id: string, input: { url?: string; description?: string; events?: string[]; secret?: string; active?: boolean }) {
  checkEvents(input.events);
  const row = await withOutbox(deps, actor.workspaceId, async (tx, out) => {
    out.event('webhooks.changed', processesOnly, {});
    const [r] = await tx
      .update(webhooks)
      .set({
        ...(input.url ? { url: input.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.events ? { events: [...new Set(input.events)] } : {}),
        ...(input.secret ? { secret: deps.secrets.seal(input.secret) } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updatedAt: deps.runtime.now(),
      })
      .where(and(eq(webhooks.workspaceId, actor.workspaceId), eq(webhooks.id, id)))
      .returning();
    return r;
  });
  return webhookView(row!);
}

export async function deleteWebhook(deps: Deps, actor: Actor, id: string) {
  await withOutbox(deps, actor.workspaceId, async (tx, out) => {
    out.event('webhooks.changed', processesOnly, {});
    await tx.delete(webhooks).where(and(eq(webhooks.workspaceId, actor.workspaceId), eq(webhooks.id, id)));
  });
}

export async function listDeliveries(deps: Deps, actor: Actor, webhookId: string, opts: { limit: number; cursor?: string }) {
  const c = opts.cursor ? decodeCursor(opts.cursor, ['k', 'i']) : null;
  const rows = await deps.store.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.workspaceId, actor.workspaceId),
        eq(webhookDeliveries.webhookId, webhookId),
        c ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${cursorDate(c.k)}, ${cursorUuid(c.i)})` : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((d) => ({
      id: d.id,
      webhookId: d.webhookId,
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      responseStatus: d.responseStatus,
      responseSnippet: d.responseSnippet,
      error: d.error,
      durationMs: d.durationMs,
      createdAt: iso(d.createdAt)!,
      lastAttemptAt: iso(d.lastAttemptAt),
      deliveredAt: iso(d.deliveredAt),
    })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor({ k: last.createdAt.toISOString(), i: last.id }) : null,
  };
}

// ---------- tokens ----------

const tokenView = (t: typeof apiTokens.$inferSelect) => ({
  id: t.id,
  name: t.name,
  userId: t.userId,
  tokenPrefix: t.tokenPrefix,
  createdAt: iso(t.createdAt)!,
  lastUsedAt: iso(t.lastUsedAt),
  expiresAt: iso(t.expiresAt),
  revokedAt: iso(t.revokedAt),
});

export async function listTokens(deps: Deps, actor: Actor) {
  const rows = await deps.store.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, actor.workspaceId), isAdmin(actor) ? undefined : eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map(tokenView);
}

export async function issueToken(deps: Deps, actor: Actor, input: { name: string; expiresAt?: string }, ip?: string) {
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= deps.runtime.now()) throw invalid('expiresAt', 'must be in the future');
  return deps.store.transaction(async (tx) => {
    const { token, row } = await createApiToken(tx, deps, { workspaceId: actor.workspaceId, userId: actor.userId, name: input.name, expiresAt });
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'token.created', targetType: 'token', targetId: row.id, ip });
    return { ...tokenView(row), token };
  });
}

export async function revokeToken(deps: Deps, actor: Actor, tokenId: string, ip?: string) {
  await deps.store.transaction(async (tx) => {
    await tx
      .update(apiTokens)
      .set({ revokedAt: deps.runtime.now() })
      .where(and(eq(apiTokens.workspaceId, actor.workspaceId), eq(apiTokens.id, tokenId)));
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'token.revoked', targetType: 'token', targetId: tokenId, ip });
  });
}

// ---------- workspace ----------

export function workspaceView(w: typeof workspaces.$inferSelect) {
  return { id: w.id, name: w.name, locale: w.locale, timeZone: w.timeZone, settings: { ...readWorkspaceSettings(w.settings), ...w.settings }, createdAt: iso(w.createdAt)! };
}

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function updateWorkspace(deps: Deps, actor: Actor, input: { name?: string; locale?: 'nl' | 'en'; timeZone?: string; settings?: Record<string, unknown> }) {
  if (input.timeZone && !validTimeZone(input.timeZone)) throw invalid('timeZone', 'is not a known IANA time zone');
  const [current] = await deps.store.db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId));
  const settings = input.settings ? { ...current!.settings, ...input.settings } : current!.settings;
  const check = workspaceSettingsSchema.safeParse(settings);
  if (!check.success) throw invalid(`settings.${String(check.error.issues[0]!.path.join('.'))}`, check.error.issues[0]!.message);
  const [row] = await deps.store.db
    .update(workspaces)
    .set({
      ...(input.name ? { name: input.name } : {}),
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      settings,
      updatedAt: deps.runtime.now(),
    })
    .where(eq(workspaces.id, actor.workspaceId))
    .returning();
  return workspaceView(row!);
}

