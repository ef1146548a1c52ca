CREATE TABLE "widget_connections" (
	"workspace_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "widget_connections_workspace_id_connection_id_pk" PRIMARY KEY("workspace_id","connection_id")
);
--> statement-breakpoint
ALTER TABLE "widget_connections" ADD CONSTRAINT "widget_connections_workspace_id_contact_id_contacts_workspace_id_id_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "widget_connections_visitor_idx" ON "widget_connections" USING btree ("workspace_id","inbox_id","contact_id");--> statement-breakpoint
ALTER TABLE "widget_presence" DROP COLUMN "connected";