import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTs } from '../support/process';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-proc-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('one process per embedded database, graceful shutdown, and the admin CLI', () => {
  it('refuses a second process on the same data directory with a clear message, and shuts down cleanly', async () => {
    const server = runTs('src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', SMTP_PORT: '0' });
    const started = Date.now();
    await server.waitFor(/API reference/, 60_000);
    expect(server.output()).toMatch(/First run: open .*\/setup/);
    void started;

    const second = runTs('src/cli/index.ts', ['migrate'], { DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by another Balie process \(pid \d+\)/);
    expect(second.output()).toMatch(/DATABASE_URL/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'balie.lock'))).toBe(false);

    const third = runTs('src/cli/index.ts', ['migrate'], { DATA_DIR: dataDir });
    expect(await third.exited).toBe(0);
    expect(third.output()).toContain('Migrations applied.');
  }, 120_000);

  it('creates users and tokens and seeds the demo from the CLI', async () => {
    const user = runTs('src/cli/index.ts', ['user:create', '--email', 'cli@example.com', '--name', 'Cli', '--password', 'long-enough-pass'], { DATA_DIR: dataDir });
    expect(await user.exited).toBe(0);
    expect(user.output()).toMatch(/Created user [0-9a-f-]{36} in workspace [0-9a-f-]{36}/);
    const bad = runTs('src/cli/index.ts', ['user:create', '--email', 'nope', '--name', 'X', '--password', 'short'], { DATA_DIR: dataDir });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/--email/);
    const token = runTs('src/cli/index.ts', ['token:create', '--email', 'cli@example.com'], { DATA_DIR: dataDir });
    expect(await token.exited).toBe(0);
    expect(token.output().trim()).toMatch(/^blt_/m);
    const seed = runTs('src/cli/index.ts', ['seed:demo'], { DATA_DIR: dataDir });
    expect(await seed.exited).toBe(0);
    expect(seed.output()).toMatch(/Demo workspace ".*" ready: 1\d conversations/);
    // The job queue's schema exists before the seed's outbox rows are dispatched (no "pgboss.job does not exist").
    expect(seed.output()).not.toMatch(/does not exist|dispatch failed/);
    const unknown = runTs('src/cli/index.ts', ['frobnicate'], { DATA_DIR: dataDir });
    expect(await unknown.exited).toBe(2);
  }, 180_000);
});
