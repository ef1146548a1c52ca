import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { voiceEn, voiceErrorsEn, voiceErrorsNl, voiceNl } from './texts';

/** Dutch and English phone texts are complete: the same keys, no empty text, the same {{placeholders}}. */
const flat = (o: unknown, prefix = ''): Record<string, string> =>
  Object.entries(o as Record<string, unknown>).reduce<Record<string, string>>((acc, [k, v]) => {
    if (typeof v === 'string') acc[prefix + k] = v;
    else Object.assign(acc, flat(v, `${prefix}${k}.`));
    return acc;
  }, {});
const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('voice texts', () => {
  for (const [name, nl, en] of [['voice', voiceNl, voiceEn], ['errors', voiceErrorsNl, voiceErrorsEn]] as const) {
    it(`${name}: NL and EN have the same keys and placeholders`, () => {
      const a = flat(nl);
      const b = flat(en);
      expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
      for (const k of Object.keys(a)) {
        expect(a[k]!.trim(), k).not.toBe('');
        expect(vars(a[k]!), k).toEqual(vars(b[k]!));
      }
    });
  }

  it('defines every literal voice.* key the app uses', () => {
    const root = path.resolve(__dirname, '..');
    const keys = flat({ voice: voiceEn });
    const missing: string[] = [];
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
    for (const file of walk(root)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\(\s*'(voice\.[a-zA-Z0-9_.]+)'/g)) if (!(m[1]! in keys)) missing.push(`${path.relative(root, file)}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
