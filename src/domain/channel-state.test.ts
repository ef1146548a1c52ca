import { describe, expect, it } from 'vitest';
import { mergeChannelState } from './channel-state';

describe('mergeChannelState', () => {
  it('keeps keys the update does not mention', () => {
    expect(mergeChannelState({ telegramChatId: '42', smsOptedOut: false }, { smsOptedOut: true })).toEqual({ telegramChatId: '42', smsOptedOut: true });
  });

  it('moves the last customer message time forward', () => {
    const merged = mergeChannelState({ lastCustomerMessageAt: '2026-12-01T10:00:00.000Z' }, { lastCustomerMessageAt: '2026-12-01T12:00:00.000Z' });
    expect(merged.lastCustomerMessageAt).toBe('2026-12-01T12:00:00.000Z');
  });

  it('never moves it back: a late, older message does not shorten the 24-hour window', () => {
    const merged = mergeChannelState({ lastCustomerMessageAt: '2026-12-01T12:00:00.000Z', telegramChatId: '1' }, { lastCustomerMessageAt: '2026-11-30T09:00:00.000Z' });
    expect(merged).toEqual({ lastCustomerMessageAt: '2026-12-01T12:00:00.000Z', telegramChatId: '1' });
  });

  it('takes the first time there is and ignores an unreadable one', () => {
    expect(mergeChannelState({}, { lastCustomerMessageAt: '2026-12-01T12:00:00.000Z' }).lastCustomerMessageAt).toBe('2026-12-01T12:00:00.000Z');
    expect(mergeChannelState({ lastCustomerMessageAt: '2026-12-01T12:00:00.000Z' }, { lastCustomerMessageAt: 'gisteren' }).lastCustomerMessageAt).toBe('2026-12-01T12:00:00.000Z');
  });
});
