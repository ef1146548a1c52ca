import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The agent app. `npm start` builds it into dist/web (served at / with SPA fallback). `npm run dev:web` serves
 * it with hot reload and proxies the API and realtime socket to a Balie on :3000. The manifest lets
 * scripts/check-bundle-size.mjs measure the JavaScript a first visit loads.
 */
const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(root, '../dist/web'),
    emptyOutDir: true,
    manifest: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
