import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { contactIdentities, contacts } from '../store/schema';
import type { IdentityKind } from '../store/schema';
import { normalizeIdentity } from '../domain/identity';
import { invalid } from '../shared/errors';
import type { Runtime } from '../shared/runtime';
import type { ContactRow } from './dto';

export interface IdentityInput {
  kind: IdentityKind;
  value: string;
  /** Proven by the channel itself (the message came from it, or a signed widget identity). */
  verified?: boolean;
}

export interface ContactInput {
  /** The first identity is the channel's own (the one the message came from) and decides the contact. */
  identities: IdentityInput[];
  name?: string;
  avatarUrl?: string;
}

export interface ResolvedContact {
  contact: ContactRow;
  created: boolean;
  /** The conversation lock of `lockConversationsIn` is held for this contact (taken while looking it up). */
  locked: boolean;
}

/**
 * The transaction lock that serializes decisions about one contact's conversations in one inbox (so two messages
 * arriving at once cannot both open a conversation). The key is the same whether taken here or in SQL below.
 */
export const conversationLockKey = (inboxId: string, contactId: string) => `${inboxId}:${contactId}`;

export async function lockContactConversations(tx: Db, inboxId: string, contactId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${conversationLockKey(inboxId, contactId)}, 0))`);
}

/**
 * Finds the contact an inbound message belongs to by its identities, or creates it. Identity values are
 * normalized first, so "+31 6 1234 5678" by SMS and "31612345678" from WhatsApp are one customer.
 * Uniqueness is guaranteed by the (workspace, kind, value) key, not by looking first.
 */
export async function resolveContact(
  tx: Db,
  runtime: Runtime,
  workspaceId: string,
  input: ContactInput,
  opts: { lockConversationsIn?: string } = {},
): Promise<ResolvedContact> {
  const identities = normalizeAll(input.identities);
  const primary = identities[0]!;
  const matchOn = or(...identities.map((i) => and(eq(contactIdentities.kind, i.kind), eq(contactIdentities.value, i.value))));
  // Identities and their contact in one round trip: this runs for every inbound message. The conversation lock
  // of a known contact is taken in the same statement, which saves ingest a round trip.
  const lock = opts.lockConversationsIn
    ? sql<string>`pg_advisory_xact_lock(hashtextextended(${opts.lockConversationsIn}::text || ':' || ${contactIdentities.contactId}::text, 0))::text`
    : sql<string>`null`;
  const known = await tx
    .select({ contactId: contactIdentities.contactId, kind: contactIdentities.kind, value: contactIdentities.value, contact: contacts, lock })
    .from(contactIdentities)
    .innerJoin(contacts, and(eq(contacts.workspaceId, contactIdentities.workspaceId), eq(contacts.id, contactIdentities.contactId)))
    .where(and(eq(contactIdentities.workspaceId, workspaceId), matchOn))
    .orderBy(contactIdentities.contactId);
  const byPrimary = known.find((k) => k.kind === primary.kind && k.value === primary.value);
  let contactId = byPrimary?.contactId ?? known[0]?.contactId;
  let created = false;

  let inserted: ContactRow | undefined;
  if (!contactId) {
    contactId = runtime.id();
    const email = identities.find((i) => i.kind === 'email')?.value ?? null;
    const phone = identities.find((i) => i.kind === 'phone')?.value ?? null;
    [inserted] = await tx
      .insert(contacts)
      .values({
        workspaceId,
        id: contactId,
        name: cleanName(input.name) ?? '',
        email,
        phone,
        avatarUrl: input.avatarUrl ?? null,
        lastActivityAt: runtime.now(),
      })
      .returning();
    created = true;
    // The primary identity decides who wins when two messages of a new customer race: the loser's new
    // contact is removed again inside its own transaction and it joins the winner's contact.
    const [claimed] = await tx
      .insert(contactIdentities)
      .values({ workspaceId, id: runtime.id(), contactId, kind: primary.kind, value: primary.value, verified: primary.verified })
      .onConflictDoUpdate({
        target: [contactIdentities.workspaceId, contactIdentities.kind, contactIdentities.value],
        set: { kind: sql`excluded.kind` },
      })
      .returning({ contactId: contactIdentities.contactId });
    if (claimed!.contactId !== contactId) {
      await tx.delete(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
      contactId = claimed!.contactId;
      created = false;
      inserted = undefined;
    }
  }

  const locked = () => !!opts.lockConversationsIn && known.some((k) => k.contactId === contactId);
  const missing = identities.filter((i) => !(created && i === primary) && !known.some((k) => k.kind === i.kind && k.value === i.value));
  if (missing.length > 0) {
    await tx
      .insert(contactIdentities)
      .values(missing.map((i) => ({ workspaceId, id: runtime.id(), contactId: contactId!, kind: i.kind, value: i.value, verified: i.verified })))
      .onConflictDoNothing();
  }

  const contact = inserted ?? known.find((k) => k.contactId === contactId)?.contact ??
    (await tx.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId))))[0];
  if (!created) {
    // Fill blanks only: what an agent typed or a verified source said is never overwritten by an inbound message.
    const patch: Partial<ContactRow> = {};
    const name = cleanName(input.name);
    if (!contact!.name && name) patch.name = name;
    if (!contact!.email) patch.email = identities.find((i) => i.kind === 'email')?.value ?? null;
    if (!contact!.phone) patch.phone = identities.find((i) => i.kind === 'phone')?.value ?? null;
    if (!contact!.avatarUrl && input.avatarUrl) patch.avatarUrl = input.avatarUrl;
    for (const k of Object.keys(patch) as (keyof ContactRow)[]) if (patch[k] == null) delete patch[k];
    if (Object.keys(patch).length > 0) {
      const [updated] = await tx
        .update(contacts)
        .set({ ...patch, updatedAt: runtime.now() })
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)))
        .returning();
      return { contact: updated!, created, locked: locked() };
    }
  }
  return { contact: contact!, created, locked: locked() };
}

function normalizeAll(input: IdentityInput[]): Required<IdentityInput>[] {
  if (input.length === 0) throw invalid('contact', 'needs at least one identity (identifier, e-mail or phone)');
  const out: Required<IdentityInput>[] = [];
  input.forEach((identity, index) => {
    const n = normalizeIdentity(identity.kind, identity.value);
    if (!n.ok) {
      // The channel's own identity must be valid; extra ones (a phone number typed in a form) are dropped.
      if (index === 0) throw invalid(`contact.${identity.kind}`, n.message);
      return;
    }
    if (!out.some((o) => o.kind === identity.kind && o.value === n.value)) {
      out.push({ kind: identity.kind, value: n.value, verified: identity.verified ?? false });
    }
  });
  return out;
}

function cleanName(name: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex
  const cleaned = name?.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 200);
  return cleaned || undefined;
}

/** Contacts by id within a workspace (used by merge and the API). */
export async function contactsByIds(tx: Db, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return tx.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, ids)));
}
