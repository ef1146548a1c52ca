import { lazyRequire } from '../shared/lazy-require';
import type { Deps } from './context';

const loadMailauth = lazyRequire<typeof import('mailauth')>('mailauth');

/** SPF, DKIM and DMARC of one inbound mail, as shown on the message. */
export interface EmailAuthResult {
  spf: string;
  dkim: string;
  dmarc: string;
  /** Short reason per check for the agent ("dkim: body hash did not verify"). */
  details: string[];
}

/**
 * Evaluates authenticity with mailauth against the SMTP client's address and envelope sender. A DNS failure is a
 * `temperror`, never a crash; evaluation is bounded in time so a slow resolver cannot hold the mail back.
 */
export async function evaluateAuthenticity(
  deps: Pick<Deps, 'dnsResolver'>,
  raw: Buffer,
  envelope: { clientIp?: string; helo?: string; mailFrom?: string },
): Promise<EmailAuthResult | null> {
  if (!envelope.clientIp) return null;
  const run = loadMailauth().authenticate(raw, {
    ip: envelope.clientIp,
    helo: envelope.helo,
    sender: envelope.mailFrom || undefined,
    mta: 'balie',
    disableArc: true,
    disableBimi: true,
    ...(deps.dnsResolver ? { resolver: deps.dnsResolver as never } : {}),
  } as never) as Promise<{ spf?: { status?: { result?: string; comment?: string } }; dkim?: { results?: { status?: { result?: string; comment?: string } }[] }; dmarc?: { status?: { result?: string; comment?: string } } }>;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000).unref());
  try {
    const result = await Promise.race([run, timeout]);
    if (!result) return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', details: ['timeout'] };
    const dkim = result.dkim?.results?.map((r) => r.status?.result ?? 'none') ?? [];
    const details = [
      result.spf?.status?.comment ? `spf: ${result.spf.status.comment}` : null,
      ...(result.dkim?.results ?? []).map((r) => (r.status?.comment ? `dkim: ${r.status.comment}` : null)),
    ].filter((d): d is string => !!d).map((d) => d.slice(0, 200));
    return {
      spf: result.spf?.status?.result ?? 'none',
      dkim: dkim.includes('pass') ? 'pass' : (dkim[0] ?? 'none'),
      dmarc: result.dmarc ? (result.dmarc.status?.result ?? 'none') : 'none',
      details,
    };
  } catch (err) {
    return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', details: [(err as Error).message.slice(0, 200)] };
  }
}
