import { describe, expect, it } from 'vitest';
import { smsSegments } from './sms-segments';

describe('smsSegments', () => {
  it('counts plain GSM-7 text up to 160 in one segment, then 153 per segment', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, remaining: 0 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2, units: 161, remaining: 306 - 161 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });
  it('counts extension characters (€, [, ]) as two septets', () => {
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81)).segments).toBe(2);
  });
  it('switches the whole text to UCS-2 for one character outside GSM-7, 70 then 67 per segment', () => {
    expect(smsSegments('Groetjes ✓')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments('ж'.repeat(70)).segments).toBe(1);
    expect(smsSegments('ж'.repeat(71)).segments).toBe(2);
    expect(smsSegments('ж'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ж'.repeat(135)).segments).toBe(3);
  });
  it('counts an emoji as two UTF-16 units', () => {
    expect(smsSegments('😀'.repeat(35))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('😀'.repeat(36)).segments).toBe(2);
  });
  it('keeps Dutch accented letters of the GSM alphabet in GSM-7 but not ë', () => {
    expect(smsSegments('Café in Zürich').encoding).toBe('GSM-7');
    expect(smsSegments('Ruïne, financiële').encoding).toBe('UCS-2');
    expect(smsSegments('')).toMatchObject({ segments: 0 });
  });
});
