import { and, eq, gte, inArray } from 'drizzle-orm';
import { conversations, inboxes, incidentConversations } from '../store/schema';
import { contactDrivers, driversCsv } from '../domain/contact-drivers';
import type { Deps } from './context';

/** The contact-drivers report of the last `days` days (conversations started in that window). */
export async function contactDriversReport(deps: Deps, workspaceId: string, days: number) {
  const since = new Date(deps.runtime.now().getTime() - days * 86_400_000);
  const rows = await deps.store.db
    .select({ id: conversations.id, contactId: conversations.contactId, inboxId: conversations.inboxId, labels: conversations.labels, createdAt: conversations.createdAt, resolvedAt: conversations.resolvedAt })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), gte(conversations.createdAt, since)));
  const linked = rows.length
    ? new Set(
        (
          await deps.store.db
            .select({ id: incidentConversations.conversationId })
            .from(incidentConversations)
            .where(and(eq(incidentConversations.workspaceId, workspaceId), inArray(incidentConversations.conversationId, rows.map((r) => r.id))))
        ).map((r) => r.id),
      )
    : new Set<string>();
  const items = contactDrivers(rows.map((r) => ({ ...r, duringIncident: linked.has(r.id) })));
  const names = new Map((await deps.store.db.select({ id: inboxes.id, name: inboxes.name }).from(inboxes).where(eq(inboxes.workspaceId, workspaceId))).map((i) => [i.id, i.name]));
  return { items, csv: () => driversCsv(items, (id) => names.get(id) ?? id) };
}
