import { z } from 'zod';
import { and, asc, eq } from 'drizzle-orm';
import * as api from '../../shared/api';
import { memberships, users, workspaces } from '../../store/schema';
import { acceptInvitation, createSession, invitationByToken, login, logout, needsSetup, requestPasswordReset, resetPassword, setup, sha256 } from '../../app/auth';
import { updateWorkspace, workspaceView } from '../../app/admin';
import { AppError, invalid } from '../../shared/errors';
import { route, type RouteSpec } from '../route';
import { authenticate, SESSION_COOKIE } from '../pipeline';
import type { FastifyReply } from 'fastify';
import type { Services } from '../../app/context';

const tags = ['Auth'];

function setSessionCookie(deps: Services, reply: FastifyReply, token: string, expiresAt: Date) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.publicUrl.startsWith('https://'),
    path: '/',
    expires: expiresAt,
  });
}

async function sessionPayload(deps: Services, userId: string, csrfToken: string | null) {
  const [user] = await deps.store.db.select().from(users).where(eq(users.id, userId));
  const ws = await deps.store.db
    .select({ workspace: workspaces, role: memberships.role, availability: memberships.availability })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name));
  return {
    user: { id: user!.id, email: user!.email, name: user!.name, locale: user!.locale, settings: user!.settings },
    workspaces: ws.map((w) => ({ ...workspaceView(w.workspace), role: w.role, availability: w.availability })),
    csrfToken,
  };
}

export const authRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/api/v1/setup',
    summary: 'Whether this Balie still needs its first-run setup',
    tags,
    auth: 'public',
    response: { schema: z.object({ needsSetup: z.boolean() }) },
    handler: async ({ deps }) => ({ needsSetup: await needsSetup(deps.store.db) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/setup',
    summary: 'First-run setup: create the workspace and its owner',
    description: 'Works only while no user exists; afterwards it answers 409. Returns an API token for the owner (shown once) and logs the owner in.',
    tags,
    auth: 'public',
    body: api.setupInput,
    response: { status: 201, schema: z.object({ workspaceId: z.uuid(), userId: z.uuid(), apiToken: z.string() }) },
    errors: [409],
    handler: async ({ deps, body, req, reply }) => {
      const result = await setup(deps, body, req.ip);
      const { token, session } = await createSession(deps, result.userId, req.ip, req.headers['user-agent']);
      setSessionCookie(deps, reply, token, session.expiresAt);
      return result;
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: 'Log in with e-mail and password (sets the session cookie)',
    description: 'Five failed attempts within five minutes per IP address or per account answer 429 until the window ends.',
    tags,
    auth: 'public',
    body: api.loginInput,
    errors: [401, 429],
    handler: async ({ deps, body, req, reply }) => {
      const { token, session } = await login(deps, { ...body, ip: req.ip, userAgent: req.headers['user-agent'] });
      setSessionCookie(deps, reply, token, session.expiresAt);
      return sessionPayload(deps, session.userId, session.csrfToken);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: 'Log out (ends the session)',
    tags,
    auth: 'user',
    response: { status: 204 },
    handler: async ({ deps, req, reply }) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(deps, sha256(token));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/auth/session',
    summary: 'The logged-in user, their workspaces, and the CSRF token for cookie requests',
    tags,
    auth: 'user',
    handler: async ({ deps, req, userId }) => {
      const principal = await authenticate(deps, req);
      return sessionPayload(deps, userId, principal?.session?.csrfToken ?? null);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/password-reset',
    summary: 'Request a password-reset e-mail (always 202)',
    tags,
    auth: 'public',
    body: z.object({ email: api.emailInput }),
    response: { status: 202 },
    errors: [429],
    handler: async ({ deps, body, req, reply }) => {
      if (!deps.mailer.configured) throw new AppError('unavailable', 'mail_not_configured', 'Password reset needs outgoing mail (SMTP_URL). Ask an admin.');
      await requestPasswordReset(deps, body.email, req.ip);
      reply.status(202);
      return { status: 'sent_if_known' };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    summary: 'Set a new password with the token from the reset e-mail',
    tags,
    auth: 'public',
    body: z.object({ token: z.string().min(10).max(200), password: api.passwordInput }),
    response: { status: 204 },
    handler: async ({ deps, body, req }) => {
      await resetPassword(deps, body.token, body.password, req.ip);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/invitations/by-token/:token',
    summary: 'Look up an invitation (for the accept page)',
    tags,
    auth: 'public',
    params: z.object({ token: z.string().max(200) }),
    handler: async ({ deps, params }) => {
      const { invitation, workspaceName } = await invitationByToken(deps.store.db, params.token, deps.runtime.now());
      const [existing] = await deps.store.db.select({ id: users.id }).from(users).where(eq(users.email, invitation.email));
      return { email: invitation.email, name: invitation.name, role: invitation.role, workspaceName, hasAccount: !!existing };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/invitations/accept',
    summary: 'Accept an invitation: creates the account (or joins with an existing one) and logs in',
    tags,
    auth: 'public',
    body: api.acceptInvitationInput,
    handler: async ({ deps, body, req, reply }) => {
      const { userId, workspaceId } = await acceptInvitation(deps, body, req.ip);
      const { token, session } = await createSession(deps, userId, req.ip, req.headers['user-agent']);
      setSessionCookie(deps, reply, token, session.expiresAt);
      return { ...(await sessionPayload(deps, userId, session.csrfToken)), workspaceId };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/me',
    summary: 'The current user in the current workspace',
    tags: ['Users'],
    auth: 'member',
    handler: async ({ deps, actor }) => {
      const [row] = await deps.store.db
        .select({ user: users, membership: memberships })
        .from(users)
        .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, actor.workspaceId)))
        .where(eq(users.id, actor.userId));
      return {
        id: row!.user.id,
        email: row!.user.email,
        name: row!.user.name,
        locale: row!.user.locale,
        settings: row!.user.settings,
        role: row!.membership.role,
        availability: row!.membership.availability,
        workspaceId: actor.workspaceId,
      };
    },
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/me',
    summary: 'Update your name, language, availability or personal settings',
    tags: ['Users'],
    auth: 'member',
    body: api.updateMeInput,
    response: { status: 204 },
    handler: async ({ deps, actor, body }) => {
      const [current] = await deps.store.db.select().from(users).where(eq(users.id, actor.userId));
      await deps.store.db
        .update(users)
        .set({
          ...(body.name ? { name: body.name } : {}),
          ...(body.locale !== undefined ? { locale: body.locale } : {}),
          ...(body.settings ? { settings: { ...current!.settings, ...body.settings } } : {}),
          updatedAt: deps.runtime.now(),
        })
        .where(eq(users.id, actor.userId));
      if (body.availability) {
        await deps.store.db
          .update(memberships)
          .set({ availability: body.availability })
          .where(and(eq(memberships.workspaceId, actor.workspaceId), eq(memberships.userId, actor.userId)));
      }
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/workspace',
    summary: 'The current workspace and its settings',
    tags: ['Workspace'],
    auth: 'member',
    response: { schema: api.workspaceDto },
    handler: async ({ deps, actor }) => {
      const [row] = await deps.store.db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId));
      if (!row) throw invalid('workspace', 'not found');
      return workspaceView(row);
    },
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/workspace',
    summary: 'Update name, language, time zone or settings',
    tags: ['Workspace'],
    auth: 'member',
    roles: ['owner', 'admin'],
    body: api.updateWorkspaceInput,
    response: { schema: api.workspaceDto },
    handler: ({ deps, actor, body }) => updateWorkspace(deps, actor, body),
  }),
];
