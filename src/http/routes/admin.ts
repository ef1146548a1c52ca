import { z } from 'zod';
import { and, desc, eq, sql } from 'drizzle-orm';
import * as api from '../../shared/api';
import { auditLog, invitations, users } from '../../store/schema';
import {
  createWebhook,
  deleteLabel,
  deleteTeam,
  deleteWebhook,
  issueToken,
  listDeliveries,
  listLabels,
  listMembers,
  listTeams,
  listTokens,
  listWebhooks,
  removeMember,
  revokeToken,
  saveLabel,
  saveTeam,
  updateMember,
  updateWebhook,
} from '../../app/admin';
import { inviteMember } from '../../app/auth';
import { listStuckInboundEvents, retryInboundEvent } from '../../app/inbound-events';
import { iso } from '../../app/dto';
import { forbidden } from '../../shared/errors';
import { route, type RouteSpec } from '../route';

const admins = ['owner', 'admin'] as ('owner' | 'admin')[];

export const adminRoutes: RouteSpec[] = [
  // ---------- users ----------
  route({
    method: 'GET',
    url: '/api/v1/users',
    summary: 'Members of the workspace with role, availability and online state',
    tags: ['Users'],
    auth: 'member',
    response: { schema: z.object({ items: z.array(api.userDto) }) },
    handler: async ({ deps, actor }) => ({ items: await listMembers(deps, actor.workspaceId) }),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/users/:userId',
    summary: "Change a member's role, capacity or availability",
    tags: ['Users'],
    auth: 'member',
    roles: admins,
    params: z.object({ userId: z.string() }),
    resources: { userId: 'member' },
    body: api.updateMemberInput,
    response: { schema: api.userDto },
    errors: [409],
    handler: async ({ deps, actor, resources, body, req }) => {
      await updateMember(deps, actor, resources.member!.userId, body, req.ip);
      return (await listMembers(deps, actor.workspaceId)).find((m) => m.id === resources.member!.userId);
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/users/:userId',
    summary: 'Remove a member from the workspace (their conversations become unassigned)',
    tags: ['Users'],
    auth: 'member',
    roles: admins,
    params: z.object({ userId: z.string() }),
    resources: { userId: 'member' },
    response: { status: 204 },
    handler: async ({ deps, actor, resources, req }) => {
      await removeMember(deps, actor, resources.member!.userId, req.ip);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/invitations',
    summary: 'Open invitations',
    tags: ['Users'],
    auth: 'member',
    roles: admins,
    response: { schema: z.object({ items: z.array(api.invitationDto) }) },
    handler: async ({ deps, actor }) => {
      const rows = await deps.store.db
        .select()
        .from(invitations)
        .where(and(eq(invitations.workspaceId, actor.workspaceId), sql`${invitations.acceptedAt} is null and ${invitations.revokedAt} is null`))
        .orderBy(desc(invitations.createdAt));
      return {
        items: rows.map((r) => ({ id: r.id, email: r.email, name: r.name, role: r.role, createdAt: iso(r.createdAt)!, expiresAt: iso(r.expiresAt)!, acceptedAt: iso(r.acceptedAt) })),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/invitations',
    summary: 'Invite someone by e-mail (the link is also returned, for when SMTP is not configured)',
    tags: ['Users'],
    auth: 'member',
    roles: admins,
    body: api.inviteInput,
    response: { status: 201, schema: api.invitationDto.extend({ url: z.string(), mailed: z.boolean() }) },
    errors: [409],
    handler: async ({ deps, actor, body, req }) => {
      const { invitation: r, url, mailed } = await inviteMember(deps, actor, body, req.ip);
      return { id: r.id, email: r.email, name: r.name, role: r.role, createdAt: iso(r.createdAt)!, expiresAt: iso(r.expiresAt)!, acceptedAt: null, url, mailed };
    },
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/invitations/:invitationId',
    summary: 'Revoke an invitation',
    tags: ['Users'],
    auth: 'member',
    roles: admins,
    params: z.object({ invitationId: z.string() }),
    resources: { invitationId: 'invitation' },
    response: { status: 204 },
    handler: async ({ deps, actor, resources }) => {
      await deps.store.db
        .update(invitations)
        .set({ revokedAt: deps.runtime.now() })
        .where(and(eq(invitations.workspaceId, actor.workspaceId), eq(invitations.id, resources.invitation!.id)));
    },
  }),
  // ---------- teams ----------
  route({
    method: 'GET',
    url: '/api/v1/teams',
    summary: 'List teams',
    tags: ['Teams'],
    auth: 'member',
    response: { schema: z.object({ items: z.array(api.teamDto) }) },
    handler: async ({ deps, actor }) => ({ items: await listTeams(deps, actor.workspaceId) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/teams',
    summary: 'Create a team',
    tags: ['Teams'],
    auth: 'member',
    roles: admins,
    body: api.createTeamInput,
    response: { status: 201, schema: api.teamDto },
    errors: [409],
    handler: ({ deps, actor, body }) => saveTeam(deps, actor, null, body),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/teams/:teamId',
    summary: 'Update a team (memberIds replaces the members)',
    tags: ['Teams'],
    auth: 'member',
    roles: admins,
    params: z.object({ teamId: z.string() }),
    resources: { teamId: 'team' },
    body: api.updateTeamInput,
    response: { schema: api.teamDto },
    errors: [409],
    handler: ({ deps, actor, resources, body }) => saveTeam(deps, actor, resources.team!.id, body),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/teams/:teamId',
    summary: 'Delete a team',
    tags: ['Teams'],
    auth: 'member',
    roles: admins,
    params: z.object({ teamId: z.string() }),
    resources: { teamId: 'team' },
    response: { status: 204 },
    handler: async ({ deps, actor, resources }) => {
      await deleteTeam(deps, actor, resources.team!.id);
    },
  }),
  // ---------- labels ----------
  route({
    method: 'GET',
    url: '/api/v1/labels',
    summary: 'List labels',
    tags: ['Labels'],
    auth: 'member',
    response: { schema: z.object({ items: z.array(api.labelDto) }) },
    handler: async ({ deps, actor }) => ({ items: await listLabels(deps, actor.workspaceId) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/labels',
    summary: 'Create a label',
    tags: ['Labels'],
    auth: 'member',
    roles: admins,
    body: api.createLabelInput,
    response: { status: 201, schema: api.labelDto },
    errors: [409],
    handler: ({ deps, actor, body }) => saveLabel(deps, actor, null, body),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/labels/:labelId',
    summary: 'Update a label (a rename is applied to every conversation)',
    tags: ['Labels'],
    auth: 'member',
    roles: admins,
    params: z.object({ labelId: z.string() }),
    resources: { labelId: 'label' },
    body: api.updateLabelInput,
    response: { schema: api.labelDto },
    errors: [409],
    handler: ({ deps, actor, resources, body }) => saveLabel(deps, actor, resources.label!.id, body),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/labels/:labelId',
    summary: 'Delete a label (removed from every conversation)',
    tags: ['Labels'],
    auth: 'member',
    roles: admins,
    params: z.object({ labelId: z.string() }),
    resources: { labelId: 'label' },
    response: { status: 204 },
    handler: async ({ deps, actor, resources }) => {
      await deleteLabel(deps, actor, resources.label!);
    },
  }),
  // ---------- webhooks ----------
  route({
    method: 'GET',
    url: '/api/v1/webhooks',
    summary: 'List webhook subscriptions',
    tags: ['Webhooks'],
    auth: 'member',
    roles: admins,
    response: { schema: z.object({ items: z.array(api.webhookDto) }) },
    handler: async ({ deps, actor }) => ({ items: await listWebhooks(deps, actor.workspaceId) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/webhooks',
    summary: 'Subscribe a URL to events',
    description:
      'Deliveries carry `X-Balie-Signature: sha256=<hex HMAC of the raw body>`, `X-Balie-Event` and `X-Balie-Delivery`. The secret is returned once. Targets in private, loopback or link-local ranges are refused at send time unless the operator sets WEBHOOK_ALLOW_PRIVATE=1.',
    tags: ['Webhooks'],
    auth: 'member',
    roles: admins,
    body: api.createWebhookInput,
    response: { status: 201, schema: api.webhookDto.extend({ secret: z.string() }) },
    handler: ({ deps, actor, body }) => createWebhook(deps, actor, body),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/webhooks/:webhookId',
    summary: 'Update a webhook subscription',
    tags: ['Webhooks'],
    auth: 'member',
    roles: admins,
    params: z.object({ webhookId: z.string() }),
    resources: { webhookId: 'webhook' },
    body: api.updateWebhookInput,
    response: { schema: api.webhookDto },
    handler: ({ deps, actor, resources, body }) => updateWebhook(deps, actor, resources.webhook!.id, body),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/webhooks/:webhookId',
    summary: 'Delete a webhook subscription',
    tags: ['Webhooks'],
    auth: 'member',
    roles: admins,
    params: z.object({ webhookId: z.string() }),
    resources: { webhookId: 'webhook' },
    response: { status: 204 },
    handler: async ({ deps, actor, resources }) => {
      await deleteWebhook(deps, actor, resources.webhook!.id);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/webhooks/:webhookId/deliveries',
    summary: 'Delivery log of a subscription: status, attempts, response, error',
    tags: ['Webhooks'],
    auth: 'member',
    roles: admins,
    params: z.object({ webhookId: z.string() }),
    resources: { webhookId: 'webhook' },
    query: api.cursorQuery,
    response: { schema: api.page(api.webhookDeliveryDto) },
    handler: ({ deps, actor, resources, query }) => listDeliveries(deps, actor, resources.webhook!.id, query),
  }),
  // ---------- tokens ----------
  route({
    method: 'GET',
    url: '/api/v1/tokens',
    summary: 'API tokens (your own; admins see all)',
    tags: ['API tokens'],
    auth: 'member',
    response: { schema: z.object({ items: z.array(api.apiTokenDto) }) },
    handler: async ({ deps, actor }) => ({ items: await listTokens(deps, actor) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/tokens',
    summary: 'Create an API token for yourself (shown once)',
    tags: ['API tokens'],
    auth: 'member',
    body: api.createTokenInput,
    response: { status: 201, schema: api.apiTokenDto.extend({ token: z.string() }) },
    handler: ({ deps, actor, body, req }) => issueToken(deps, actor, body, req.ip),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/tokens/:tokenId',
    summary: 'Revoke an API token',
    tags: ['API tokens'],
    auth: 'member',
    params: z.object({ tokenId: z.string() }),
    resources: { tokenId: 'token' },
    response: { status: 204 },
    handler: async ({ deps, actor, resources, req }) => {
      await revokeToken(deps, actor, resources.token!.id, req.ip);
    },
  }),
  // ---------- audit & jobs ----------
  route({
    method: 'GET',
    url: '/api/v1/audit-log',
    summary: 'Audit log of the workspace (logins, role changes, merges, exports, erasures)',
    tags: ['Operations'],
    auth: 'member',
    roles: admins,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(100), before: z.coerce.number().int().positive().optional() }),
    handler: async ({ deps, actor, query }) => {
      const rows = await deps.store.db
        .select({ entry: auditLog, actorName: users.name })
        .from(auditLog)
        .leftJoin(users, sql`${users.id}::text = split_part(${auditLog.actorId}, '/', 1)`)
        .where(and(eq(auditLog.workspaceId, actor.workspaceId), query.before ? sql`${auditLog.id} < ${query.before}` : undefined))
        .orderBy(desc(auditLog.id))
        .limit(query.limit);
      return {
        items: rows.map(({ entry, actorName }) => ({ ...entry, actorName, createdAt: iso(entry.createdAt) })),
        nextBefore: rows.length === query.limit ? rows[rows.length - 1]!.entry.id : null,
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/jobs/failed',
    summary: 'Background jobs of this workspace that failed for good (sends, webhook deliveries, inbound events)',
    tags: ['Operations'],
    auth: 'member',
    roles: admins,
    handler: async ({ deps, actor }) => {
      if (!actor) throw forbidden();
      const rows = await deps.store.rows<{ id: string; name: string; data: Record<string, unknown>; output: unknown; retry_count: number; completed_on: Date | null; created_on: Date }>(
        sql`select id, name, data, output, retry_count, completed_on, created_on from pgboss.job
            where state = 'failed' and data->>'workspaceId' = ${actor.workspaceId}
            union all
            select id, name, data, output, retry_count, completed_on, created_on from pgboss.archive
            where state = 'failed' and data->>'workspaceId' = ${actor.workspaceId}
            order by created_on desc limit 200`,
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          queue: r.name,
          data: r.data,
          error: (r.output as { message?: string } | null)?.message ?? null,
          attempts: Number(r.retry_count) + 1,
          failedAt: iso(r.completed_on),
          createdAt: iso(r.created_on),
        })),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/inbound-events/failed',
    summary: 'Provider webhooks that did not become messages: failed after the last retry, or quarantined (not understood)',
    description: 'Newest first, with the error. `POST /api/v1/inbound-events/{id}/retry` processes one again.',
    tags: ['Operations'],
    auth: 'member',
    roles: admins,
    query: z.object({
      status: z.enum(['failed', 'quarantined']).optional(),
      inboxId: z.uuid().optional(),
      cursor: z.string().max(500).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
    handler: ({ deps, actor, query }) => listStuckInboundEvents(deps, actor, query),
  }),
  route({
    method: 'POST',
    url: '/api/v1/inbound-events/:eventId/retry',
    summary: 'Process a failed or quarantined inbound event again',
    tags: ['Operations'],
    auth: 'member',
    roles: admins,
    params: z.object({ eventId: z.uuid() }),
    response: { status: 202 },
    errors: [404, 409],
    handler: ({ deps, actor, params }) => retryInboundEvent(deps, actor, params.eventId),
  }),
];
