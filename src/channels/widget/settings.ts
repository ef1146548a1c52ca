import { z } from 'zod';

/** An origin as browsers send it: scheme://host[:port], nothing more. */
export const originSchema = z
  .string()
  .max(300)
  .transform((s) => s.trim().replace(/\/+$/, '').toLowerCase())
  .pipe(z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'must be an origin like https://www.example.com'));

const localized = z.object({ nl: z.string().max(500).optional(), en: z.string().max(500).optional() });

export const widgetSettingsSchema = z.object({
  /** Sites that may embed this widget; everything else is refused. */
  allowedOrigins: z.array(originSchema).min(1).max(50),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f6feb').default('#1f6feb'),
  position: z.enum(['right', 'left']).default('right'),
  greeting: localized.default({}),
  /** `auto` follows the host page's lang attribute. */
  language: z.enum(['auto', 'nl', 'en']).default('auto'),
  /**
   * Business hours are no longer a widget setting: every inbox has one business calendar (time zone, Dutch
   * public holidays) shared with the handling-time promises. Refused with a pointer rather than dropped unseen.
   */
  businessHours: z
    .unknown()
    .refine(() => false, 'business hours are set per inbox with PUT /api/v1/inboxes/{id}/business-hours')
    .optional(),
  /** Ask name and e-mail before the first message. */
  preChatForm: z.enum(['off', 'optional', 'required']).default('off'),
  /** Ask for a rating (1–5 and a comment) after the conversation is resolved. */
  csat: z.boolean().default(true),
  /**
   * A visitor who left an e-mail address gets an agent's chat reply by e-mail only when they did not see it in
   * the widget and have been away this long; replies within this time go out together in one mail.
   */
  emailAfterAwaySeconds: z.number().int().min(0).max(86_400).default(120),
  bot: z.object({ enabled: z.boolean().default(false), threshold: z.number().min(0.1).max(1).default(0.6) }).default({ enabled: false, threshold: 0.6 }),
});
export type WidgetSettings = z.output<typeof widgetSettingsSchema>;

export const widgetSecretsSchema = z.object({
  /** Key of HMAC-SHA256(identitySecret, identifier) for logged-in visitors. */
  identitySecret: z.string().min(16).max(200).optional(),
});
export type WidgetSecrets = z.output<typeof widgetSecretsSchema>;

/** Stored settings; a not-yet-migrated `businessHours` (see app/data-migrations.ts) is ignored, not fatal. */
export function readWidgetSettings(raw: Record<string, unknown>): WidgetSettings {
  const { businessHours: _legacy, ...rest } = raw;
  return widgetSettingsSchema.parse(rest);
}
