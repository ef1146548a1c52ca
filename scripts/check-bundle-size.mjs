#!/usr/bin/env node
// The agent app's first visit must stay light: the JavaScript a browser loads before the app can render
// (the entry chunk and everything it imports statically; lazily loaded chunks such as settings do not count)
// must stay within a gzipped budget. `node scripts/check-bundle-size.mjs [dist/web] [budgetKB]`; the build
// runs it after building the agent app and fails above the budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const DEFAULT_BUDGET_KB = 300;

/** Gzipped bytes of the initial JavaScript, per file, from Vite's manifest. */
export function initialJs(outDir) {
  const manifestPath = path.join(outDir, '.vite', 'manifest.json');
  if (!fs.existsSync(manifestPath)) throw new Error(`No Vite manifest at ${manifestPath} (build with build.manifest: true)`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry);
  if (entries.length === 0) throw new Error('The Vite manifest has no entry chunk');
  const seen = new Set();
  const files = [];
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) return;
    if (chunk.file.endsWith('.js')) files.push(chunk.file);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  entries.forEach(visit);
  return files.map((file) => ({ file, gzip: zlib.gzipSync(fs.readFileSync(path.join(outDir, file)), { level: 9 }).length }));
}

export function checkBundleSize(outDir, budgetKb = DEFAULT_BUDGET_KB) {
  const files = initialJs(outDir);
  const total = files.reduce((n, f) => n + f.gzip, 0);
  return { ok: total <= budgetKb * 1024, totalKb: total / 1024, budgetKb, files };
}

/** The chat widget's budgets (issue #6): the loader every host page loads, and the frame app with its CSS. */
export const WIDGET_BUDGETS_KB = { loader: 15, app: 60 };

export function checkWidgetSize(outDir) {
  const gz = (f) => (fs.existsSync(path.join(outDir, f)) ? zlib.gzipSync(fs.readFileSync(path.join(outDir, f)), { level: 9 }).length : 0);
  const loaderKb = gz('loader.js') / 1024;
  const appKb = (gz('app.js') + gz('app.css')) / 1024;
  return { ok: loaderKb <= WIDGET_BUDGETS_KB.loader && appKb <= WIDGET_BUDGETS_KB.app && loaderKb > 0 && appKb > 0, loaderKb, appKb };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = path.resolve(root, process.argv[2] ?? 'dist/web');
  const budget = Number(process.argv[3] ?? DEFAULT_BUDGET_KB);
  const r = checkBundleSize(dir, budget);
  const line = `initial JavaScript of ${path.relative(root, dir)}: ${r.totalKb.toFixed(1)} KB gzipped (budget ${budget} KB)`;
  if (!r.ok) {
    console.error(`✗ ${line}\n${r.files.map((f) => `  ${f.file} ${(f.gzip / 1024).toFixed(1)} KB`).join('\n')}`);
    process.exit(1);
  }
  console.log(`✓ ${line}`);
}
