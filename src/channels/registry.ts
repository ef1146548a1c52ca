import type { ChannelAdapter } from './channel';
import { apiChannel } from './api/adapter';
import { whatsappChannel } from './whatsapp/adapter';
import { telegramChannel } from './telegram/adapter';
import { smsChannel } from './sms/adapter';
import { messengerChannel } from './messenger/adapter';
import { instagramChannel } from './instagram/adapter';
import { emailChannel } from './email/adapter';
import { widgetChannel } from './widget/adapter';
import { voiceChannel } from './voice/adapter';

/**
 * The only place that maps a channel kind to its adapter. Adding a channel is one folder under channels/ and
 * one line here; it is accepted when it passes channels/contract.ts.
 */
const adapters: Record<string, ChannelAdapter<never, never>> = {
  api: apiChannel as ChannelAdapter<never, never>,
  whatsapp: whatsappChannel as ChannelAdapter<never, never>,
  telegram: telegramChannel as ChannelAdapter<never, never>,
  sms: smsChannel as ChannelAdapter<never, never>,
  messenger: messengerChannel as ChannelAdapter<never, never>,
  instagram: instagramChannel as ChannelAdapter<never, never>,
  email: emailChannel as ChannelAdapter<never, never>,
  widget: widgetChannel as ChannelAdapter<never, never>,
  voice: voiceChannel as ChannelAdapter<never, never>,
};

export function channelAdapter(kind: string): ChannelAdapter<Record<string, unknown>, Record<string, unknown>> | undefined {
  return adapters[kind] as ChannelAdapter<Record<string, unknown>, Record<string, unknown>> | undefined;
}

export const availableChannelKinds = () => Object.keys(adapters);
