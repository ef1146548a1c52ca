DROP INDEX "conversations_inbox_list_idx";--> statement-breakpoint
DROP INDEX "conversations_status_list_idx";--> statement-breakpoint
DROP INDEX "conversations_assignee_list_idx";--> statement-breakpoint
DROP INDEX "conversations_team_list_idx";--> statement-breakpoint
DROP INDEX "conversations_contact_idx";--> statement-breakpoint
CREATE INDEX "conversations_activity_idx" ON "conversations" USING btree ("workspace_id","last_activity_at","id");--> statement-breakpoint
CREATE INDEX "conversations_inbox_list_idx" ON "conversations" USING btree ("workspace_id","inbox_id","status","last_activity_at","id");--> statement-breakpoint
CREATE INDEX "conversations_status_list_idx" ON "conversations" USING btree ("workspace_id","status","last_activity_at","id");--> statement-breakpoint
CREATE INDEX "conversations_assignee_list_idx" ON "conversations" USING btree ("workspace_id","assignee_id","status","last_activity_at","id");--> statement-breakpoint
CREATE INDEX "conversations_team_list_idx" ON "conversations" USING btree ("workspace_id","team_id","status","last_activity_at","id");--> statement-breakpoint
CREATE INDEX "conversations_contact_idx" ON "conversations" USING btree ("workspace_id","contact_id","last_activity_at");