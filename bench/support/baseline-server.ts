/**
 * The baseline the ingest benchmark compares with: a bare Fastify route doing one plain INSERT into the same
 * kind of database, with the same driver Balie uses.
 */
import crypto from 'node:crypto';
import Fastify from 'fastify';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

const app = Fastify();
let insert: (id: string, body: string) => Promise<unknown>;
if (process.env.DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
  await pool.query('create table if not exists bench_baseline (id uuid primary key, body text not null, created_at timestamptz default now())');
  insert = (id, body) => pool.query('insert into bench_baseline (id, body) values ($1, $2)', [id, body]);
} else {
  const db = await PGlite.create(process.env.DATA_DIR!);
  await db.exec('create table if not exists bench_baseline (id uuid primary key, body text not null, created_at timestamptz default now())');
  insert = (id, body) => db.query('insert into bench_baseline (id, body) values ($1, $2)', [id, body]);
}
app.post('/insert', async (req) => {
  await insert(crypto.randomUUID(), JSON.stringify(req.body));
  return { ok: true };
});
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('baseline ready');
