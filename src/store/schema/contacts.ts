import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts, tsvector, updatedAt, workspaceId } from './columns';
import { workspaces } from './tenancy';

export const contacts = pgTable(
  'contacts',
  {
    workspaceId: workspaceId().references(() => workspaces.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull().default(''),
    /** Display copies of the primary e-mail and phone; the identities table is the source of truth for matching. */
    email: text('email'),
    phone: text('phone'),
    avatarUrl: text('avatar_url'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    /** Set when this contact was merged into another one; kept so old links resolve and the merge can be audited. */
    mergedIntoId: uuid('merged_into_id'),
    lastActivityAt: ts('last_activity_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    searchText: text('search_text').generatedAlwaysAs(
      sql`public.balie_search_text(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, ''))`,
    ),
    fts: tsvector('fts').generatedAlwaysAs(
      sql`to_tsvector('public.balie_nl'::regconfig, coalesce(name, '') || ' ' || coalesce(email, '')) || to_tsvector('public.balie_en'::regconfig, coalesce(name, '') || ' ' || coalesce(email, ''))`,
    ),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('contacts_activity_idx').on(t.workspaceId, t.lastActivityAt.desc()),
    index('contacts_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('contacts_fts_idx').using('gin', t.fts),
    // Merge suggestions look for other contacts with the same name.
    index('contacts_name_idx').on(t.workspaceId, sql`lower(${t.name})`),
  ],
);

export const identityKinds = ['email', 'phone', 'whatsapp', 'messenger', 'instagram', 'telegram', 'widget', 'external'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** How inbound traffic finds its contact: (kind, normalized value) is unique per workspace. */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    workspaceId: workspaceId(),
    id: uuid('id').notNull(),
    contactId: uuid('contact_id').notNull(),
    kind: text('kind', { enum: identityKinds }).notNull(),
    value: text('value').notNull(),
    /** Proven by the channel (a signed widget identity, an inbound message from it), not merely typed in. */
    verified: boolean('verified').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('contact_identities_value_key').on(t.workspaceId, t.kind, t.value),
    index('contact_identities_contact_idx').on(t.workspaceId, t.contactId),
    index('contact_identities_trgm_idx').using('gin', sql`${t.value} gin_trgm_ops`),
    foreignKey({ columns: [t.workspaceId, t.contactId], foreignColumns: [contacts.workspaceId, contacts.id] }).onDelete('cascade'),
  ],
);

/**
 * A merge suggestion an agent dismissed ("not the same person"): never suggested again for this pair. The pair
 * is stored once, smaller id first; erasing either contact removes the row.
 */
export const mergeSuggestionDismissals = pgTable(
  'merge_suggestion_dismissals',
  {
    workspaceId: workspaceId(),
    contactId: uuid('contact_id').notNull(),
    otherContactId: uuid('other_contact_id').notNull(),
    dismissedBy: uuid('dismissed_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId, t.otherContactId] }),
    foreignKey({ columns: [t.workspaceId, t.contactId], foreignColumns: [contacts.workspaceId, contacts.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.otherContactId], foreignColumns: [contacts.workspaceId, contacts.id] }).onDelete('cascade'),
  ],
);

export const mergeEvidenceReasons = ['confirmed_email'] as const;
export type MergeEvidenceReason = (typeof mergeEvidenceReasons)[number];

/**
 * Proof that two contacts are probably one person, found when it happened rather than guessed from names: a
 * widget visitor confirmed (by the link, or the site's signed identity) an e-mail address another contact
 * already owns. The address stays with its owner — nothing moves — and the pair is offered as a merge
 * suggestion until an agent merges or dismisses it. The pair is stored once, smaller id first.
 */
export const mergeSuggestionEvidence = pgTable(
  'merge_suggestion_evidence',
  {
    workspaceId: workspaceId(),
    contactId: uuid('contact_id').notNull(),
    otherContactId: uuid('other_contact_id').notNull(),
    reason: text('reason', { enum: mergeEvidenceReasons }).notNull(),
    /** What both share, e.g. the e-mail address. */
    detail: text('detail').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId, t.otherContactId, t.reason] }),
    index('merge_suggestion_evidence_other_idx').on(t.workspaceId, t.otherContactId),
    foreignKey({ columns: [t.workspaceId, t.contactId], foreignColumns: [contacts.workspaceId, contacts.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.workspaceId, t.otherContactId], foreignColumns: [contacts.workspaceId, contacts.id] }).onDelete('cascade'),
  ],
);
