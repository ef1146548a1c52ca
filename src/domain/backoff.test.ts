import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';

describe('backoff', () => {
  it('doubles per attempt with jitter in the upper half', () => {
    expect(backoffDelayMs(1, 0)).toBe(1000);
    expect(backoffDelayMs(1, 1)).toBe(2000);
    expect(backoffDelayMs(3, 0)).toBe(4000);
    expect(backoffDelayMs(3, 0.5)).toBe(6000);
  });
  it('caps the delay', () => {
    expect(backoffDelayMs(40, 1, 2000, 60_000)).toBe(60_000);
  });
});
