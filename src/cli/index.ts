import fs from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { loadConfig, ConfigError } from '../config';
import { createBalie } from '../balie';
import { openStore } from '../store/db';
import { DataDirLockedError } from '../store/lock';
import { createApiToken, createUser, createWorkspace } from '../app/auth';
import { exportContact, eraseContact } from '../app/contacts';
import { memberships, users } from '../store/schema';
import { emailInput, passwordInput } from '../shared/api';
import { seedDemo } from './seed-demo';
import { runDataMigrations } from '../app/data-migrations';

/**
 * `npx balie <command>`: the admin CLI. Commands run against the configured database (DATABASE_URL or the
 * PGlite directory, which must not be in use by a running Balie).
 */
const help = `Usage: npx balie <command> [--option value]

Commands:
  migrate                                  apply database migrations
  user:create --email E --name N --password P [--workspace ID] [--role owner|admin|agent]
                                           create a user (and a workspace if none is given)
  token:create --email E [--workspace ID] [--name N]
                                           create an API token for a user (printed once)
  seed:demo                                fill a Dutch demo workspace (login demo@balie.test / demo-wachtwoord)
  contact:export --workspace ID --contact ID [--out FILE]
                                           GDPR export of one contact as JSON
  contact:erase --workspace ID --contact ID --yes
                                           GDPR erasure of one contact and their conversations
`;

function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`Unexpected argument "${a}"`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[a.slice(2)] = true;
    else {
      out[a.slice(2)] = next;
      i++;
    }
  }
  return out;
}

function need<T extends z.ZodType>(schema: T, value: unknown, name: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`--${name}: ${r.error.issues[0]!.message}`);
  return r.data;
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(help);
    return;
  }
  if (command === 'internal:pglite-template') {
    const out = process.argv[3]!;
    const store = await openStore({ dataDir: '', memory: true });
    await store.migrate();
    const blob = await store.pglite!.dumpDataDir('gzip');
    fs.writeFileSync(out, Buffer.from(await blob.arrayBuffer()));
    await store.close();
    return;
  }

  const args = parseArgs(rest);
  const config = loadConfig();

  const balie = await createBalie({ config, workers: false, log: (await import('pino')).default({ level: 'warn' }) });
  const { services } = balie;
  try {
    // The job queue's schema too, not only ours: what a command writes (the demo seed's messages, an erasure)
    // leaves outbox rows that become pg-boss jobs, and on a fresh database that schema does not exist yet.
    await services.store.withStartupLock(async () => {
      await services.store.migrate();
      await runDataMigrations(services);
      await balie.queue.start();
    });
    const ws = (v: unknown) => need(z.uuid(), v, 'workspace');
    switch (command) {
      case 'migrate':
        process.stdout.write('Migrations applied.\n');
        break;
      case 'user:create': {
        const email = need(emailInput, args.email, 'email');
        const name = need(z.string().min(1), args.name, 'name');
        const password = need(passwordInput, args.password, 'password');
        const role = need(z.enum(['owner', 'admin', 'agent']).default('owner'), args.role, 'role');
        const result = await services.store.transaction(async (tx) => {
          const workspaceId = args.workspace ? ws(args.workspace) : (await createWorkspace(tx, services, { name: `${name}'s workspace` })).id;
          const user = await createUser(tx, services, { email, name, password });
          await tx.insert(memberships).values({ workspaceId, userId: user.id, role: args.workspace ? role : 'owner' });
          return { workspaceId, userId: user.id };
        });
        process.stdout.write(`Created user ${result.userId} in workspace ${result.workspaceId}.\n`);
        break;
      }
      case 'token:create': {
        const email = need(emailInput, args.email, 'email');
        const [user] = await services.store.db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
        if (!user) throw new Error(`No user with e-mail ${email}`);
        const mine = await services.store.db.select().from(memberships).where(eq(memberships.userId, user.id));
        const workspaceId = args.workspace ? ws(args.workspace) : mine.length === 1 ? mine[0]!.workspaceId : null;
        if (!workspaceId || !mine.some((m) => m.workspaceId === workspaceId)) throw new Error('Give --workspace (a workspace this user belongs to).');
        const { token } = await services.store.transaction((tx) =>
          createApiToken(tx, services, { workspaceId, userId: user.id, name: typeof args.name === 'string' ? args.name : 'CLI' }),
        );
        process.stdout.write(`${token}\n`);
        break;
      }
      case 'seed:demo': {
        const result = await seedDemo(services);
        process.stdout.write(
          `Demo workspace "${result.workspaceName}" ready: ${result.conversations} conversations, ${result.contacts} contacts.\n` +
            `Log in as ${result.email} / ${result.password}\nAPI token: ${result.apiToken}\n`,
        );
        break;
      }
      case 'contact:export':
      case 'contact:erase': {
        const workspaceId = ws(args.workspace);
        const contactId = need(z.uuid(), args.contact, 'contact');
        const [owner] = await services.store.db
          .select()
          .from(memberships)
          .where(sql`${memberships.workspaceId} = ${workspaceId} and ${memberships.role} = 'owner'`)
          .limit(1);
        if (!owner) throw new Error('Unknown workspace');
        const actor = { workspaceId, userId: owner.userId, role: 'owner' as const };
        if (command === 'contact:export') {
          const data = JSON.stringify(await exportContact(services, actor, contactId, 'cli'), null, 2);
          if (typeof args.out === 'string') fs.writeFileSync(args.out, data);
          else process.stdout.write(`${data}\n`);
        } else {
          if (args.yes !== true) throw new Error('Erasure cannot be undone; add --yes to confirm.');
          const r = await eraseContact(services, actor, contactId, 'cli');
          process.stdout.write(`Erased the contact, ${r.conversations} conversation(s) and ${r.files} file(s).\n`);
        }
        break;
      }
      default:
        process.stderr.write(`Unknown command "${command}".\n\n${help}`);
        process.exitCode = 2;
    }
    // Hand what this command wrote to the job queue now, instead of leaving it for a server's poll.
    await balie.dispatcher.drain();
  } finally {
    await balie.stop();
  }
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof DataDirLockedError;
  process.stderr.write(`${known ? (err as Error).message : `Error: ${(err as Error).message}`}\n`);
  process.exit(1);
});
