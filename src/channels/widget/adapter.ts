import type { ChannelAdapter } from '../channel';
import { widgetSecretsSchema, widgetSettingsSchema, type WidgetSecrets, type WidgetSettings } from './settings';

/**
 * The live-chat widget. Visitors reach Balie directly through the widget API (src/http/routes/widget.ts), so
 * there is no provider to call: an agent's reply is stored, and the realtime path (outbox → bus → widget hub)
 * pushes it to the visitor's open widgets; a visitor who is away sees it when the widget next loads.
 * Sending therefore succeeds once the message is committed, with our own id as the external id.
 */
export const widgetChannel: ChannelAdapter<WidgetSettings, WidgetSecrets> = {
  kind: 'widget',
  capabilities: { attachments: true, templates: false, readReceipts: false, window24h: false, maxLength: 10_000, idempotentSend: true },
  settingsSchema: widgetSettingsSchema,
  secretsSchema: widgetSecretsSchema,
  receivesWebhooks: false,
  async send(message) {
    return { ok: true, externalId: message.id };
  },
};
