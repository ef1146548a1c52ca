import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export interface Proc {
  child: ChildProcess;
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/**
 * Runs a TypeScript entry point of Balie as a real child process. Node loads tsx itself (`--import tsx`) so the
 * child IS Balie: the tsx CLI would put a wrapper process in between, and a SIGKILL to the wrapper leaves the
 * real server running after the test.
 */
export function runTs(entry: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry), ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Recorded for the global teardown, which kills what a timed-out (and so terminated) test file left running.
  if (child.pid) fs.appendFileSync(childrenFile(process.ppid), `${child.pid}\n`);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    async waitFor(re, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not see ${re} in:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Pids of the child processes started by the test workers of one vitest run (keyed by the run's pid). */
export const childrenFile = (runPid: number) => path.join(os.tmpdir(), `balie-test-children-${runPid}`);

export function killLeftoverChildren(runPid: number): void {
  const file = childrenFile(runPid);
  if (!fs.existsSync(file)) return;
  for (const pid of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(file, { force: true });
}
