CREATE TABLE "call_nudges" (
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"round" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"shown_at" timestamp with time zone NOT NULL,
	CONSTRAINT "call_nudges_workspace_id_conversation_id_round_pk" PRIMARY KEY("workspace_id","conversation_id","round")
);
--> statement-breakpoint
ALTER TABLE "callback_requests" ADD COLUMN "window_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "call_nudges" ADD CONSTRAINT "call_nudges_workspace_id_conversation_id_conversations_workspace_id_id_fk" FOREIGN KEY ("workspace_id","conversation_id") REFERENCES "public"."conversations"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_nudges_shown_idx" ON "call_nudges" USING btree ("workspace_id","shown_at");--> statement-breakpoint
CREATE INDEX "callback_requests_due_idx" ON "callback_requests" USING btree ("workspace_id","due_at");