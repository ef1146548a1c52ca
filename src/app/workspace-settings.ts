import { z } from 'zod';

/**
 * Workspace-level behaviour an admin can tune. Stored as JSON on the workspace; read through this schema so
 * every reader gets the same defaults. Later features add their keys here.
 */
export const workspaceSettingsSchema = z.object({
  /** A customer writing again within this many days reopens a resolved case; later it starts a follow-up. */
  reopenWindowDays: z.number().min(0).max(365).default(7),
  /** Days after which personal data of inactive contacts is erased (null: keep). */
  retentionDays: z.number().int().min(30).max(3650).nullable().default(null),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export function readWorkspaceSettings(raw: unknown): WorkspaceSettings {
  const parsed = workspaceSettingsSchema.safeParse(raw ?? {});
  // Unknown or broken stored values fall back to defaults rather than breaking ingest.
  return parsed.success ? parsed.data : workspaceSettingsSchema.parse({});
}
