import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/store/schema and applied by `npx balie migrate` (and on start) on both
// PGlite and PostgreSQL. Hand-written SQL (extensions, text search configurations, triggers) lives in
// migrations created with `drizzle-kit generate --custom`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema/index.ts',
  out: './drizzle',
  migrations: { prefix: 'timestamp' },
});
