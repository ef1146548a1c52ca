import type { Db } from '../store/db';
import { auditLog } from '../store/schema';
import type { Actor, Deps } from './context';

export interface AuditEntry {
  workspaceId: string | null;
  actor: Actor | { type: 'system' | 'anonymous' | 'contact'; id?: string } | null;
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | undefined;
  /** Ids and facts only: never message bodies, passwords or tokens. */
  data?: Record<string, unknown>;
}

/** Appends to the audit log (logins, role changes, merges, exports, erasures, incident broadcasts). */
export async function audit(tx: Db, _deps: Pick<Deps, 'runtime'>, entry: AuditEntry): Promise<void> {
  const actor = entry.actor;
  let actorType: 'user' | 'token' | 'system' | 'contact' | 'anonymous' = 'system';
  let actorId: string | null = null;
  if (actor && 'userId' in actor) {
    actorType = actor.tokenId ? 'token' : 'user';
    actorId = actor.tokenId ? `${actor.userId}/${actor.tokenId}` : actor.userId;
  } else if (actor) {
    actorType = actor.type;
    actorId = actor.id ?? null;
  }
  await tx.insert(auditLog).values({
    workspaceId: entry.workspaceId,
    actorType,
    actorId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: entry.ip ?? null,
    data: entry.data ?? {},
  });
}
