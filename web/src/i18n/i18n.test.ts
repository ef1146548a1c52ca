import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { nl } from './nl';

/** Everything a person sees exists in Dutch and English: same keys, no empty texts, no key used but missing. */
function flatten(o: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    else Object.assign(out, flatten(v as Record<string, unknown>, key));
  }
  return out;
}

const flatEn = flatten(en);
const flatNl = flatten(nl);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('translations', () => {
  it('has the same keys in Dutch and English', () => {
    expect(Object.keys(flatNl).sort()).toEqual(Object.keys(flatEn).sort());
  });

  it('has no empty texts and the same placeholders in both languages', () => {
    for (const [k, v] of Object.entries(flatEn)) {
      expect(v.trim(), k).not.toBe('');
      expect(flatNl[k]!.trim(), k).not.toBe('');
      const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(vars(flatNl[k]!), k).toEqual(vars(v));
    }
  });

  it('defines every literal key the app uses', () => {
    const root = path.resolve(__dirname, '..');
    const missing: string[] = [];
    for (const file of sourceFiles(root)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        const key = m[1]!;
        // Keys registered by a feature itself (inboxForm.*, voice.*) are checked where they are defined.
        if (key.startsWith('inboxForm.') || key.startsWith('voice.')) continue;
        if (!(key in flatEn) && !(`${key}_one` in flatEn && `${key}_other` in flatEn)) missing.push(`${path.relative(root, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
