CREATE TABLE "widget_presence" (
	"workspace_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"connected" boolean DEFAULT false NOT NULL,
	CONSTRAINT "widget_presence_workspace_id_inbox_id_contact_id_pk" PRIMARY KEY("workspace_id","inbox_id","contact_id")
);
--> statement-breakpoint
ALTER TABLE "widget_presence" ADD CONSTRAINT "widget_presence_workspace_id_contact_id_contacts_workspace_id_id_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;