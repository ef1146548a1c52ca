import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { HttpClient } from '../channels/channel';

/**
 * Outbound HTTP to URLs that admins configure (webhooks, API-channel targets). The host is resolved at send
 * time and every address is checked; the connection then goes to the checked address, so a DNS answer that
 * changes between check and connect (rebinding) cannot reach an internal service.
 */
export class BlockedAddressError extends Error {
  readonly code = 'blocked_address';
}

const blockedV4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const blockList = new net.BlockList();
for (const [addr, prefix] of blockedV4) blockList.addSubnet(addr, prefix, 'ipv4');
for (const [addr, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as [string, number][]) {
  blockList.addSubnet(addr, prefix, 'ipv6');
}

export function isBlockedAddress(address: string): boolean {
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 address in disguise.
  const mapped = family === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped) return blockList.check(mapped, 'ipv4');
  return blockList.check(address, family);
}

async function resolveChecked(host: string, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  const literal = host.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(literal)
    ? [{ address: literal, family: net.isIP(literal) }]
    : await dns.promises.lookup(literal, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${host} does not resolve`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) throw new BlockedAddressError(`${host} resolves to ${bad.address}, a private or loopback address; blocked (see WEBHOOK_ALLOW_PRIVATE)`);
  }
  return addresses[0]!;
}

/**
 * `keepAlive` pools connections (a broadcast sends thousands of requests to one host). The pool is split by the
 * private-address policy, so a socket opened to a private address under `allowPrivate` is never reused by a
 * request that forbids it; a pooled socket always goes to an address that was checked when it was opened.
 */
export function createHttpClient(defaults: { allowPrivate: boolean; userAgent?: string; keepAlive?: { maxSockets: number } }): HttpClient {
  const agents = new Map<string, http.Agent>();
  const agentFor = (protocol: string, allowPrivate: boolean) => {
    if (!defaults.keepAlive) return undefined;
    const key = `${protocol}${allowPrivate}`;
    let a = agents.get(key);
    if (!a) {
      const opts = { keepAlive: true, keepAliveMsecs: 5_000, maxSockets: defaults.keepAlive.maxSockets, maxFreeSockets: defaults.keepAlive.maxSockets, timeout: 30_000 };
      a = protocol === 'https:' ? new https.Agent(opts) : new http.Agent(opts);
      agents.set(key, a);
    }
    return a;
  };
  return {
    async request(rawUrl, init) {
      const url = new URL(rawUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Unsupported protocol ${url.protocol}`);
      const allowPrivate = init.allowPrivate ?? defaults.allowPrivate;
      const target = await resolveChecked(url.hostname, allowPrivate);
      const lib = url.protocol === 'https:' ? https : http;
      const timeoutMs = init.timeoutMs ?? 10_000;
      return new Promise((resolve, reject) => {
        const req = lib.request(
          url,
          {
            method: init.method,
            ...(defaults.keepAlive ? { agent: agentFor(url.protocol, allowPrivate) } : {}),
            headers: { 'user-agent': defaults.userAgent ?? 'Balie', ...(init.headers ?? {}) },
            // Connect to the address we checked, whatever DNS says a millisecond later.
            lookup: (_host, options, cb) => {
              if ((options as dns.LookupOptions).all) cb(null, [{ address: target.address, family: target.family }] as never, undefined as never);
              else cb(null, target.address, target.family);
            },
            timeout: timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              // Responses are read for status and a short log snippet; never buffer megabytes.
              if (size <= 1_048_576) chunks.push(c);
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`Timed out after ${timeoutMs} ms`)));
        req.on('error', reject);
        if (init.body !== undefined) req.write(init.body);
        req.end();
      });
    },
  };
}
