#!/usr/bin/env node
// Builds what `npm start` needs: the server bundle (esbuild), the agent app and widget (Vite, when present)
// and a migrated PGlite template so a fresh install starts in about a second instead of running initdb.
// `--if-stale` skips every part whose inputs did not change since the last build.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBundleSize, checkWidgetSize, WIDGET_BUDGETS_KB } from './check-bundle-size.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const ifStale = process.argv.includes('--if-stale');
const stampFile = path.join(dist, '.build-stamps.json');
const stamps = fs.existsSync(stampFile) ? JSON.parse(fs.readFileSync(stampFile, 'utf8')) : {};

function hashOf(paths) {
  const h = crypto.createHash('sha256');
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (/node_modules|dist|\.git/.test(path.basename(p))) return;
      for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    } else {
      h.update(path.relative(root, p));
      h.update(fs.readFileSync(p));
    }
  };
  for (const p of paths) walk(path.join(root, p));
  return h.digest('hex');
}

function step(name, inputs, outputs, run) {
  const hash = hashOf(inputs);
  const present = outputs.every((o) => fs.existsSync(path.join(root, o)));
  if (ifStale && present && stamps[name] === hash) return;
  const t = Date.now();
  run();
  stamps[name] = hash;
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(stampFile, JSON.stringify(stamps, null, 2));
  process.stdout.write(`built ${name} in ${Date.now() - t} ms\n`);
}

const esbuild = await import('esbuild');

step('server', ['src', 'package.json', 'package-lock.json'], ['dist/server/main.js', 'dist/server/cli.js'], () => {
  esbuild.buildSync({
    entryPoints: { main: path.join(root, 'src/main.ts'), cli: path.join(root, 'src/cli/index.ts') },
    outdir: path.join(dist, 'server'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __balieRequire } from 'module'; const require = __balieRequire(import.meta.url);" },
  });
});

for (const app of ['web', 'widget']) {
  const config = path.join(root, app, 'vite.config.ts');
  if (!fs.existsSync(config)) continue;
  step(app, [app, 'src/shared', 'package-lock.json'], [`dist/${app}/index.html`], () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', config, '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    // The agent app's first load has a budget (issue #4): the build fails when it is exceeded.
    if (app === 'web') {
      const r = checkBundleSize(path.join(dist, 'web'));
      process.stdout.write(`agent app initial JavaScript: ${r.totalKb.toFixed(1)} KB gzipped (budget ${r.budgetKb} KB)\n`);
      if (!r.ok) throw new Error(`The agent app's initial JavaScript is ${r.totalKb.toFixed(1)} KB gzipped, over the ${r.budgetKb} KB budget: split it (lazy-load rarely used screens).`);
    }
  });
}

// The chat widget (issue #6): a tiny loader that sites embed and the frame app it opens, both plain TypeScript
// bundled by esbuild. Their gzipped sizes have budgets; the build fails above them.
step('widget-embed', ['widget', 'package-lock.json'], ['dist/widget/loader.js', 'dist/widget/app.js'], () => {
  const out = path.join(dist, 'widget');
  fs.mkdirSync(out, { recursive: true });
  for (const [name, entry] of [['loader', 'loader.ts'], ['app', 'app.ts']]) {
    esbuild.buildSync({ entryPoints: [path.join(root, 'widget/src', entry)], outfile: path.join(out, `${name}.js`), bundle: true, minify: true, format: 'iife', target: 'es2020', logLevel: 'warning' });
  }
  esbuild.buildSync({ entryPoints: [path.join(root, 'widget/src/app.css')], outfile: path.join(out, 'app.css'), bundle: true, minify: true, logLevel: 'warning' });
  const r = checkWidgetSize(out);
  process.stdout.write(`widget loader ${r.loaderKb.toFixed(1)} KB, app ${r.appKb.toFixed(1)} KB gzipped (budgets ${WIDGET_BUDGETS_KB.loader} / ${WIDGET_BUDGETS_KB.app} KB)\n`);
  if (!r.ok) throw new Error(`The widget is over its size budget: loader ${r.loaderKb.toFixed(1)} KB (max ${WIDGET_BUDGETS_KB.loader}), app ${r.appKb.toFixed(1)} KB (max ${WIDGET_BUDGETS_KB.app}) gzipped.`);
});

step('pglite-template', ['drizzle', 'package-lock.json'], ['dist/pglite-template.tar.gz'], () => {
  execFileSync(process.execPath, [path.join(dist, 'server/cli.js'), 'internal:pglite-template', path.join(dist, 'pglite-template.tar.gz')], {
    cwd: root,
    stdio: 'inherit',
  });
});
