import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../store/db';
import { inboxes, inboxMembers, memberships, teams } from '../store/schema';
import { channelAdapter } from '../channels/registry';
import { generateWebhookSecret } from '../channels/api/adapter';
import { AppError, conflict, fieldIssuesOf, invalid, notFound, type FieldIssue } from '../shared/errors';
import type { InboxDto } from '../shared/api';
import { isAdmin, type Actor, type Deps } from './context';
import { iso, type InboxRow } from './dto';
import { withOutbox } from './outbox';
import { checkInboxConnection, type ConnectionCheck } from './channel-actions';
import { forgetWebhookInbox } from './receive-webhook';
import { checkMailHost, MailHostBlockedError } from '../channels/email/host-guard';

export interface InboxInput {
  name?: string;
  kind?: InboxRow['kind'];
  settings?: Record<string, unknown>;
  teamId?: string | null;
  autoAssign?: boolean;
  memberIds?: string[];
}

function adapterFor(kind: string) {
  const adapter = channelAdapter(kind);
  if (!adapter) {
    throw new AppError('validation', 'channel_not_available', `Channel "${kind}" is not available in this Balie version.`, {
      fields: [{ path: 'kind', message: 'is not available' }],
    });
  }
  return adapter;
}

function secretKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function issues(err: z.ZodError, prefix: string): FieldIssue[] {
  return fieldIssuesOf(err.issues, prefix);
}

/**
 * Splits the single `settings` object of the API into public settings and secrets (by the adapter's secret
 * schema), validates both, and merges them with what is stored (an update sends only what changes; `null`
 * clears a secret).
 */
function splitSettings(
  deps: Deps,
  kind: string,
  input: Record<string, unknown>,
  current: { settings: Record<string, unknown>; secrets: Record<string, unknown> },
) {
  const adapter = adapterFor(kind);
  const keys = secretKeys(adapter.secretsSchema);
  const publicPart: Record<string, unknown> = { ...current.settings };
  const secretPart: Record<string, unknown> = { ...current.secrets };
  for (const [k, v] of Object.entries(input)) {
    const target = keys.includes(k) ? secretPart : publicPart;
    if (v === null) delete target[k];
    else target[k] = v;
  }
  const s = adapter.settingsSchema.safeParse(publicPart);
  const k = adapter.secretsSchema.safeParse(secretPart);
  const fields = [...(s.success ? [] : issues(s.error, 'settings')), ...(k.success ? [] : issues(k.error, 'settings'))];
  if (fields.length) throw new AppError('validation', 'invalid_settings', `Invalid settings: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`, { fields });
  return { settings: s.data as Record<string, unknown>, secrets: k.data as Record<string, unknown> };
}

/**
 * Admin-entered SMTP/IMAP servers must not point into the server's own network (unless the operator allows it):
 * refused when saved, with the reason on the field. Connections check again (see host-guard).
 */
async function checkMailHosts(deps: Deps, kind: string, input: Record<string, unknown> | undefined) {
  if (kind !== 'email' || !input || deps.config.BALIE_ALLOW_PRIVATE_MAIL_HOSTS) return;
  for (const [field, role] of [['smtpHost', 'SMTP'], ['imapHost', 'IMAP']] as const) {
    const host = input[field];
    if (typeof host !== 'string' || !host.trim()) continue;
    try {
      await checkMailHost(host.trim(), role, false);
    } catch (err) {
      if (err instanceof MailHostBlockedError) throw invalid(`settings.${field}`, err.message, 'mail_host_blocked');
      throw invalid(`settings.${field}`, `The ${role} server ${host.trim()} could not be found (DNS).`, 'mail_host_not_found');
    }
  }
}

export function readSecrets(deps: Pick<Deps, 'secrets'>, row: Pick<InboxRow, 'secrets'>): Record<string, unknown> {
  return row.secrets ? (JSON.parse(deps.secrets.open(row.secrets)) as Record<string, unknown>) : {};
}

export function inboxWebhookUrl(deps: Pick<Deps, 'config'>, row: Pick<InboxRow, 'kind' | 'id'>): string | null {
  const adapter = channelAdapter(row.kind);
  return adapter?.receivesWebhooks ? `${deps.config.publicUrl}/webhooks/${row.kind}/${row.id}` : null;
}

export async function inboxViews(tx: Db, deps: Pick<Deps, 'config' | 'secrets'>, rows: InboxRow[]): Promise<InboxDto[]> {
  if (rows.length === 0) return [];
  const members = await tx
    .select({ inboxId: inboxMembers.inboxId, userId: inboxMembers.userId })
    .from(inboxMembers)
    .where(and(eq(inboxMembers.workspaceId, rows[0]!.workspaceId), inArray(inboxMembers.inboxId, rows.map((r) => r.id))));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    settings: row.settings,
    secretsSet: Object.keys(readSecrets(deps, row)).sort(),
    teamId: row.teamId,
    autoAssign: row.autoAssign,
    memberIds: members.filter((m) => m.inboxId === row.id).map((m) => m.userId),
    webhookUrl: inboxWebhookUrl(deps, row),
    createdAt: iso(row.createdAt)!,
  }));
}

