import type { DomainEvent } from '../shared/events';

/**
 * Who may see what, as a pure function: the hub asks it for every event and every connected agent.
 * Owners and admins see their whole workspace; agents see the inboxes they were given access to; events
 * addressed to specific users (notifications) reach only them.
 */
export interface Viewer {
  userId: string;
  workspaceId: string;
  role: 'owner' | 'admin' | 'agent';
  inboxIds: ReadonlySet<string>;
}

/** Short-lived signals between agents' screens (viewing, typing); never stored. */
export interface EphemeralEvent {
  type: 'presence';
  workspaceId: string;
  inboxId: string;
  conversationId: string;
  userId: string;
  userName: string;
  state: 'viewing' | 'typing' | 'left';
  at: string;
}

export function canSee(viewer: Viewer, event: Pick<DomainEvent, 'workspaceId' | 'scope'>): boolean {
  if (event.workspaceId !== viewer.workspaceId) return false;
  const { scope } = event;
  if (scope.userIds) return scope.userIds.includes(viewer.userId);
  if (viewer.role === 'owner' || viewer.role === 'admin') return true;
  if (scope.inboxId) return viewer.inboxIds.has(scope.inboxId);
  // Workspace-wide facts (contacts, access changes) are for every member.
  return true;
}

export function canSeeEphemeral(viewer: Viewer, event: EphemeralEvent): boolean {
  if (event.userId === viewer.userId) return false;
  return canSee(viewer, { workspaceId: event.workspaceId, scope: { inboxId: event.inboxId } });
}
