CREATE TABLE "email_imap_state" (
	"workspace_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"mailbox" text NOT NULL,
	"uid_validity" text NOT NULL,
	"last_uid" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_polled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_imap_state_workspace_id_inbox_id_mailbox_pk" PRIMARY KEY("workspace_id","inbox_id","mailbox")
);
--> statement-breakpoint
CREATE TABLE "email_raw_messages" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"message_key" text NOT NULL,
	"source" text NOT NULL,
	"envelope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"raw" "bytea",
	"raw_sha256" text,
	"size" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"message_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "email_raw_messages_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "email_thread_keys" (
	"workspace_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"key" text NOT NULL,
	"conversation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_thread_keys_workspace_id_inbox_id_key_pk" PRIMARY KEY("workspace_id","inbox_id","key")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "email_raw_messages_key" ON "email_raw_messages" USING btree ("workspace_id","inbox_id","message_key");--> statement-breakpoint
CREATE INDEX "email_raw_messages_pending_idx" ON "email_raw_messages" USING btree ("created_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "email_raw_messages_quarantine_idx" ON "email_raw_messages" USING btree ("workspace_id","inbox_id","created_at") WHERE status = 'quarantined';
--> statement-breakpoint
-- custom SQL (keep when regenerating)
CREATE INDEX "inboxes_email_address_idx" ON "inboxes" USING btree (lower("settings"->>'address')) WHERE kind = 'email' AND archived_at IS NULL;
