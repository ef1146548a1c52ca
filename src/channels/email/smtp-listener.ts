import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

/**
 * Balie's inbound SMTP listener (a mail server forwards the support address here). It accepts only recipients
 * that belong to an e-mail inbox, reads the message with a size cap, and answers 250 only after `deliver` has
 * committed the raw bytes; while the database is unavailable it answers 451 so the sender retries later.
 */
export interface SmtpListenerOptions {
  /** Whether an address belongs to an inbox; a thrown error means "try later" (451). */
  acceptsRecipient(address: string): Promise<boolean>;
  deliver(raw: Buffer, envelope: { mailFrom: string; rcptTo: string[]; clientIp: string; helo: string }): Promise<void>;
  maxBytes: number;
  log: { warn(obj: object, msg: string): void };
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export function createSmtpListener(opts: SmtpListenerOptions) {
  const server = new SMTPServer({
    name: 'balie',
    banner: 'Balie',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: opts.maxBytes,
    logger: false,
    maxClients: 200,
    socketTimeout: 60_000,
    closeTimeout: 10_000,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, cb: (err?: Error | null) => void) {
      opts
        .acceptsRecipient(address.address)
        .then((ok) => cb(ok ? null : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)))
        .catch(() => cb(smtpError(451, '4.3.0 Temporary failure, please try again later')));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        // Past the cap we keep reading (the protocol needs the whole DATA) but store nothing.
        if (size <= opts.maxBytes) chunks.push(c);
      });
      stream.on('error', (err) => cb(err));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > opts.maxBytes) return cb(smtpError(552, `5.3.4 Message too big (limit ${opts.maxBytes} bytes)`));
        const raw = Buffer.concat(chunks);
        const envelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          clientIp: session.remoteAddress,
          helo: session.hostNameAppearsAs ?? '',
        };
        opts
          .deliver(raw, envelope)
          .then(() => cb(null))
          .catch((err: Error) => {
            opts.log.warn({ err: err.message }, 'inbound mail not stored; asked the sender to retry');
            cb(smtpError(451, '4.3.0 Temporary failure storing the message, please try again later'));
          });
      });
    },
  });
  server.on('error', (err) => opts.log.warn({ err: err.message }, 'SMTP listener error'));
  return {
    server,
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => resolve((server.server.address() as { port: number }).port));
      });
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
