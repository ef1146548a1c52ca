import type { ChannelAdapter } from './channel';
import { apiChannel } from './api/adapter';
import { widgetChannel } from './widget/adapter';

/**
 * The only place that maps a channel kind to its adapter. Adding a channel is one folder under channels/ and
 * one line here; it is accepted when it passes channels/contract.ts.
 */
const adapters: Record<string, ChannelAdapter<never, never>> = {
  api: apiChannel as ChannelAdapter<never, never>,
  widget: widgetChannel as ChannelAdapter<never, never>,
};

export function channelAdapter(kind: string): ChannelAdapter<Record<string, unknown>, Record<string, unknown>> | undefined {
  return adapters[kind] as ChannelAdapter<Record<string, unknown>, Record<string, unknown>> | undefined;
}

export const availableChannelKinds = () => Object.keys(adapters);
