import { z } from 'zod';
import type { ChannelAdapter } from '../channel';
import { twilioCall, twilioError, twilioSafe } from '../twilio/api';
import { verifyTwilio } from '../twilio/signature';
import type { IvrSettings } from './ivr';
import { defaultSlotOptions } from '../../domain/callback-slots';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a phone number in E.164 form, like +31201234567');
const texts = z.object({
  greeting: z.string().trim().min(1).max(1000),
  greetingAudioUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  closed: z.string().trim().min(1).max(1000),
});

export const DEFAULT_VOICE_TEXTS = {
  nl: { greeting: 'Welkom bij onze klantenservice.', closed: 'We zijn nu gesloten. Tijdens openingstijden helpen we u graag.' },
  en: { greeting: 'Welcome to our customer service.', closed: 'We are closed right now. We are happy to help you during opening hours.' },
};

export const voiceSettingsSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be the Account SID from the Twilio console (AC…)'),
  phoneNumber: e164,
  apiBaseUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  provider: z.enum(['twilio']).default('twilio'),
  /** The language callers hear first; a contact known to prefer English hears English. */
  language: z.enum(['nl', 'en']).default('nl'),
  texts: z.object({ nl: texts, en: texts }).default(DEFAULT_VOICE_TEXTS),
  queueTimeoutSeconds: z.number().int().min(10).max(1800).default(120),
  ringSeconds: z.number().int().min(5).max(60).default(20),
  voicemail: z.boolean().default(true),
  callbackOffer: z.boolean().default(true),
  /** The callback slots customers pick from: slot length, working days ahead, callbacks per slot (src/domain/callback-slots.ts). */
  callbackSlots: z
    .object({
      minutes: z.union([z.literal(15), z.literal(20), z.literal(30), z.literal(45), z.literal(60)], { error: 'must be 15, 20, 30, 45 or 60 minutes' }),
      days: z.number().int().min(1).max(20),
      capacity: z.number().int().min(1).max(100),
    })
    .default(defaultSlotOptions),
  /** The agents who take this line's calls, each on their own phone (rung one at a time, round robin). */
  agents: z.array(z.object({ userId: z.uuid(), number: e164 })).max(200).default([]),
});
const secretsSchema = z.object({ authToken: z.string().min(16).max(200) });
export type VoiceSettings = z.infer<typeof voiceSettingsSchema>;

export const ivrSettingsOf = (s: VoiceSettings): IvrSettings => ({
  language: s.language,
  texts: s.texts,
  queueTimeoutSeconds: s.queueTimeoutSeconds,
  ringSeconds: s.ringSeconds,
  voicemail: s.voicemail,
  callbackOffer: s.callbackOffer,
  phoneNumber: s.phoneNumber,
});

/**
 * The phone line (kind `voice`). Its webhooks are synchronous (Twilio waits for TwiML), so they are served by
 * app/voice-webhook.ts under /webhooks/voice/{inboxId}[/step], not by the generic store-then-process path.
 * Written replies are not a phone thing: an agent answers a caller by calling back or by SMS.
 */
export const voiceChannel: ChannelAdapter<VoiceSettings, z.infer<typeof secretsSchema>> = {
  kind: 'voice',
  capabilities: { attachments: false, templates: false, readReceipts: false, window24h: false, maxLength: null, idempotentSend: false },
  settingsSchema: voiceSettingsSchema as unknown as z.ZodType<VoiceSettings>,
  secretsSchema,
  receivesWebhooks: true,
  webhookAck: { contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' },
  verifyWebhook: (req, { secrets }) => verifyTwilio(req, secrets.authToken),
  async send() {
    return { ok: false, code: 'not_supported_on_voice', message: 'A phone line cannot carry a written reply; call the customer back or write by SMS or e-mail.', retryable: false };
  },
  async checkConnection(ctx) {
    const r = await twilioSafe(async () => {
      const res = await twilioCall(ctx.http, { ...ctx.settings, ...ctx.secrets }, 'GET', `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(ctx.settings.phoneNumber)}`);
      if (res.status !== 200) return twilioError(res);
      const numbers = (res.json as { incoming_phone_numbers?: { voice_url?: string }[] }).incoming_phone_numbers ?? [];
      if (numbers.length === 0) return { ok: false, code: 'number_not_in_account', message: `${ctx.settings.phoneNumber} is not a number of this Twilio account.`, retryable: false };
      return { ok: true, externalId: numbers[0]!.voice_url ?? '' };
    });
    return r.ok
      ? { ok: true, detail: r.externalId === `${ctx.publicUrl}/webhooks/voice/${ctx.inboxId}` ? 'webhook_set' : 'webhook_not_set' }
      : { ok: false, code: r.code, message: r.message };
  },
};
