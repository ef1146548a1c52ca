import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable Balie reads, parsed once at start. The README's configuration table is generated
 * from the same list (`describeConfig`), so documentation and behaviour cannot drift apart.
 */
const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const configVariables = {
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3000), doc: 'HTTP port.' },
  HOST: { schema: z.string().default('127.0.0.1'), doc: 'Interface to listen on (`0.0.0.0` behind a load balancer).' },
  PUBLIC_URL: {
    schema: z.string().url().optional(),
    doc: 'Public base URL used in links and provider webhook URLs (default `http://HOST:PORT`).',
  },
  DATA_DIR: { schema: z.string().default('./data'), doc: 'Embedded database (PGlite), uploaded files and the generated key file.' },
  DATABASE_URL: {
    schema: z.string().optional(),
    doc: 'PostgreSQL ≥ 15 connection string. When unset, the embedded PGlite database in `DATA_DIR` is used.',
  },
  DATABASE_POOL_SIZE: { schema: z.coerce.number().int().min(1).max(200).default(20), doc: 'Connections per process (PostgreSQL only).' },
  BALIE_SECRET_KEY: {
    schema: z.string().min(16).optional(),
    doc: 'Key that encrypts inbox and webhook secrets at rest. When unset, a random key is generated in `DATA_DIR/secret.key`. Set it (the same value) on every process when you scale out.',
  },
  BALIE_PROCESS: {
    schema: z.enum(['all', 'web', 'worker']).default('all'),
    doc: '`all` serves HTTP and runs job workers; `web` only serves; `worker` only runs jobs.',
  },
  WEB_FIRST_ABOVE_RPS: {
    schema: z.coerce.number().int().min(0).default(200),
    doc: 'In a process that serves HTTP and runs job workers (`BALIE_PROCESS=all`): above this many requests per second, each inbound-event job first pauses 50 ms, so a burst of webhooks is acknowledged at full speed and processed as it eases. `0` turns this off.',
  },
  REDIS_URL: { schema: z.string().optional(), doc: 'Optional Redis for cross-process realtime events (default: PostgreSQL LISTEN/NOTIFY).' },
  SMTP_PORT: { schema: z.coerce.number().int().min(0).max(65535).default(2525), doc: 'Port of the inbound SMTP listener.' },
  SMTP_URL: { schema: z.string().optional(), doc: 'Outbound mail server, e.g. `smtp://127.0.0.1:1025` (invitations, password resets, e-mail replies).' },
  MAIL_FROM: { schema: z.string().default('Balie <balie@localhost>'), doc: 'Sender of system mail (invitations, password resets).' },
  WEBHOOK_ALLOW_PRIVATE: {
    schema: flag.default(false),
    doc: 'Allow outgoing webhooks and admin-configured URLs to reach loopback, private and link-local addresses.',
  },
  BALIE_ALLOW_PRIVATE_MAIL_HOSTS: {
    schema: flag.default(false),
    doc: 'Allow the SMTP and IMAP servers that admins enter in e-mail inbox settings to be loopback, private or link-local addresses (an on-premises mail server). Off: such hosts are refused when saved and on every connection.',
  },
  BODY_LIMIT_BYTES: { schema: z.coerce.number().int().min(1024).default(5 * 1024 * 1024), doc: 'Largest accepted request body.' },
  MAX_ATTACHMENT_BYTES: { schema: z.coerce.number().int().min(1024).default(25 * 1024 * 1024), doc: 'Largest stored attachment.' },
  SESSION_TTL_HOURS: { schema: z.coerce.number().int().min(1).default(24 * 14), doc: 'Lifetime of a login session.' },
  TRUST_PROXY: { schema: flag.default(false), doc: 'Trust `X-Forwarded-*` headers (set behind a reverse proxy).' },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'pino log level.',
  },
} as const;

type Vars = typeof configVariables;
export type RawConfig = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

export type Config = RawConfig & {
  dataDir: string;
  publicUrl: string;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const shape = Object.fromEntries(Object.entries(configVariables).map(([k, v]) => [k, v.schema])) as {
    [K in keyof Vars]: Vars[K]['schema'];
  };
  const input = Object.fromEntries(
    Object.keys(configVariables).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = parsed.data as RawConfig;
  const hostForUrl = raw.HOST === '0.0.0.0' || raw.HOST === '::' ? '127.0.0.1' : raw.HOST;
  return {
    ...raw,
    dataDir: path.resolve(raw.DATA_DIR),
    publicUrl: (raw.PUBLIC_URL ?? `http://${hostForUrl}:${raw.PORT}`).replace(/\/$/, ''),
  };
}

export function describeConfig(): { name: string; default: string; doc: string }[] {
  return Object.entries(configVariables).map(([name, v]) => {
    const def = (v.schema as z.ZodTypeAny).safeParse(undefined);
    return { name, default: def.success && def.data !== undefined ? String(def.data) : '', doc: v.doc };
  });
}
