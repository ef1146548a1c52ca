import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * A heavy CommonJS dependency loaded on first use instead of at start-up. jsdom, mailparser, mailauth and
 * imapflow together are most of the module-loading time of a cold start, and many processes (a chat-only install,
 * a worker without IMAP accounts, every test server) never need them.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromHere(id) as T);
}
