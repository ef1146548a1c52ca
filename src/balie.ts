import { WebLoad } from './shared/web-load';
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { openStore, type Store } from './store/db';
import { createSecretBox, loadSecretKey } from './store/secret-box';
import { createFileStore } from './store/files';
import { systemRuntime, type Runtime } from './shared/runtime';
import { createMetrics } from './http/metrics';
import { buildHttp } from './http/server';
import type { RouteSpec } from './http/route';
import { createMemoryBus, createPgBus, createRedisBus, type Bus } from './realtime/bus';
import { RealtimeHub } from './realtime/hub';
import { createJobQueue, type JobQueue } from './jobs/queue';
import { createDispatcher, type Dispatcher } from './jobs/outbox-dispatcher';
import { jobHandlers } from './jobs/handlers';
import { createRateLimiter } from './app/rate-limit';
import { createSystemMailer } from './app/mailer';
import type { Services } from './app/context';
import { appRoot } from './paths';
import { createSmtpListener } from './channels/email/smtp-listener';
import { closeTransports } from './channels/email/transport';
import { emailInboxFor } from './app/email-inbound';
import { receiveSmtpMail } from './app/email-receive';
import { runDataMigrations } from './app/data-migrations';
import { createImapIdleSupervisor, type ImapIdleSupervisor } from './app/email-idle';

/**
 * The composition root: builds one Balie process from its configuration. `main.ts` runs it; tests build it
 * with their own store and runtime.
 */
export interface Balie {
  app: FastifyInstance;
  services: Services;
  hub: RealtimeHub;
  queue: JobQueue;
  dispatcher: Dispatcher;
  bus: Bus;
  /** IMAP IDLE watchers of this process (only where job workers run). */
  readonly imapIdle: ImapIdleSupervisor | null;
  /** Runs migrations, starts jobs and the dispatcher (HTTP listening is the caller's choice). */
  start(): Promise<void>;
  /** Starts the inbound SMTP listener (the caller chooses, like HTTP); resolves to the bound port. */
  listenSmtp(port: number, host?: string): Promise<number>;
  /** Graceful: stop accepting, finish in-flight requests and jobs, close connections. */
  stop(): Promise<void>;
}

export interface BalieOptions {
  config: Config;
  store?: Store;
  runtime?: Runtime;
  log?: Logger;
  /** Run job workers in this process (default from BALIE_PROCESS). */
  workers?: boolean;
  extraRoutes?: RouteSpec[];
}

export const version = (JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;

export async function createBalie(opts: BalieOptions): Promise<Balie> {
  const { config } = opts;
  const log =
    opts.log ??
    pino({
      level: config.LOG_LEVEL,
      // Message bodies, tokens and passwords never reach the logs, even by accident in an error object.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.content', '*.body'], censor: '[redacted]' },
    });
  const runtime = opts.runtime ?? systemRuntime;
  const store = opts.store ?? (await openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, poolSize: config.DATABASE_POOL_SIZE }));
  const metrics = createMetrics();
  const secrets = createSecretBox(loadSecretKey(config.BALIE_SECRET_KEY, config.dataDir));
  const files = createFileStore(path.join(config.dataDir, 'files'), config.MAX_ATTACHMENT_BYTES);
  const bus: Bus =
    config.REDIS_URL ? await createRedisBus(config.REDIS_URL, log) : store.driver === 'postgres' ? createPgBus(store.databaseUrl!, (channel, payload) => store.relaxed(sql`select pg_notify(${channel}, ${payload})`), log) : createMemoryBus();

  const queue = createJobQueue(store, log, metrics);
  let dispatcher: Dispatcher | null = null;
  const services: Services = {
    store,
    runtime,
    config,
    secrets,
    files,
    log,
    metrics,
    afterCommit: (rows) => dispatcher?.dispatchNow(rows),
    ...(config.BALIE_PROCESS === 'all' && config.WEB_FIRST_ABOVE_RPS > 0 ? { webLoad: new WebLoad({ busyPerSecond: config.WEB_FIRST_ABOVE_RPS, pauseMs: 50 }) } : {}),
    limiter: createRateLimiter(store, () => runtime.now()),
    mailer: createSystemMailer(config.SMTP_URL, config.MAIL_FROM, log),
  };
  dispatcher = createDispatcher({ store, bus, queue, log, runtime });
  const hub = new RealtimeHub({ store, bus, log, metrics, runtime });
  metrics.setQueueDepthReader(async () => {
    const depths = await queue.depths();
    const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from outbox where dispatched_at is null`);
    return { ...depths, outbox: Number(row?.n ?? 0) };
  });

  let ready = false;
  const app = await buildHttp({ services, hub, version, isReady: () => ready, extraRoutes: opts.extraRoutes, bus });
  const runWorkers = opts.workers ?? config.BALIE_PROCESS !== 'web';
  let stopping: Promise<void> | null = null;
  let smtp: ReturnType<typeof createSmtpListener> | null = null;
  let imapIdle: ImapIdleSupervisor | null = null;

  return {
    app,
    services,
    hub,
    queue,
    dispatcher,
    bus,
    get imapIdle() {
      return imapIdle;
    },
    async listenSmtp(port, host = config.HOST) {
      smtp ??= createSmtpListener({
        acceptsRecipient: async (address) => !!(await emailInboxFor(services, address)),
        deliver: (raw, envelope) => receiveSmtpMail(services, raw, envelope),
        // Room for a full-size attachment in base64 plus the rest of the mail.
        maxBytes: Math.ceil(config.MAX_ATTACHMENT_BYTES * 1.4) + 1024 * 1024,
        log,
      });
      return smtp.listen(port, host);
    },
    async start() {
      // Several processes may start together: one migrates and installs the queue, the others wait.
      await store.withStartupLock(async () => {
        await store.migrate();
        await runDataMigrations(services);
        await queue.start();
      });
      if (runWorkers) {
        await queue.work(jobHandlers(services));
        imapIdle = createImapIdleSupervisor(services);
        services.imapIdling = (inboxId) => imapIdle?.isIdling(inboxId) ?? false;
        services.inboxesChanged = () => void imapIdle?.reconcile();
        void imapIdle.reconcile();
      }
      dispatcher!.start();
      await bus.listening();
      ready = true;
    },
    stop() {
      stopping ??= (async () => {
        ready = false;
        hub.close();
        await smtp?.close();
        await imapIdle?.stop();
        await app.close();
        await dispatcher!.stop();
        await queue.stop();
        await bus.close();
        services.mailer.close();
        closeTransports();
        await store.close();
      })();
      return stopping;
    },
  };
}
