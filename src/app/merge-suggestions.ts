import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { contactIdentities, contacts } from '../store/schema';
import type { ContactDto } from '../shared/api';
import { contactDto } from './dto';

/** Identity kinds that name a channel account (not an address that would already have matched exactly). */
const CHANNEL_KINDS = new Set(['whatsapp', 'messenger', 'instagram', 'telegram', 'widget', 'email', 'phone']);

/**
 * Contacts that are probably the same person reached through another channel: the same (non-empty) name, and
 * no channel in common (two contacts on the same channel are two accounts, not one person switching channels).
 * A suggestion only: an agent confirms it with the merge preview and the merge itself.
 */
export async function mergeSuggestions(db: Db, workspaceId: string, contactId: string, limit = 5): Promise<{ contact: ContactDto; reason: 'same_name' }[]> {
  const [self] = await db.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
  const name = self?.name.trim();
  if (!self || !name || name.length < 3) return [];
  const candidates = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), ne(contacts.id, contactId), isNull(contacts.mergedIntoId), sql`lower(${contacts.name}) = lower(${name})`))
    .limit(20);
  if (candidates.length === 0) return [];
  const ids = await db
    .select()
    .from(contactIdentities)
    .where(and(eq(contactIdentities.workspaceId, workspaceId), inArray(contactIdentities.contactId, [contactId, ...candidates.map((c) => c.id)])));
  const kindsOf = (id: string) => new Set(ids.filter((i) => i.contactId === id && CHANNEL_KINDS.has(i.kind)).map((i) => i.kind));
  const mine = kindsOf(contactId);
  return candidates
    .filter((c) => ![...kindsOf(c.id)].some((k) => mine.has(k)))
    .slice(0, limit)
    .map((c) => ({ contact: contactDto(c, ids.filter((i) => i.contactId === c.id)), reason: 'same_name' as const }));
}