export async function listInboxes(tx: Db, deps: Deps, workspaceId: string, onlyIds?: string[]): Promise<InboxDto[]> {
  const rows = await tx
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), isNull(inboxes.archivedAt), onlyIds ? inArray(inboxes.id, onlyIds.length ? onlyIds : ['00000000-0000-0000-0000-000000000000']) : undefined))
    .orderBy(asc(inboxes.name));
  return inboxViews(tx, deps, rows);
}

/** The inboxes an actor may work in: every inbox for admins, the ones they were given access to for agents. */
export async function listVisibleInboxes(deps: Deps, actor: Actor): Promise<InboxDto[]> {
  let only: string[] | undefined;
  if (!isAdmin(actor)) {
    only = (await deps.store.db
      .select({ inboxId: inboxMembers.inboxId })
      .from(inboxMembers)
      .where(and(eq(inboxMembers.workspaceId, actor.workspaceId), eq(inboxMembers.userId, actor.userId)))).map((r) => r.inboxId);
  }
  return listInboxes(deps.store.db, deps, actor.workspaceId, only);
}

async function checkRefs(tx: Db, workspaceId: string, input: InboxInput) {
  if (input.teamId) {
    const [t] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, input.teamId)));
    if (!t) throw invalid('teamId', 'is not a team of this workspace', 'unknown_team');
  }
  if (input.memberIds?.length) {
    const ids = [...new Set(input.memberIds)];
    const found = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, ids)));
    if (found.length !== ids.length) throw invalid('memberIds', 'contains someone who is not a member of this workspace', 'unknown_member');
  }
}

/**
 * A WhatsApp inbox's `fallbackInboxId` must name an SMS inbox of the same workspace that is in use: the fallback
 * sends to the customer's phone number, which only SMS knows. Checked when the setting is given, so a typo, an
 * archived inbox or another workspace's inbox is refused with a clear reason instead of failing silently when a
 * message later cannot be delivered.
 */
async function checkFallbackInbox(tx: Db, workspaceId: string, kind: string, inboxId: string | null, input: Record<string, unknown> | undefined) {
  const wanted = input?.fallbackInboxId;
  const schema = channelAdapter(kind)?.settingsSchema;
  const hasFallback = schema instanceof z.ZodObject && 'fallbackInboxId' in schema.shape;
  // Not a uuid: the settings schema refuses it with its own message.
  if (!hasFallback || typeof wanted !== 'string' || !z.uuid().safeParse(wanted).success) return;
  const path = 'settings.fallbackInboxId';
  if (wanted === inboxId) throw invalid(path, 'cannot be this inbox itself; choose an SMS inbox', 'invalid_fallback_inbox');
  const [target] = await tx
    .select({ kind: inboxes.kind, name: inboxes.name, archivedAt: inboxes.archivedAt })
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, wanted)));
  if (!target) throw invalid(path, 'is not an inbox of this workspace', 'unknown_fallback_inbox');
  if (target.archivedAt) throw invalid(path, `"${target.name}" is archived; choose an SMS inbox in use`, 'invalid_fallback_inbox');
  if (target.kind !== 'sms') throw invalid(path, `"${target.name}" is not an SMS inbox (its channel is ${target.kind}); the fallback must be an SMS inbox`, 'invalid_fallback_inbox');
}

async function setMembers(tx: Db, workspaceId: string, inboxId: string, memberIds: string[]) {
  await tx.delete(inboxMembers).where(and(eq(inboxMembers.workspaceId, workspaceId), eq(inboxMembers.inboxId, inboxId)));
  const ids = [...new Set(memberIds)];
  if (ids.length) await tx.insert(inboxMembers).values(ids.map((userId) => ({ workspaceId, inboxId, userId })));
}

