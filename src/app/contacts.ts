import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db';
import { attachments, contactIdentities, contacts, conversations, inboxes, messages } from '../store/schema';
import { normalizeIdentity } from '../domain/identity';
import { AppError, conflict, invalid, notFound } from '../shared/errors';
import type { ContactDto } from '../shared/api';
import { isAdmin, type Actor, type Deps } from './context';
import { contactDto, conversationDto, type ContactRow } from './dto';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from './cursor';
import { visibleConversations, likeEscape } from './conversation-list';
import { messageViews } from './messages';
import { withOutbox } from './outbox';
import { scopeOf } from './conversations';
import { audit } from './audit';

export async function contactView(tx: Db, row: ContactRow): Promise<ContactDto> {
  const ids = await tx
    .select()
    .from(contactIdentities)
    .where(and(eq(contactIdentities.workspaceId, row.workspaceId), eq(contactIdentities.contactId, row.id)))
    .orderBy(asc(contactIdentities.createdAt));
  return contactDto(row, ids);
}

export async function getContact(tx: Db, workspaceId: string, id: string): Promise<ContactRow> {
  const [row] = await tx.select().from(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
  if (!row) throw notFound('contact');
  return row;
}

function normalized(kind: 'email' | 'phone' | 'external', value: string, field: string) {
  const n = normalizeIdentity(kind, value);
  if (!n.ok) throw invalid(field, n.message);
  return n.value;
}

async function claimIdentity(tx: Db, deps: Deps, workspaceId: string, contactId: string, kind: 'email' | 'phone' | 'external', value: string, field: string) {
  const [row] = await tx
    .insert(contactIdentities)
    .values({ workspaceId, id: deps.runtime.id(), contactId, kind, value })
    .onConflictDoNothing()
    .returning({ id: contactIdentities.id });
  if (!row) {
    const [owner] = await tx
      .select({ contactId: contactIdentities.contactId })
      .from(contactIdentities)
      .where(and(eq(contactIdentities.workspaceId, workspaceId), eq(contactIdentities.kind, kind), eq(contactIdentities.value, value)));
    if (owner?.contactId !== contactId) {
      throw new AppError('conflict', 'identity_taken', `${field}: another contact already has ${value}; merge the two contacts instead.`, {
        fields: [{ path: field, message: 'belongs to another contact' }],
        contactId: owner?.contactId,
      });
    }
  }
}

export async function createContact(
  deps: Deps,
  actor: Actor,
  input: { name: string; email?: string; phone?: string; identifier?: string; avatarUrl?: string; attributes?: Record<string, unknown> },
): Promise<ContactDto> {
  const email = input.email ? normalized('email', input.email, 'email') : null;
  const phone = input.phone ? normalized('phone', input.phone, 'phone') : null;
  const identifier = input.identifier ? normalized('external', input.identifier, 'identifier') : null;
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const id = deps.runtime.id();
    const now = deps.runtime.now();
    const [row] = await tx
      .insert(contacts)
      .values({ workspaceId: actor.workspaceId, id, name: input.name, email, phone, avatarUrl: input.avatarUrl ?? null, attributes: input.attributes ?? {}, createdAt: now, updatedAt: now })
      .returning();
    if (email) await claimIdentity(tx, deps, actor.workspaceId, id, 'email', email, 'email');
    if (phone) await claimIdentity(tx, deps, actor.workspaceId, id, 'phone', phone, 'phone');
    if (identifier) await claimIdentity(tx, deps, actor.workspaceId, id, 'external', identifier, 'identifier');
    const view = await contactView(tx, row!);
    out.event('contact.created', { contactId: id }, { contact: view });
    return view;
  });
}

