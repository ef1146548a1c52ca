import { ConfigError, loadConfig } from './config';
import { createBalie } from './balie';
import { needsSetup } from './app/auth';
import { DataDirLockedError } from './store/lock';

/** `npm start`: one Balie process, configured by environment variables (see README). */
async function main() {
  const config = loadConfig();
  const balie = await createBalie({ config });
  const { log } = balie.services;
  await balie.start();
  if (config.BALIE_PROCESS !== 'worker') {
    await balie.app.listen({ port: config.PORT, host: config.HOST });
    await balie.listenSmtp(config.SMTP_PORT, config.HOST);
  }

  const db = config.DATABASE_URL ? 'PostgreSQL' : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
  // One write for the whole banner: whoever watches stdout for "is running" (a supervisor, a test) sees the
  // first-run hint in the same chunk instead of racing the setup query.
  const firstRun = (await needsSetup(balie.services.store.db))
    ? `First run: open ${config.publicUrl}/setup to create your workspace and owner account (this link works until the first account exists).\n`
    : '';
  process.stdout.write(
    `\nBalie ${config.BALIE_PROCESS === 'worker' ? 'worker is running' : `is running on ${config.publicUrl}`} — ${db} — ready in ${Math.round(process.uptime() * 1000)} ms\n` +
      firstRun +
      `API reference: ${config.publicUrl}/api/docs\n\n`,
  );

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 40_000);
    force.unref();
    balie
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`\n${err.message}\n\n`);
  } else {
    process.stderr.write(`\nBalie could not start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
