CREATE TABLE "merge_suggestion_evidence" (
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"other_contact_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"detail" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merge_suggestion_evidence_workspace_id_contact_id_other_contact_id_reason_pk" PRIMARY KEY("workspace_id","contact_id","other_contact_id","reason")
);
--> statement-breakpoint
ALTER TABLE "merge_suggestion_evidence" ADD CONSTRAINT "merge_suggestion_evidence_workspace_id_contact_id_contacts_workspace_id_id_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_suggestion_evidence" ADD CONSTRAINT "merge_suggestion_evidence_workspace_id_other_contact_id_contacts_workspace_id_id_fk" FOREIGN KEY ("workspace_id","other_contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "merge_suggestion_evidence_other_idx" ON "merge_suggestion_evidence" USING btree ("workspace_id","other_contact_id");--> statement-breakpoint
-- custom SQL (keep when regenerating)
-- An address a widget visitor only typed used to become an unverified e-mail identity at once, so its real owner's
-- ordinary mail landed on the visitor's contact. Those identities go (the address stays shown on the contact, and
-- one the visitor confirmed by the link is verified and stays). Recognised by the widget's own provenance record.
DELETE FROM "contact_identities" i
USING "contacts" c
WHERE i."workspace_id" = c."workspace_id" AND i."contact_id" = c."id"
  AND i."kind" = 'email' AND i."verified" = false
  AND c."attributes" -> 'widget' -> 'values' ->> 'email' = i."value"
  AND EXISTS (
    SELECT 1 FROM "contact_identities" w
    WHERE w."workspace_id" = c."workspace_id" AND w."contact_id" = c."id" AND w."kind" IN ('widget', 'external')
  );
