import { describe, expect, it } from 'vitest';
import { autoSubmittedOf } from './outbound-message';

describe('Auto-Submitted of outbound messages (RFC 3834)', () => {
  it('marks what Balie sends by itself, never an agent reply', () => {
    expect(autoSubmittedOf({ senderType: 'user', contentAttributes: {} })).toBeUndefined();
    expect(autoSubmittedOf({ senderType: 'user', contentAttributes: { promiseRevision: { newDueAt: 'x' } } })).toBeUndefined();
    // The promise acknowledgement answers the customer's message.
    expect(autoSubmittedOf({ senderType: 'system', contentAttributes: { promise: { firstResponseDueAt: 'x' } } })).toBe('auto-replied');
    // Incident notices and other system or bot messages are generated.
    expect(autoSubmittedOf({ senderType: 'system', contentAttributes: { incident: { id: 'i' } } })).toBe('auto-generated');
    expect(autoSubmittedOf({ senderType: 'bot', contentAttributes: {} })).toBe('auto-generated');
  });
});
