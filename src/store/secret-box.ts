import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encrypts inbox and webhook secrets at rest with AES-256-GCM. The key comes from BALIE_SECRET_KEY or, for a
 * zero-setup install, from a random key file in DATA_DIR created on first start.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** HMAC-SHA256 of `data` under a key derived for `purpose` (signed links); base64url. */
  mac(purpose: string, data: string): string;
}

const VERSION = 'v1';

export function createSecretBox(keyMaterial: string | Buffer): SecretBox {
  const key = crypto.createHash('sha256').update(keyMaterial).digest();
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, ct] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('Unknown secret format');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
    mac(purpose, data) {
      // A subkey per purpose, so a signature made for one kind of link never validates another.
      const sub = crypto.createHmac('sha256', key).update(`balie-mac:${purpose}`).digest();
      return crypto.createHmac('sha256', sub).update(data).digest('base64url');
    },
  };
}

export function loadSecretKey(configured: string | undefined, dataDir: string): string | Buffer {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
