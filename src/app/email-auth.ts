import { lazyRequire } from '../shared/lazy-require';
import { headerFields, trustedTrace, type TrustSettings } from '../channels/email/trace';
import type { Deps } from './context';

const loadMailauth = lazyRequire<typeof import('mailauth')>('mailauth');

/** SPF, DKIM and DMARC of one inbound mail, as shown on the message. */
export interface EmailAuthResult {
  spf: string;
  dkim: string;
  dmarc: string;
  /**
   * What SPF and DMARC were judged on: Balie's own SMTP session, the mailbox provider's Received header, the
   * provider's Authentication-Results, or (IMAP mail without a usable trace) the DKIM signature alone.
   */
  basis?: 'smtp' | 'received' | 'authentication_results' | 'dkim_only';
  /** Short reason per check for the agent ("dkim: body hash did not verify"). */
  details: string[];
}

type Status = { status?: { result?: string; comment?: string } };
type MailauthResult = { spf?: Status | false; dkim?: { results?: Status[] }; dmarc?: Status | false };

const TIMEOUT_MS = 5000;
const temperror = (detail: string): EmailAuthResult => ({ spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', details: [detail.slice(0, 200)] });

/**
 * Evaluates authenticity with mailauth. Mail from Balie's SMTP listener is judged against the client's address
 * and envelope sender. Mail fetched over IMAP (`trust` given) has no session of ours: DKIM verifies from the
 * message itself, SPF and DMARC use the client the provider's own MX recorded (see channels/email/trace.ts), and
 * the provider's Authentication-Results count only from its configured authserv-id. A DNS failure is a
 * `temperror`, never a crash; evaluation is bounded in time so a slow resolver cannot hold the mail back.
 */
export async function evaluateAuthenticity(
  deps: Pick<Deps, 'dnsResolver'>,
  raw: Buffer,
  envelope: { clientIp?: string; helo?: string; mailFrom?: string },
  trust?: TrustSettings,
): Promise<EmailAuthResult | null> {
  if (envelope.clientIp) return bounded(() => viaSession(deps, raw, { ip: envelope.clientIp!, helo: envelope.helo, sender: envelope.mailFrom || undefined }, 'smtp'));
  if (!trust) return null;
  const trace = trustedTrace(headerFields(raw), trust);
  const result = await bounded(() =>
    trace.client ? viaSession(deps, raw, { ip: trace.client.ip!, helo: trace.client.helo ?? undefined, sender: trace.client.sender ?? undefined }, 'received') : dkimOnly(deps, raw),
  );
  if (trace.client && result.basis === 'received') result.details.unshift(`spf: client ${trace.client.ip} as received by ${trace.client.by ?? 'the provider'}`);
  const ar = trace.authResults;
  if (ar) {
    // The provider saw the real SMTP session: its SPF and DMARC verdicts beat ours; our own DKIM check stands
    // unless DNS kept us from doing it.
    const pick = (ours: string, theirs: string | undefined) => theirs ?? ours;
    result.spf = pick(result.spf, ar.results.spf);
    result.dmarc = pick(result.dmarc, ar.results.dmarc);
    if ((result.dkim === 'none' || result.dkim === 'temperror') && ar.results.dkim) result.dkim = ar.results.dkim;
    result.basis = 'authentication_results';
    result.details.unshift(`spf/dmarc: Authentication-Results of ${ar.servId}`);
  }
  result.details.push(...trace.notes);
  result.details = result.details.map((d) => d.slice(0, 200)).slice(0, 10);
  return result;
}

async function bounded(run: () => Promise<EmailAuthResult>): Promise<EmailAuthResult> {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), TIMEOUT_MS).unref());
  try {
    return (await Promise.race([run(), timeout])) ?? temperror('timeout');
  } catch (err) {
    return temperror((err as Error).message);
  }
}

const resolverOf = (deps: Pick<Deps, 'dnsResolver'>) => (deps.dnsResolver ? { resolver: deps.dnsResolver as never } : {});

async function viaSession(deps: Pick<Deps, 'dnsResolver'>, raw: Buffer, session: { ip: string; helo?: string | undefined; sender?: string | undefined }, basis: 'smtp' | 'received'): Promise<EmailAuthResult> {
  const result = (await loadMailauth().authenticate(raw, {
    ip: session.ip,
    helo: session.helo,
    sender: session.sender,
    mta: 'balie',
    disableArc: true,
    disableBimi: true,
    ...resolverOf(deps),
  } as never)) as MailauthResult;
  return summarize(result, basis);
}

/** No trustworthy client address: DKIM from the message itself, DMARC on DKIM alignment alone. */
async function dkimOnly(deps: Pick<Deps, 'dnsResolver'>, raw: Buffer): Promise<EmailAuthResult> {
  const mailauth = loadMailauth();
  const dkim = (await mailauth.dkimVerify(raw, { ...resolverOf(deps) } as never)) as unknown as {
    headerFrom?: string[];
    results?: (Status & { signingDomain?: string; id?: string; status?: { result?: string; comment?: string; aligned?: string | false; underSized?: number } })[];
  };
  const dmarc = dkim.headerFrom?.length
    ? ((await mailauth.dmarc({
        headerFrom: dkim.headerFrom,
        spfDomains: [],
        dkimDomains: (dkim.results ?? [])
          .filter((r) => r.status?.result === 'pass')
          .map((r) => ({ id: r.id, domain: r.signingDomain, aligned: r.status?.aligned, underSized: r.status?.underSized })),
        ...resolverOf(deps),
      } as never)) as Status | false)
    : false;
  return summarize({ spf: false, dkim, dmarc }, 'dkim_only');
}

function summarize(result: MailauthResult, basis: NonNullable<EmailAuthResult['basis']>): EmailAuthResult {
  // mailauth calls a body that no longer matches its signature "neutral"; RFC 6376 §6.3 makes it a PERMFAIL.
  const dkim = result.dkim?.results?.map((r) => (r.status?.result === 'neutral' && /body hash did not verify/i.test(r.status.comment ?? '') ? 'fail' : (r.status?.result ?? 'none'))) ?? [];
  const details = [
    result.spf && result.spf.status?.comment ? `spf: ${result.spf.status.comment}` : null,
    ...(result.dkim?.results ?? []).map((r) => (r.status?.comment ? `dkim: ${r.status.comment}` : null)),
  ].filter((d): d is string => !!d);
  return {
    spf: result.spf ? (result.spf.status?.result ?? 'none') : 'none',
    dkim: dkim.includes('pass') ? 'pass' : (dkim[0] ?? 'none'),
    dmarc: result.dmarc ? (result.dmarc.status?.result ?? 'none') : 'none',
    basis,
    details,
  };
}
