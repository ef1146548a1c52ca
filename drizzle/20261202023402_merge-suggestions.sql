CREATE TABLE "merge_suggestion_dismissals" (
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"other_contact_id" uuid NOT NULL,
	"dismissed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merge_suggestion_dismissals_workspace_id_contact_id_other_contact_id_pk" PRIMARY KEY("workspace_id","contact_id","other_contact_id")
);
--> statement-breakpoint
ALTER TABLE "merge_suggestion_dismissals" ADD CONSTRAINT "merge_suggestion_dismissals_workspace_id_contact_id_contacts_workspace_id_id_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_suggestion_dismissals" ADD CONSTRAINT "merge_suggestion_dismissals_workspace_id_other_contact_id_contacts_workspace_id_id_fk" FOREIGN KEY ("workspace_id","other_contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contacts_name_idx" ON "contacts" USING btree ("workspace_id",lower("name"));