export async function createInbox(
  deps: Deps,
  workspaceId: string,
  input: Required<Pick<InboxInput, 'name' | 'kind'>> & InboxInput,
): Promise<InboxDto & { generatedSecrets?: Record<string, string>; connection?: ConnectionCheck }> {
  const generated: Record<string, string> = {};
  const settingsInput = { ...(input.settings ?? {}) };
  // The API channel signs replies to its webhook; without a secret of the admin's own, Balie makes one and
  // shows it once, like an API token.
  if (input.kind === 'api' && settingsInput.webhookSecret === undefined) {
    generated.webhookSecret = generateWebhookSecret();
    settingsInput.webhookSecret = generated.webhookSecret;
  }
  const { settings, secrets } = splitSettings(deps, input.kind, settingsInput, { settings: {}, secrets: {} });
  await checkMailHosts(deps, input.kind, settings);
  let created: InboxRow | undefined;
  const view = await withOutbox(deps, workspaceId, async (tx, out) => {
    await checkRefs(tx, workspaceId, input);
    await checkFallbackInbox(tx, workspaceId, input.kind, null, settings);
    const id = deps.runtime.id();
    const [row] = await tx
      .insert(inboxes)
      .values({
        workspaceId,
        id,
        name: input.name,
        kind: input.kind,
        settings,
        secrets: Object.keys(secrets).length ? deps.secrets.seal(JSON.stringify(secrets)) : null,
        teamId: input.teamId ?? null,
        autoAssign: input.autoAssign ?? false,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('inbox_name_taken', `An inbox named "${input.name}" already exists.`);
    created = row;
    if (input.memberIds) await setMembers(tx, workspaceId, id, input.memberIds);
    out.event('access.changed', {}, { inboxId: id });
    return (await inboxViews(tx, deps, [row]))[0]!;
  });
  if (input.kind === 'email') deps.inboxesChanged?.();
  // After the commit: a provider that must be told our webhook URL is told now. Its answer is reported, never
  // fatal — the inbox exists, and "check connection" tries again once the credentials are right.
  const connection = channelAdapter(input.kind)?.registersWebhook && created ? await checkInboxConnection(deps, created) : undefined;
  return { ...view, ...(Object.keys(generated).length ? { generatedSecrets: generated } : {}), ...(connection ? { connection } : {}) };
}

export async function updateInbox(deps: Deps, workspaceId: string, inboxId: string, input: InboxInput): Promise<InboxDto> {
  // Outside the transaction (DNS can take seconds); only hosts this update changes, stored ones were checked.
  if (input.settings && (typeof input.settings.smtpHost === 'string' || typeof input.settings.imapHost === 'string')) {
    const [row] = await deps.store.db.select({ kind: inboxes.kind }).from(inboxes).where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId)));
    if (row) await checkMailHosts(deps, row.kind, input.settings);
  }
  const view = await withOutbox(deps, workspaceId, async (tx, out) => {
    const [current] = await tx
      .select()
      .from(inboxes)
      .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId), isNull(inboxes.archivedAt)))
      .for('update');
    if (!current) throw notFound('inbox');
    await checkRefs(tx, workspaceId, input);
    await checkFallbackInbox(tx, workspaceId, current.kind, inboxId, input.settings);
    const patch: Partial<InboxRow> = { updatedAt: deps.runtime.now() };
    if (input.name !== undefined) patch.name = input.name;
    if (input.teamId !== undefined) patch.teamId = input.teamId;
    if (input.autoAssign !== undefined) patch.autoAssign = input.autoAssign;
    if (input.settings) {
      const merged = splitSettings(deps, current.kind, input.settings, { settings: current.settings, secrets: readSecrets(deps, current) });
      patch.settings = merged.settings;
      patch.secrets = Object.keys(merged.secrets).length ? deps.secrets.seal(JSON.stringify(merged.secrets)) : null;
    }
    let row: InboxRow | undefined;
    try {
      [row] = await tx
        .update(inboxes)
        .set(patch)
        .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId)))
        .returning();
    } catch (err) {
      if (/inboxes_name_key/.test(String((err as Error).message) + String((err as { cause?: Error }).cause?.message))) {
        throw conflict('inbox_name_taken', `An inbox named "${input.name}" already exists.`);
      }
      throw err;
    }
    if (input.memberIds) await setMembers(tx, workspaceId, inboxId, input.memberIds);
    out.event('access.changed', {}, { inboxId });
    out.event('inbox.updated', { inboxId }, { inboxId });
    return (await inboxViews(tx, deps, [row!]))[0]!;
  });
  forgetWebhookInbox(inboxId);
  if (view.kind === 'email') deps.inboxesChanged?.();
  return view;
}

/** Inboxes are archived, not deleted: their conversations stay readable and searchable. */
export async function archiveInbox(deps: Deps, workspaceId: string, inboxId: string): Promise<void> {
  await withOutbox(deps, workspaceId, async (tx, out) => {
    const [row] = await tx
      .update(inboxes)
      .set({ archivedAt: deps.runtime.now() })
      .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, inboxId), isNull(inboxes.archivedAt)))
      .returning({ id: inboxes.id });
    if (!row) throw notFound('inbox');
    out.event('access.changed', {}, { inboxId });
  });
  forgetWebhookInbox(inboxId);
  deps.inboxesChanged?.();
}
