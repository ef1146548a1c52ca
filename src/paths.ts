import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found from this file so it works from src/ (tests, tsx) and from the dist/ bundle. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'drizzle'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Balie package root not found');
    dir = parent;
  }
}

export const appRoot = findRoot();
export const migrationsDir = path.join(appRoot, 'drizzle');
export const distDir = path.join(appRoot, 'dist');
export const pgliteTemplatePath = path.join(distDir, 'pglite-template.tar.gz');