export async function updateContact(
  deps: Deps,
  actor: Actor,
  contactId: string,
  input: { name?: string; email?: string | null; phone?: string | null; avatarUrl?: string | null; attributes?: Record<string, unknown> },
): Promise<ContactDto> {
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const current = await getContact(tx, actor.workspaceId, contactId);
    if (current.mergedIntoId) throw conflict('contact_merged', 'This contact was merged into another one.');
    const patch: Partial<ContactRow> = { updatedAt: deps.runtime.now() };
    if (input.name !== undefined) patch.name = input.name;
    if (input.avatarUrl !== undefined) patch.avatarUrl = input.avatarUrl;
    if (input.attributes !== undefined) {
      const merged = { ...current.attributes, ...input.attributes };
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      patch.attributes = merged;
    }
    if (input.email !== undefined) {
      patch.email = input.email ? normalized('email', input.email, 'email') : null;
      // Saving the form unchanged is no claim: the address shown may be one a widget visitor only typed, which
      // must not become an identity (mail from it would land here) until its mailbox confirms it.
      if (patch.email && patch.email !== current.email) await claimIdentity(tx, deps, actor.workspaceId, contactId, 'email', patch.email, 'email');
    }
    if (input.phone !== undefined) {
      patch.phone = input.phone ? normalized('phone', input.phone, 'phone') : null;
      if (patch.phone) await claimIdentity(tx, deps, actor.workspaceId, contactId, 'phone', patch.phone, 'phone');
    }
    const [row] = await tx
      .update(contacts)
      .set(patch)
      .where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, contactId)))
      .returning();
    const view = await contactView(tx, row!);
    out.event('contact.updated', { contactId }, { contact: view });
    return view;
  });
}

/** Removes one identity (e.g. a wrongly linked e-mail address) from a contact. */
export async function removeIdentity(deps: Deps, actor: Actor, contactId: string, identityId: string): Promise<ContactDto> {
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const contact = await getContact(tx, actor.workspaceId, contactId);
    const [gone] = await tx
      .delete(contactIdentities)
      .where(and(eq(contactIdentities.workspaceId, actor.workspaceId), eq(contactIdentities.contactId, contactId), eq(contactIdentities.id, identityId)))
      .returning();
    if (!gone) throw notFound('identity');
    const view = await contactView(tx, contact);
    out.event('contact.updated', { contactId }, { contact: view });
    return view;
  });
}

export async function listContacts(tx: Db, workspaceId: string, opts: { q?: string; limit: number; cursor?: string }) {
  const where: (SQL | undefined)[] = [eq(contacts.workspaceId, workspaceId), isNull(contacts.mergedIntoId)];
  if (opts.q) {
    const q = opts.q.toLowerCase();
    where.push(
      or(
        sql`${contacts.searchText} like ${`%${likeEscape(q)}%`}`,
        sql`exists (select 1 from contact_identities i where i.workspace_id = ${contacts.workspaceId} and i.contact_id = ${contacts.id} and i.value like ${`%${likeEscape(q)}%`})`,
      ),
    );
  }
  const c = opts.cursor ? decodeCursor(opts.cursor, ['k', 'i']) : null;
  if (c) where.push(sql`(${contacts.createdAt}, ${contacts.id}) < (${cursorDate(c.k)}, ${cursorUuid(c.i)})`);
  const rows = await tx
    .select()
    .from(contacts)
    .where(and(...where))
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const ids = page.map((r) => r.id);
  const identities = ids.length
    ? await tx.select().from(contactIdentities).where(and(eq(contactIdentities.workspaceId, workspaceId), inArray(contactIdentities.contactId, ids)))
    : [];
  const last = page[page.length - 1];
  return {
    items: page.map((r) => contactDto(r, identities.filter((i) => i.contactId === r.id))),
    nextCursor: rows.length > opts.limit && last ? encodeCursor({ k: last.createdAt.toISOString(), i: last.id }) : null,
  };
}

/**
 * The customer's whole story across inboxes and channels, newest first: conversations and every message,
 * note and activity in them (only in inboxes the agent can see).
 */
