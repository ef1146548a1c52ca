import { describe, expect, it } from 'vitest';
import { promiseTargetFor, type PromiseTarget } from './promise-targets';

const fallback = { firstResponseMinutes: 240, resolutionMinutes: 960 };
const targets: PromiseTarget[] = [
  { inboxId: 'mail', label: null, firstResponseMinutes: 480, resolutionMinutes: 2880 },
  { inboxId: null, label: 'kabelbreuk', firstResponseMinutes: 60, resolutionMinutes: 30 * 1440 },
  { inboxId: 'mail', label: 'kabelbreuk', firstResponseMinutes: 120, resolutionMinutes: 35 * 1440 },
  { inboxId: null, label: 'factuur', firstResponseMinutes: 30, resolutionMinutes: 600 },
];
const min = (ms: number) => ms / 60_000;

describe('promise targets per inbox and case type', () => {
  it('takes the most specific target: inbox and label, then label, then inbox, then the default', () => {
    expect(min(promiseTargetFor(targets, fallback, 'mail', ['kabelbreuk']).firstResponseMs)).toBe(120);
    expect(min(promiseTargetFor(targets, fallback, 'chat', ['kabelbreuk']).resolutionMs)).toBe(30 * 1440);
    expect(min(promiseTargetFor(targets, fallback, 'mail', ['overig']).firstResponseMs)).toBe(480);
    expect(min(promiseTargetFor(targets, fallback, 'chat', []).firstResponseMs)).toBe(240);
  });

  it('lets the slowest case type decide when a conversation has several', () => {
    expect(min(promiseTargetFor(targets, fallback, 'chat', ['factuur', 'kabelbreuk']).firstResponseMs)).toBe(60);
  });

  it('uses the default when there are no targets', () => {
    expect(promiseTargetFor([], fallback, 'mail', ['kabelbreuk'])).toEqual({ firstResponseMs: 240 * 60_000, resolutionMs: 960 * 60_000 });
  });
});
