CREATE TABLE "agreements" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"source" text DEFAULT 'phone' NOT NULL,
	"summary" text NOT NULL,
	"next_step" text DEFAULT '' NOT NULL,
	"due_at" timestamp with time zone,
	"status" text DEFAULT 'proposed' NOT NULL,
	"correction" text,
	"responded_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreements_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "callback_requests" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"preferred_time" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"source" text DEFAULT 'status_page' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "callback_requests_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_links" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_opened_at" timestamp with time zone,
	CONSTRAINT "case_links_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "certainty_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link_key" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_promises" (
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"label" text,
	"made_at" timestamp with time zone NOT NULL,
	"first_response_due_at" timestamp with time zone NOT NULL,
	"resolution_due_at" timestamp with time zone NOT NULL,
	"basis" text NOT NULL,
	"sample_size" integer NOT NULL,
	"text" text NOT NULL,
	"locale" text NOT NULL,
	"state" text DEFAULT 'on_track' NOT NULL,
	"state_changed_at" timestamp with time zone NOT NULL,
	"revisions" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_promises_workspace_id_conversation_id_pk" PRIMARY KEY("workspace_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "incident_broadcasts" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"texts" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"targeted" integer DEFAULT 0 NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "incident_broadcasts_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "incident_conversations" (
	"workspace_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_conversations_workspace_id_incident_id_conversation_id_pk" PRIMARY KEY("workspace_id","incident_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "incident_notices" (
	"workspace_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"broadcast_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"conversation_id" uuid,
	"message_id" uuid,
	"status" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_notices_workspace_id_broadcast_id_contact_id_pk" PRIMARY KEY("workspace_id","broadcast_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"scenario" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"texts" jsonb NOT NULL,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"segment" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"label" text NOT NULL,
	"declared_by" uuid,
	"declared_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "promise_stats" (
	"workspace_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"first_response_ms" bigint NOT NULL,
	"resolution_ms" bigint NOT NULL,
	"sample_size" integer NOT NULL,
	"basis" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "promise_stats_workspace_id_inbox_id_label_pk" PRIMARY KEY("workspace_id","inbox_id","label")
);
--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_requests" ADD CONSTRAINT "callback_requests_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_links" ADD CONSTRAINT "case_links_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certainty_settings" ADD CONSTRAINT "certainty_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_promises" ADD CONSTRAINT "conversation_promises_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_conversations" ADD CONSTRAINT "incident_conversations_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreements_conversation_idx" ON "agreements" USING btree ("workspace_id","conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "callback_requests_open_idx" ON "callback_requests" USING btree ("workspace_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "case_links_token_key" ON "case_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "case_links_conversation_idx" ON "case_links" USING btree ("workspace_id","conversation_id");--> statement-breakpoint
CREATE INDEX "conversation_promises_open_idx" ON "conversation_promises" USING btree ("first_response_due_at") WHERE state in ('on_track', 'at_risk', 'will_miss');--> statement-breakpoint
CREATE INDEX "incident_broadcasts_incident_idx" ON "incident_broadcasts" USING btree ("workspace_id","incident_id","created_at");--> statement-breakpoint
CREATE INDEX "incident_conversations_conversation_idx" ON "incident_conversations" USING btree ("workspace_id","conversation_id");--> statement-breakpoint
CREATE INDEX "incident_notices_incident_idx" ON "incident_notices" USING btree ("workspace_id","incident_id");--> statement-breakpoint
CREATE INDEX "incidents_active_idx" ON "incidents" USING btree ("workspace_id") WHERE status = 'active';