CREATE TABLE "call_rings" (
	"workspace_id" uuid NOT NULL,
	"call_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"status" text DEFAULT 'ringing' NOT NULL,
	"rung_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "call_rings_workspace_id_call_id_user_id_pk" PRIMARY KEY("workspace_id","call_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "call_webhook_events" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"event_key" text NOT NULL,
	"call_external_id" text NOT NULL,
	"step" text NOT NULL,
	"params" jsonb NOT NULL,
	"response" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_webhook_events_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"conversation_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"from_number" text NOT NULL,
	"to_number" text NOT NULL,
	"language" text NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"agent_user_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"queued_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"wait_seconds" integer,
	"talk_seconds" integer,
	"recording_external_id" text,
	"recording_url" text,
	"recording_seconds" integer,
	"recording_attachment_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calls_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "callback_requests" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "callback_requests" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "callback_requests" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "callback_requests" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "callback_requests" ADD COLUMN "last_outcome" text;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_rings_user_idx" ON "call_rings" USING btree ("workspace_id","inbox_id","user_id","rung_at");--> statement-breakpoint
CREATE UNIQUE INDEX "call_webhook_events_key" ON "call_webhook_events" USING btree ("workspace_id","inbox_id","event_key");--> statement-breakpoint
CREATE UNIQUE INDEX "calls_external_id_key" ON "calls" USING btree ("workspace_id","inbox_id","external_id");--> statement-breakpoint
CREATE INDEX "calls_conversation_idx" ON "calls" USING btree ("workspace_id","conversation_id","started_at");--> statement-breakpoint
CREATE INDEX "calls_inbox_started_idx" ON "calls" USING btree ("workspace_id","inbox_id","started_at");