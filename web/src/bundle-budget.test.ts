import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build script without types
import { checkBundleSize } from '../../scripts/check-bundle-size.mjs';

/** The build's budget check counts the entry chunk and its static imports, not lazily loaded chunks. */
function fakeBuild(sizes: { entry: number; shared: number; lazy: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-bundle-'));
  fs.mkdirSync(path.join(dir, '.vite'));
  fs.mkdirSync(path.join(dir, 'assets'));
  // Random bytes do not compress, so gzip size ≈ byte size.
  const write = (f: string, n: number) => fs.writeFileSync(path.join(dir, f), Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256))));
  write('assets/index.js', sizes.entry);
  write('assets/shared.js', sizes.shared);
  write('assets/settings.js', sizes.lazy);
  fs.writeFileSync(
    path.join(dir, '.vite/manifest.json'),
    JSON.stringify({
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_shared.js'], dynamicImports: ['settings.tsx'] },
      '_shared.js': { file: 'assets/shared.js' },
      'settings.tsx': { file: 'assets/settings.js', isDynamicEntry: true, imports: ['_shared.js'] },
    }),
  );
  return dir;
}

describe('initial JavaScript budget', () => {
  it('passes when entry + static imports fit, whatever the lazy chunks weigh', () => {
    const r = checkBundleSize(fakeBuild({ entry: 100_000, shared: 50_000, lazy: 400_000 }), 300);
    expect(r.ok).toBe(true);
    expect(r.files.map((f: { file: string }) => f.file).sort()).toEqual(['assets/index.js', 'assets/shared.js']);
  });

  it('fails above the budget', () => {
    const r = checkBundleSize(fakeBuild({ entry: 250_000, shared: 80_000, lazy: 0 }), 300);
    expect(r.ok).toBe(false);
    expect(r.totalKb).toBeGreaterThan(300);
  });
});
