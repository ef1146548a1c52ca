import crypto from 'node:crypto';

/** Time, ids and randomness are injected so rules and use cases are testable without real clocks. */
export interface Runtime {
  now(): Date;
  id(): string;
  random(): number;
}

/**
 * Random bytes for ids, drawn from a pool refilled 4 KB at a time (as Node's own randomUUID does): one
 * `randomBytes(16)` per id was a system call per row, a measurable share of a 1,000 webhooks/s acknowledgement.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = POOL_BYTES;
function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    pool = crypto.randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  poolOffset += 16;
  return pool.subarray(poolOffset - 16, poolOffset);
}

/** RFC 9562 UUIDv7: time-ordered, so new rows land at the right edge of the primary-key index. */
export function uuidv7(now = Date.now(), bytes: Uint8Array = random16()): string {
  const b = Buffer.from(bytes);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const systemRuntime: Runtime = {
  now: () => new Date(),
  id: () => uuidv7(),
  random: () => Math.random(),
};

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
