import dns from 'node:dns';
import net from 'node:net';
import { isBlockedAddress } from '../../app/safe-http';

/**
 * SMTP and IMAP servers are typed in by workspace admins, so they are a way into the server's own network (SSRF):
 * `127.0.0.1:6379`, the cloud metadata service at 169.254.169.254, an internal host. Every address the host
 * resolves to is checked, when the settings are saved and again on every connection (the connection then goes
 * to the checked address, so DNS rebinding between check and connect gains nothing). The server operator allows
 * private hosts with BALIE_ALLOW_PRIVATE_MAIL_HOSTS=1 (an on-premises mail server, tests).
 */
export class MailHostBlockedError extends Error {
  readonly code = 'mail_host_blocked';
}

export type MailRole = 'SMTP' | 'IMAP';

export interface CheckedHost {
  address: string;
  family: number;
}

export async function checkMailHost(host: string, role: MailRole, allowPrivate: boolean): Promise<CheckedHost> {
  const literal = host.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(literal) ? [{ address: literal, family: net.isIP(literal) }] : await dns.promises.lookup(literal, { all: true, verbatim: true });
  if (addresses.length === 0) throw Object.assign(new Error(`${host} does not resolve`), { code: 'ENOTFOUND' });
  if (!allowPrivate) {
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) {
      const what = bad.address === literal ? `${host} is` : `${host} resolves to ${bad.address}, which is`;
      throw new MailHostBlockedError(
        `The ${role} server ${what} a loopback, private or link-local address; Balie does not connect there. For a mail server in your own network, the server operator sets BALIE_ALLOW_PRIVATE_MAIL_HOSTS=1.`,
      );
    }
  }
  return addresses[0]!;
}

/**
 * nodemailer's `getSocket` hook: a TCP connection to the checked address of the inbox's SMTP host. nodemailer
 * does TLS on it itself (implicit TLS or STARTTLS) with the host name as servername, so certificates are still
 * verified against the name the admin typed.
 */
export function checkedSmtpSocket(host: string, port: number, allowPrivate: boolean, timeoutMs = 15_000) {
  return (_options: unknown, callback: (err: Error | null, socketOptions?: { connection: net.Socket }) => void) => {
    checkMailHost(host, 'SMTP', allowPrivate).then(
      (target) => {
        const socket = net.connect({ host: target.address, port, family: target.family });
        const fail = (err: Error) => {
          socket.removeListener('timeout', onTimeout);
          socket.destroy();
          callback(err);
        };
        const onTimeout = () => fail(Object.assign(new Error(`Connection to ${host}:${port} timed out`), { code: 'ETIMEDOUT' }));
        socket.setTimeout(timeoutMs);
        socket.once('timeout', onTimeout);
        socket.once('error', fail);
        socket.once('connect', () => {
          socket.setTimeout(0);
          socket.removeListener('timeout', onTimeout);
          socket.removeListener('error', fail);
          // nodemailer takes over the socket and its errors from here.
          callback(null, { connection: socket });
        });
      },
      (err: Error) => callback(err),
    );
  };
}
