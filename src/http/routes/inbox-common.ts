import { z } from 'zod';

/** What every route under /api/v1/inboxes/:inboxId shares: its OpenAPI tag, its path parameter, and the shape of a connection check. */
export const inboxTags = ['Inboxes'];
export const inboxParams = z.object({ inboxId: z.string() });
export const connectionCheckSchema = z.union([z.object({ ok: z.literal(true), detail: z.string().nullable() }), z.object({ ok: z.literal(false), code: z.string(), message: z.string() })]);