export async function contactTimeline(tx: Db, actor: Actor, contactId: string, opts: { limit: number; cursor?: string }) {
  const c = opts.cursor ? decodeCursor(opts.cursor, ['k', 'i']) : null;
  const convs = await tx
    .select({ conversation: conversations, channel: inboxes.kind })
    .from(conversations)
    .innerJoin(inboxes, and(eq(inboxes.workspaceId, conversations.workspaceId), eq(inboxes.id, conversations.inboxId)))
    .where(and(visibleConversations(actor), eq(conversations.contactId, contactId)))
    .orderBy(desc(conversations.createdAt));
  const contact = await getContact(tx, actor.workspaceId, contactId);
  const convIds = convs.map((x) => x.conversation.id);
  type Item =
    | { type: 'conversation'; at: string; id: string; conversation: ReturnType<typeof conversationDto> }
    | { type: 'message'; at: string; id: string; message: Awaited<ReturnType<typeof messageViews>>[number]; conversationNumber: number; channel: string };
  const items: Item[] = [];
  for (const x of convs) {
    const at = x.conversation.createdAt.toISOString();
    if (!c || at < c.k || (at === c.k && x.conversation.id < c.i)) {
      items.push({ type: 'conversation', at, id: x.conversation.id, conversation: conversationDto(x.conversation, contact, x.channel) });
    }
  }
  if (convIds.length) {
    const rows = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.workspaceId, actor.workspaceId),
          inArray(messages.conversationId, convIds),
          c ? sql`(${messages.createdAt}, ${messages.id}) < (${cursorDate(c.k)}, ${cursorUuid(c.i)})` : undefined,
        ),
      )
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(opts.limit + 1);
    const views = await messageViews(tx, actor.workspaceId, rows);
    for (const m of views) {
      const conv = convs.find((x) => x.conversation.id === m.conversationId)!;
      items.push({ type: 'message', at: m.createdAt, id: m.id, message: m, conversationNumber: conv.conversation.number, channel: conv.channel });
    }
  }
  items.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
  const page = items.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    items: page,
    nextCursor: items.length > opts.limit && last ? encodeCursor({ k: last.at, i: last.id }) : null,
  };
}

export interface MergePreview {
  target: ContactDto;
  source: ContactDto;
  conversations: number;
  identities: number;
}

export async function previewMerge(tx: Db, workspaceId: string, targetId: string, sourceId: string): Promise<MergePreview> {
  const [target, source] = await Promise.all([getContact(tx, workspaceId, targetId), getContact(tx, workspaceId, sourceId)]);
  const [{ n }] = (await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.contactId, sourceId)))) as [{ n: number }];
  const sourceView = await contactView(tx, source);
  return { target: await contactView(tx, target), source: sourceView, conversations: n, identities: sourceView.identities.length };
}

/**
 * Two contacts turn out to be one person: identities, conversations and messages move to the target; the
 * source stays as a tombstone pointing at the target (old links resolve) and the merge is audited.
 */
export async function mergeContacts(deps: Deps, actor: Actor, targetId: string, sourceId: string, ip?: string): Promise<ContactDto> {
  if (targetId === sourceId) throw invalid('sourceId', 'cannot merge a contact into itself', 'merge_into_self');
  return withOutbox(deps, actor.workspaceId, async (tx, out) => {
    const ws = actor.workspaceId;
    // Lock both in a fixed order so two opposite merges cannot deadlock.
    const locked = await tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, ws), inArray(contacts.id, [targetId, sourceId])))
      .orderBy(asc(contacts.id))
      .for('update');
    const target = locked.find((r) => r.id === targetId);
    const source = locked.find((r) => r.id === sourceId);
    if (!target) throw notFound('contact');
    if (!source) throw invalid('sourceId', 'is not a contact of this workspace', 'unknown_contact');
    if (target.mergedIntoId || source.mergedIntoId) throw conflict('contact_merged', 'One of these contacts was already merged.');
    const sourceView = await contactView(tx, source);
    const now = deps.runtime.now();

    await tx.update(contactIdentities).set({ contactId: targetId }).where(and(eq(contactIdentities.workspaceId, ws), eq(contactIdentities.contactId, sourceId)));
    const moved = await tx
      .update(conversations)
      .set({ contactId: targetId, updatedAt: now })
      .where(and(eq(conversations.workspaceId, ws), eq(conversations.contactId, sourceId)))
      .returning();
    await tx
      .update(messages)
      .set({ senderId: targetId })
      .where(and(eq(messages.workspaceId, ws), eq(messages.senderType, 'contact'), eq(messages.senderId, sourceId)));

    const attributes = { ...source.attributes, ...target.attributes };
    const [merged] = await tx
      .update(contacts)
      .set({
        name: target.name || source.name,
        email: target.email ?? source.email,
        phone: target.phone ?? source.phone,
        avatarUrl: target.avatarUrl ?? source.avatarUrl,
        attributes,
        lastActivityAt: [target.lastActivityAt, source.lastActivityAt].filter(Boolean).sort((a, b) => b!.getTime() - a!.getTime())[0] ?? null,
        updatedAt: now,
      })
      .where(and(eq(contacts.workspaceId, ws), eq(contacts.id, targetId)))
      .returning();
    await tx
      .update(contacts)
      .set({ mergedIntoId: targetId, email: null, phone: null, attributes: {}, updatedAt: now })
      .where(and(eq(contacts.workspaceId, ws), eq(contacts.id, sourceId)));

    for (const conv of moved) {
      await tx.insert(messages).values({
        workspaceId: ws,
        id: deps.runtime.id(),
        conversationId: conv.id,
        inboxId: conv.inboxId,
        kind: 'activity',
        senderType: 'user',
        senderId: actor.userId,
        content: '',
        contentAttributes: { activity: 'contact_merged', fromContactId: sourceId, fromName: source.name, intoContactId: targetId, intoName: merged!.name },
        status: 'received',
        createdAt: now,
        updatedAt: now,
      });
      out.event('conversation.updated', scopeOf(conv), { conversationId: conv.id, changes: ['contact'] });
    }
    const view = await contactView(tx, merged!);
    out.event('contact.merged', { contactId: targetId }, { contact: view, mergedContactId: sourceId, movedConversationIds: moved.map((m) => m.id) });
    await audit(tx, deps, {
      workspaceId: ws,
      actor,
      action: 'contact.merged',
      targetType: 'contact',
      targetId,
      ip,
      data: { sourceId, sourceName: source.name, sourceIdentities: sourceView.identities.map((i) => `${i.kind}:${i.value}`), conversations: moved.length },
    });
    return view;
  });
}

