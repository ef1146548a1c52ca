import { describe, expect, it } from 'vitest';
import { statusAdvances } from './delivery-status';

describe('delivery status progression', () => {
  it('only moves forward', () => {
    expect(statusAdvances('queued', 'sent')).toBe(true);
    expect(statusAdvances('sent', 'delivered')).toBe(true);
    expect(statusAdvances('read', 'delivered')).toBe(false);
    expect(statusAdvances('delivered', 'sent')).toBe(false);
    expect(statusAdvances('sent', 'sent')).toBe(false);
  });
  it('a failure counts unless the message was already delivered or read', () => {
    expect(statusAdvances('sent', 'failed')).toBe(true);
    expect(statusAdvances('delivered', 'failed')).toBe(false);
    expect(statusAdvances('read', 'failed')).toBe(false);
  });
  it('a late success report overrides an earlier failure', () => {
    expect(statusAdvances('failed', 'delivered')).toBe(true);
  });
});
