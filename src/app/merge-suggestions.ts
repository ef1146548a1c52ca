import { and, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { contactIdentities, contacts, mergeSuggestionDismissals, mergeSuggestionEvidence, type MergeEvidenceReason } from '../store/schema';
import type { MergeSuggestionDto } from '../shared/api';
import { matchReason, normalizeName, type MatchReason } from '../domain/merge-match';
import { notFound } from '../shared/errors';
import type { Actor } from './context';
import { contactDto } from './dto';

const STRENGTH: Record<MatchReason, number> = { same_name_phone: 0, same_name_domain: 1, same_name: 2 };

/**
 * Records that two contacts are probably one person because of something that happened (see
 * `mergeSuggestionEvidence`): from now on each is suggested on the other's page until merged or dismissed.
 */
export async function recordMergeEvidence(tx: Db, workspaceId: string, contactId: string, otherContactId: string, reason: MergeEvidenceReason, detail: string) {
  if (contactId === otherContactId) return;
  const [a, b] = [contactId, otherContactId].sort() as [string, string];
  await tx.insert(mergeSuggestionEvidence).values({ workspaceId, contactId: a, otherContactId: b, reason, detail }).onConflictDoNothing();
}

/** The contacts recorded evidence pairs with this one (not dismissed, not merged away), newest first. */
async function evidenceSuggestions(db: Db, workspaceId: string, contactId: string) {
  const rows = await db
    .select({ e: mergeSuggestionEvidence, dismissed: mergeSuggestionDismissals.createdAt })
    .from(mergeSuggestionEvidence)
    .leftJoin(
      mergeSuggestionDismissals,
      and(
        eq(mergeSuggestionDismissals.workspaceId, mergeSuggestionEvidence.workspaceId),
        eq(mergeSuggestionDismissals.contactId, mergeSuggestionEvidence.contactId),
        eq(mergeSuggestionDismissals.otherContactId, mergeSuggestionEvidence.otherContactId),
      ),
    )
    .where(and(eq(mergeSuggestionEvidence.workspaceId, workspaceId), or(eq(mergeSuggestionEvidence.contactId, contactId), eq(mergeSuggestionEvidence.otherContactId, contactId))))
    .orderBy(desc(mergeSuggestionEvidence.createdAt))
    .limit(20);
  const open = rows.filter((r) => r.dismissed === null).map((r) => ({ otherId: r.e.contactId === contactId ? r.e.otherContactId : r.e.contactId, reason: r.e.reason, detail: r.e.detail }));
  if (open.length === 0) return [];
  const others = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, [...new Set(open.map((o) => o.otherId))]), isNull(contacts.mergedIntoId)));
  return open.flatMap((o) => {
    const c = others.find((x) => x.id === o.otherId);
    return c ? [{ contact: c, reason: o.reason, detail: o.detail }] : [];
  });
}


/**
 * Contacts that are probably the same person: first those recorded evidence pairs with this one (an e-mail
 * address confirmed by one and owned by the other), then by `matchReason`: same name plus the same phone number
 * or company e-mail domain, or the same name on another channel. A suggestion only: the agent reviews it in the
 * merge preview and merges, or dismisses it for good.
 */
export async function mergeSuggestions(db: Db, workspaceId: string, contactId: string, limit = 5): Promise<MergeSuggestionDto[]> {
  const [self] = await db.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
  if (!self || self.mergedIntoId) return [];
  const proven = await evidenceSuggestions(db, workspaceId, contactId);
  const guessed = await nameSuggestions(db, self, limit);
  const seen = new Set<string>();
  const all = [...proven, ...guessed].filter((s) => !seen.has(s.contact.id) && !!seen.add(s.contact.id)).slice(0, limit);
  if (all.length === 0) return [];
  const ids = await db
    .select()
    .from(contactIdentities)
    .where(and(eq(contactIdentities.workspaceId, workspaceId), inArray(contactIdentities.contactId, all.map((s) => s.contact.id))));
  return all.map((s) => ({ contact: contactDto(s.contact, ids.filter((i) => i.contactId === s.contact.id)), reason: s.reason, detail: s.detail ?? null }));
}

async function nameSuggestions(db: Db, self: typeof contacts.$inferSelect, limit: number) {
  const { workspaceId, id: contactId } = self;
  if (normalizeName(self.name).length < 3) return [];
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
    .map(({ c, match }) => ({ contact: c, reason: match!.reason as MatchReason | MergeEvidenceReason, detail: match!.detail ?? null }));
}

/** "Not the same person": this pair is never suggested again (in either direction). */
export async function dismissMergeSuggestion(db: Db, actor: Actor, contactId: string, otherContactId: string): Promise<void> {
  const [a, b] = [contactId, otherContactId].sort() as [string, string];
  const [other] = await db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, otherContactId)));
  if (!other) throw notFound('contact');
  await db.insert(mergeSuggestionDismissals).values({ workspaceId: actor.workspaceId, contactId: a, otherContactId: b, dismissedBy: actor.userId }).onConflictDoNothing();
}
