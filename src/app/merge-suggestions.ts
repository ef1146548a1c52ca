import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { contactIdentities, contacts, mergeSuggestionDismissals } from '../store/schema';
import type { MergeSuggestionDto } from '../shared/api';
import { matchReason, normalizeName, type MatchReason } from '../domain/merge-match';
import { notFound } from '../shared/errors';
import type { Actor } from './context';
import { contactDto } from './dto';

const STRENGTH: Record<MatchReason, number> = { same_name_phone: 0, same_name_domain: 1, same_name: 2 };

/**
 * Contacts that are probably the same person (see `matchReason`): same name plus the same phone number or
 * company e-mail domain, or the same name on another channel. A suggestion only: the agent reviews it in the
 * merge preview and merges, or dismisses it for good.
 */
export async function mergeSuggestions(db: Db, workspaceId: string, contactId: string, limit = 5): Promise<MergeSuggestionDto[]> {
  const [self] = await db.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
  if (!self || self.mergedIntoId || normalizeName(self.name).length < 3) return [];
  // lower(name) is what contacts_name_idx indexes; spacing differences are compared afterwards.
  const candidates = await db
    .select({ contact: contacts, dismissed: mergeSuggestionDismissals.createdAt })
    .from(contacts)
    .leftJoin(
      mergeSuggestionDismissals,
      and(
        eq(mergeSuggestionDismissals.workspaceId, contacts.workspaceId),
        or(
          and(eq(mergeSuggestionDismissals.contactId, contactId), eq(mergeSuggestionDismissals.otherContactId, contacts.id)),
          and(eq(mergeSuggestionDismissals.contactId, contacts.id), eq(mergeSuggestionDismissals.otherContactId, contactId)),
        ),
      ),
    )
    .where(and(eq(contacts.workspaceId, workspaceId), ne(contacts.id, contactId), isNull(contacts.mergedIntoId), sql`lower(${contacts.name}) = lower(${self.name})`))
    .limit(50);
  const open = candidates.filter((c) => c.dismissed === null).map((c) => c.contact);
  if (open.length === 0) return [];
  const ids = await db
    .select()
    .from(contactIdentities)
    .where(and(eq(contactIdentities.workspaceId, workspaceId), inArray(contactIdentities.contactId, [contactId, ...open.map((c) => c.id)])));
  const withIds = <T extends { id: string }>(c: T) => ({ ...c, identities: ids.filter((i) => i.contactId === c.id) });
  const me = withIds(self);
  return open
    .map((c) => ({ c: withIds(c), match: matchReason(me, withIds(c)) }))
    .filter((x) => x.match !== null)
    .sort((a, b) => STRENGTH[a.match!.reason] - STRENGTH[b.match!.reason] || (b.c.lastActivityAt?.getTime() ?? 0) - (a.c.lastActivityAt?.getTime() ?? 0))
    .slice(0, limit)
    .map(({ c, match }) => ({ contact: contactDto(c, c.identities), reason: match!.reason, detail: match!.detail ?? null }));
}

/** "Not the same person": this pair is never suggested again (in either direction). */
export async function dismissMergeSuggestion(db: Db, actor: Actor, contactId: string, otherContactId: string): Promise<void> {
  const [a, b] = [contactId, otherContactId].sort() as [string, string];
  const [other] = await db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, otherContactId)));
  if (!other) throw notFound('contact');
  await db.insert(mergeSuggestionDismissals).values({ workspaceId: actor.workspaceId, contactId: a, otherContactId: b, dismissedBy: actor.userId }).onConflictDoNothing();
}
