import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { apiTokens, invitations, memberships, passwordResets, sessions, users, workspaces } from '../store/schema';
import { AppError, conflict, notFound } from '../shared/errors';
import type { Actor, Deps } from './context';
import { audit } from './audit';
import { conversationSequence } from './ingest-inbound';
import type { RateLimiter } from './rate-limit';
import type { SystemMailer } from './mailer';

export const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');
const randomToken = (prefix: string) => `${prefix}${crypto.randomBytes(32).toString('base64url')}`;

// algorithm 2 = Argon2id (the package's const enum cannot be imported under isolatedModules).
const ARGON = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const hashPassword = (password: string) => argonHash(password, ARGON);
// Verifying against this keeps the time of "unknown e-mail" equal to "wrong password".
let dummyHash: Promise<string> | null = null;

export async function createWorkspace(tx: Db, deps: Pick<Deps, 'runtime'>, input: { name: string; locale?: 'nl' | 'en' }) {
  const id = deps.runtime.id();
  const [ws] = await tx.insert(workspaces).values({ id, name: input.name, locale: input.locale ?? 'nl' }).returning();
  await tx.execute(sql.raw(`create sequence if not exists "${conversationSequence(id)}"`));
  return ws!;
}

export async function createUser(tx: Db, deps: Pick<Deps, 'runtime'>, input: { email: string; name: string; password: string | null; locale?: string | null }) {
  const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`);
  if (existing) throw conflict('email_taken', 'A user with this e-mail address already exists.');
  const [user] = await tx
    .insert(users)
    .values({
      id: deps.runtime.id(),
      email: input.email.toLowerCase(),
      name: input.name,
      passwordHash: input.password ? await hashPassword(input.password) : null,
      locale: input.locale ?? null,
    })
    .returning();
  return user!;
}

export async function createApiToken(tx: Db, deps: Pick<Deps, 'runtime'>, input: { workspaceId: string; userId: string; name: string; expiresAt?: Date | null }) {
  const token = randomToken('blt_');
  const [row] = await tx
    .insert(apiTokens)
    .values({
      workspaceId: input.workspaceId,
      id: deps.runtime.id(),
      userId: input.userId,
      name: input.name,
      tokenHash: sha256(token),
      tokenPrefix: token.slice(0, 10),
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  return { token, row: row! };
}

/** First run: creates the workspace, its owner and an API token. Works only while no user exists. */
export async function setup(
  deps: Deps,
  input: { workspaceName: string; name: string; email: string; password: string; locale?: 'nl' | 'en' },
  ip?: string,
) {
  return deps.store.transaction(async (tx) => {
    // Two simultaneous setup calls: the lock makes the second one see the first one's user.
    await tx.execute(sql`select pg_advisory_xact_lock(424242)`);
    const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(users)) as [{ n: number }];
    if (n > 0) throw conflict('already_set_up', 'Balie is already set up; log in instead.');
    const ws = await createWorkspace(tx, deps, { name: input.workspaceName, locale: input.locale });
    const user = await createUser(tx, deps, { email: input.email, name: input.name, password: input.password, locale: input.locale });
    await tx.insert(memberships).values({ workspaceId: ws.id, userId: user.id, role: 'owner' });
    const { token } = await createApiToken(tx, deps, { workspaceId: ws.id, userId: user.id, name: 'Setup' });
    await audit(tx, deps, { workspaceId: ws.id, actor: { workspaceId: ws.id, userId: user.id, role: 'owner' }, action: 'workspace.setup', ip });
    return { workspaceId: ws.id, userId: user.id, apiToken: token };
  });
}

export async function needsSetup(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return !row;
}

export interface SessionInfo {
  sessionId: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

const FAILURE_LIMIT = 5;
const FAILURE_WINDOW_MS = 5 * 60_000;

/**
 * Password login. Five failures in five minutes per IP or per account lock further attempts (429) for the
 * rest of the window; the answer never reveals whether the e-mail address exists.
 */
export async function login(
  deps: Deps & { limiter: RateLimiter },
  input: { email: string; password: string; ip: string; userAgent?: string },
): Promise<{ token: string; session: SessionInfo }> {
  const email = input.email.toLowerCase();
  const keys = [`login:ip:${input.ip}`, `login:account:${email}`];
  for (const key of keys) {
    const { count, retryAfterSeconds } = await deps.limiter.peek(key, FAILURE_WINDOW_MS);
    if (count >= FAILURE_LIMIT) {
      throw new AppError('rate_limited', 'too_many_attempts', 'Too many failed logins. Try again in a few minutes.', { retryAfterSeconds });
    }
  }
  const [user] = await deps.store.db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  const ok = await argonVerify(user?.passwordHash ?? (await dummyHash), input.password).catch(() => false);
  if (!user || !user.passwordHash || !ok || user.disabledAt) {
    for (const key of keys) await deps.limiter.hit(key, FAILURE_LIMIT, FAILURE_WINDOW_MS);
    await audit(deps.store.db, deps, { workspaceId: null, actor: { type: 'anonymous' }, action: 'login.failed', ip: input.ip, data: { userId: user?.id ?? null } });
    throw new AppError('unauthorized', 'invalid_credentials', 'E-mail address or password is incorrect.');
  }
  const session = await createSession(deps, user.id, input.ip, input.userAgent);
  await audit(deps.store.db, deps, { workspaceId: null, actor: { type: 'system', id: user.id }, action: 'login.succeeded', targetType: 'user', targetId: user.id, ip: input.ip });
  return session;
}

export async function createSession(deps: Deps, userId: string, ip?: string, userAgent?: string) {
  const token = randomToken('');
  const now = deps.runtime.now();
  const session: SessionInfo = {
    sessionId: sha256(token),
    userId,
    csrfToken: crypto.randomBytes(24).toString('base64url'),
    expiresAt: new Date(now.getTime() + deps.config.SESSION_TTL_HOURS * 3600_000),
  };
  await deps.store.db.insert(sessions).values({
    id: session.sessionId,
    userId,
    csrfToken: session.csrfToken,
    ip: ip ?? null,
    userAgent: userAgent?.slice(0, 500) ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: session.expiresAt,
  });
  return { token, session };
}

export async function sessionFromToken(deps: Deps, token: string): Promise<SessionInfo | null> {
  if (!token || token.length > 200) return null;
  const id = sha256(token);
  const [row] = await deps.store.db
    .select({ id: sessions.id, userId: sessions.userId, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt, disabledAt: users.disabledAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, deps.runtime.now())));
  if (!row || row.disabledAt) return null;
  // Touch at most once a minute: a session read is on every request.
  if (deps.runtime.now().getTime() - row.lastSeenAt.getTime() > 60_000) {
    await deps.store.db.update(sessions).set({ lastSeenAt: deps.runtime.now() }).where(eq(sessions.id, id));
  }
  return { sessionId: row.id, userId: row.userId, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

export async function logout(deps: Deps, sessionId: string) {
  await deps.store.db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function tokenActor(deps: Deps, token: string): Promise<Actor | null> {
  if (!token.startsWith('blt_') || token.length > 200) return null;
  // Not cached: a revocation must take effect on the very next request, in every process.
  const hash = sha256(token);
  const [row] = await deps.store.db
    .select({ id: apiTokens.id, workspaceId: apiTokens.workspaceId, userId: apiTokens.userId, role: memberships.role, expiresAt: apiTokens.expiresAt, lastUsedAt: apiTokens.lastUsedAt, disabledAt: users.disabledAt })
    .from(apiTokens)
    .innerJoin(memberships, and(eq(memberships.workspaceId, apiTokens.workspaceId), eq(memberships.userId, apiTokens.userId)))
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
  if (!row || row.disabledAt) return null;
  const now = deps.runtime.now();
  if (row.expiresAt && row.expiresAt <= now) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await deps.store.db.update(apiTokens).set({ lastUsedAt: now }).where(and(eq(apiTokens.workspaceId, row.workspaceId), eq(apiTokens.id, row.id)));
  }
  return { workspaceId: row.workspaceId, userId: row.userId, role: row.role, tokenId: row.id };
}

export async function membershipActor(db: Db, userId: string, workspaceId: string): Promise<Actor | null> {
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return m ? { workspaceId, userId, role: m.role } : null;
}

// ---------- invitations ----------

const INVITE_TTL_MS = 7 * 86_400_000;

export async function inviteMember(deps: Deps & { mailer: SystemMailer }, actor: Actor, input: { email: string; name?: string; role: 'admin' | 'agent' }, ip?: string) {
  const token = randomToken('inv_');
  const email = input.email.toLowerCase();
  const row = await deps.store.transaction(async (tx) => {
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.workspaceId, actor.workspaceId), sql`lower(${users.email}) = ${email}`));
    if (member) throw conflict('already_member', 'This person is already a member of the workspace.');
    const [inv] = await tx
      .insert(invitations)
      .values({
        workspaceId: actor.workspaceId,
        id: deps.runtime.id(),
        email,
        name: input.name ?? '',
        role: input.role,
        tokenHash: sha256(token),
        invitedBy: actor.userId,
        expiresAt: new Date(deps.runtime.now().getTime() + INVITE_TTL_MS),
      })
      .returning();
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'member.invited', targetType: 'invitation', targetId: inv!.id, ip, data: { role: input.role } });
    return inv!;
  });
  const [ws] = await deps.store.db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId));
  const url = `${deps.config.publicUrl}/invite/${token}`;
  const nl = ws?.locale !== 'en';
  await deps.mailer
    .send({
      to: email,
      subject: nl ? `Uitnodiging voor ${ws?.name} in Balie` : `Invitation to ${ws?.name} on Balie`,
      text: nl
        ? `Hallo${input.name ? ` ${input.name}` : ''},\n\nJe bent uitgenodigd om mee te werken in ${ws?.name}. Open deze link om je account te maken (7 dagen geldig):\n${url}\n`
        : `Hello${input.name ? ` ${input.name}` : ''},\n\nYou have been invited to work in ${ws?.name}. Open this link to create your account (valid for 7 days):\n${url}\n`,
    })
    .catch((err: Error) => deps.log.warn({ err: err.message, invitationId: row.id }, 'invitation mail failed'));
  return { invitation: row, url, mailed: deps.mailer.configured };
}

export async function invitationByToken(db: Db, token: string, now: Date) {
  const [inv] = await db
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(and(eq(invitations.tokenHash, sha256(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)));
  if (!inv) throw notFound('invitation');
  return inv;
}

export async function acceptInvitation(deps: Deps, input: { token: string; name?: string; password: string }, ip?: string) {
  return deps.store.transaction(async (tx) => {
    const { invitation } = await invitationByToken(tx, input.token, deps.runtime.now());
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: deps.runtime.now() })
      .where(and(eq(invitations.workspaceId, invitation.workspaceId), eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
      .returning();
    if (!claimed) throw notFound('invitation');
    let [user] = await tx.select().from(users).where(sql`lower(${users.email}) = ${invitation.email}`);
    if (user) {
      // An existing Balie user joins another workspace; their password must match, it is not replaced.
      const ok = user.passwordHash ? await argonVerify(user.passwordHash, input.password).catch(() => false) : false;
      if (!ok) throw new AppError('unauthorized', 'invalid_credentials', 'This e-mail address already has a Balie account; enter its password.');
    } else {
      user = await createUser(tx, deps, { email: invitation.email, name: input.name || invitation.name || invitation.email, password: input.password });
    }
    await tx.insert(memberships).values({ workspaceId: invitation.workspaceId, userId: user.id, role: invitation.role }).onConflictDoNothing();
    await audit(tx, deps, {
      workspaceId: invitation.workspaceId,
      actor: { workspaceId: invitation.workspaceId, userId: user.id, role: invitation.role },
      action: 'member.joined',
      targetType: 'user',
      targetId: user.id,
      ip,
      data: { role: invitation.role, invitationId: invitation.id },
    });
    return { userId: user.id, workspaceId: invitation.workspaceId };
  });
}

// ---------- password reset ----------

const RESET_TTL_MS = 60 * 60_000;

/** Always answers the same way, so it cannot be used to find out which addresses have accounts. */
export async function requestPasswordReset(deps: Deps & { mailer: SystemMailer; limiter: RateLimiter }, email: string, ip: string): Promise<void> {
  const limited = await deps.limiter.hit(`reset:ip:${ip}`, 10, 60 * 60_000);
  if (!limited.allowed) throw new AppError('rate_limited', 'too_many_requests', 'Too many reset requests. Try again later.', { retryAfterSeconds: limited.retryAfterSeconds });
  const [user] = await deps.store.db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  if (!user || user.disabledAt) return;
  const token = randomToken('rst_');
  await deps.store.db.insert(passwordResets).values({
    tokenHash: sha256(token),
    userId: user.id,
    expiresAt: new Date(deps.runtime.now().getTime() + RESET_TTL_MS),
  });
  const url = `${deps.config.publicUrl}/reset-password/${token}`;
  const nl = user.locale !== 'en';
  await deps.mailer
    .send({
      to: user.email,
      subject: nl ? 'Nieuw wachtwoord voor Balie' : 'Reset your Balie password',
      text: nl
        ? `Hallo ${user.name},\n\nMet deze link kies je een nieuw wachtwoord (1 uur geldig):\n${url}\n\nHeb je dit niet gevraagd? Dan hoef je niets te doen.\n`
        : `Hello ${user.name},\n\nUse this link to choose a new password (valid for 1 hour):\n${url}\n\nDid not ask for this? Then you need not do anything.\n`,
    })
    .catch((err: Error) => deps.log.warn({ err: err.message, userId: user.id }, 'password reset mail failed'));
}

export async function resetPassword(deps: Deps, token: string, password: string, ip?: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: deps.runtime.now() })
      .where(and(eq(passwordResets.tokenHash, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, deps.runtime.now())))
      .returning();
    if (!reset) throw notFound('reset link');
    await tx.update(users).set({ passwordHash: await hashPassword(password), updatedAt: deps.runtime.now() }).where(eq(users.id, reset.userId));
    // A reset ends every existing session: whoever knew the old password is logged out.
    await tx.delete(sessions).where(eq(sessions.userId, reset.userId));
    await audit(tx, deps, { workspaceId: null, actor: { type: 'system', id: reset.userId }, action: 'password.reset', targetType: 'user', targetId: reset.userId, ip });
  });
}
