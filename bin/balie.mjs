#!/usr/bin/env node
// `npx balie <command>`: builds the server bundle if needed, then runs the admin CLI.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], { stdio: ['ignore', 'ignore', 'inherit'] });
await import(pathToFileURL(path.join(root, 'dist/server/cli.js')).href);
