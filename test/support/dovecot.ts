import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real IMAP server for tests: Dovecot from Debian's dovecot-imapd, started as a private instance with its own
 * configuration, maildir and passwd-file user in a temp directory, on a free port (no system service).
 */
export interface Dovecot {
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
  /** Stops the server but keeps its mail (connections drop), and starts it again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
}

export const DOVECOT_BIN = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function idOf(user: string): { uid: number; gid: number } | null {
  try {
    return { uid: Number(execFileSync('id', ['-u', user]).toString().trim()), gid: Number(execFileSync('id', ['-g', user]).toString().trim()) };
  } catch {
    return null;
  }
}

export async function startDovecot(): Promise<Dovecot> {
  if (!fs.existsSync(DOVECOT_BIN)) throw new Error(`Dovecot is not installed at ${DOVECOT_BIN} (apt-get install dovecot-imapd)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'balie-dovecot-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const root = process.getuid?.() === 0;
  // As root, mail is owned by an ordinary system user (Dovecot refuses UID 0 for mail); otherwise by us.
  const owner = root ? (idOf('dovecot') ?? idOf('nobody')!) : { uid: process.getuid!(), gid: process.getgid!() };
  const me = root ? 'dovecot' : os.userInfo().username;
  const user = 'balie';
  const password = 'imap-secret-1';
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}:${owner.uid}:${owner.gid}::${path.join(dir, 'mail', user)}::\n`);
  if (root) execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, path.join(dir, 'mail')]);
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
default_login_user = ${root ? 'dovenull' : me}
default_internal_user = ${me}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), conf);
  let child: ChildProcess;
  const boot = async () => {
    // Its own process group, so stopping it also ends the imap processes that hold client connections.
    child = spawn(DOVECOT_BIN, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 15_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (up) break;
      if (child.exitCode !== null || Date.now() > deadline) {
        const log = fs.existsSync(path.join(dir, 'dovecot.log')) ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : '';
        child.kill('SIGKILL');
        throw new Error(`Dovecot did not start: ${stderr}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const halt = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* the group is already gone */
    }
  };
  await boot();
  return {
    port,
    user,
    password,
    async stop() {
      await halt();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    async down() {
      await halt();
    },
    async up() {
      await boot();
    },
  };
}
