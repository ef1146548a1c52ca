import { describe, expect, it } from 'vitest';
import { cleanDeep, cleanText } from './text';

describe('storable text', () => {
  it('removes NUL and repairs lone surrogates', () => {
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\ud800y')).toBe('x\ufffdy');
    expect(cleanText('😀 ok')).toBe('😀 ok');
  });
  it('cleans nested values and keys, leaving other types alone', () => {
    expect(cleanDeep({ 'k\u0000': ['\udfff', 1, null, { x: 'a\u0000' }] })).toEqual({ k: ['\ufffd', 1, null, { x: 'a' }] });
  });
});
