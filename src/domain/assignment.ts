/**
 * Auto-assignment: round robin over the agents who are online and below their capacity. "Round robin" is
 * least-recently-assigned first, which stays fair when agents come and go (a rotating index would not).
 */
export interface AssignmentCandidate {
  userId: string;
  online: boolean;
  openCount: number;
  /** Maximum open conversations; null = no limit. */
  capacity: number | null;
  lastAssignedAt: Date | null;
}

export function pickAssignee(candidates: readonly AssignmentCandidate[]): string | null {
  const eligible = candidates.filter((c) => c.online && (c.capacity === null || c.openCount < c.capacity));
  if (eligible.length === 0) return null;
  const sorted = [...eligible].sort((a, b) => {
    const ta = a.lastAssignedAt?.getTime() ?? -Infinity;
    const tb = b.lastAssignedAt?.getTime() ?? -Infinity;
    if (ta !== tb) return ta - tb;
    if (a.openCount !== b.openCount) return a.openCount - b.openCount;
    return a.userId < b.userId ? -1 : 1;
  });
  return sorted[0]!.userId;
}

/** An agent counts as online when they chose "online" and their app was seen recently. */
export function isOnline(availability: string, lastSeenAt: Date | null, now: Date, graceMs = 90_000): boolean {
  return availability === 'online' && lastSeenAt !== null && now.getTime() - lastSeenAt.getTime() <= graceMs;
}