/** GDPR: everything Balie holds about one contact, as one JSON document. */
export async function exportContact(deps: Deps, actor: Actor, contactId: string, ip?: string) {
  const tx = deps.store.db;
  const contact = await getContact(tx, actor.workspaceId, contactId);
  const convs = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.workspaceId, actor.workspaceId), eq(conversations.contactId, contactId)))
    .orderBy(asc(conversations.createdAt));
  const msgs = convs.length
    ? await tx
        .select()
        .from(messages)
        .where(and(eq(messages.workspaceId, actor.workspaceId), inArray(messages.conversationId, convs.map((c) => c.id)), ne(messages.kind, 'note')))
        .orderBy(asc(messages.createdAt))
    : [];
  const views = await messageViews(tx, actor.workspaceId, msgs);
  await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'contact.exported', targetType: 'contact', targetId: contactId, ip, data: {} });
  return {
    exportedAt: deps.runtime.now().toISOString(),
    contact: await contactView(tx, contact),
    conversations: convs.map((c) => ({
      id: c.id,
      number: c.number,
      status: c.status,
      subject: c.subject,
      createdAt: c.createdAt.toISOString(),
      messages: views.filter((m) => m.conversationId === c.id && m.kind === 'message'),
    })),
  };
}

/**
 * GDPR erasure: the contact, their identities, conversations, messages and attachment rows are deleted; files
 * no other attachment uses are removed from disk. Only the audit entry (ids, no personal data) remains.
 */
export async function eraseContact(deps: Deps, actor: Actor, contactId: string, ip?: string): Promise<{ conversations: number; files: number }> {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'forbidden', 'Only admins can erase contacts.');
  const shas: string[] = [];
  const result = await withOutbox(deps, actor.workspaceId, async (tx) => {
    await getContact(tx, actor.workspaceId, contactId);
    const convs = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, actor.workspaceId), eq(conversations.contactId, contactId)));
    const ids = convs.map((c) => c.id);
    if (ids.length) {
      const files = await tx
        .select({ sha256: attachments.sha256 })
        .from(attachments)
        .innerJoin(messages, and(eq(messages.workspaceId, attachments.workspaceId), eq(messages.id, attachments.messageId)))
        .where(and(eq(attachments.workspaceId, actor.workspaceId), inArray(messages.conversationId, ids)));
      shas.push(...new Set(files.map((f) => f.sha256)));
      await tx.delete(conversations).where(and(eq(conversations.workspaceId, actor.workspaceId), inArray(conversations.id, ids)));
    }
    // Tombstones of contacts merged into this one go too.
    await tx.delete(contacts).where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.mergedIntoId, contactId)));
    await tx.delete(contacts).where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, contactId)));
    await audit(tx, deps, { workspaceId: actor.workspaceId, actor, action: 'contact.erased', targetType: 'contact', targetId: contactId, ip, data: { conversations: ids.length } });
    return { conversations: ids.length };
  });
  let removed = 0;
  for (const sha of shas) {
    const [still] = await deps.store.db.select({ id: attachments.id }).from(attachments).where(eq(attachments.sha256, sha)).limit(1);
    if (!still) {
      await deps.files.remove(sha);
      removed++;
    }
  }
  return { ...result, files: removed };
}
