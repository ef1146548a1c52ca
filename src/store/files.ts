import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../shared/errors';

/**
 * Attachments are stored once by SHA-256 under DATA_DIR/files/ab/cd/<hash>. Writing is atomic (temp file then
 * rename), so a crash never leaves a half file under a valid name, and storing the same bytes twice is free.
 */
export interface FileStore {
  put(data: Buffer): Promise<{ sha256: string; size: number }>;
  path(sha256: string): string;
  exists(sha256: string): boolean;
  remove(sha256: string): Promise<void>;
  readonly maxBytes: number;
}

const SHA_RE = /^[0-9a-f]{64}$/;

export function createFileStore(root: string, maxBytes: number): FileStore {
  const fileFor = (sha: string) => {
    if (!SHA_RE.test(sha)) throw new Error('invalid file hash');
    return path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  };
  return {
    maxBytes,
    async put(data) {
      if (data.length > maxBytes) {
        throw new AppError('payload_too_large', 'attachment_too_large', `Attachments may be at most ${maxBytes} bytes.`);
      }
      const sha256 = crypto.createHash('sha256').update(data).digest('hex');
      const target = fileFor(sha256);
      if (!fs.existsSync(target)) {
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
        await fs.promises.writeFile(tmp, data);
        await fs.promises.rename(tmp, target);
      }
      return { sha256, size: data.length };
    },
    path: fileFor,
    exists: (sha) => fs.existsSync(fileFor(sha)),
    async remove(sha) {
      await fs.promises.rm(fileFor(sha), { force: true });
    },
  };
}
