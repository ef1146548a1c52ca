import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A real SMTP server (smtp-server) that collects parsed messages: the upstream mail server in tests. */
export async function createSmtpSink() {
  const messages: ParsedMail[] = [];
  /** SMTP envelope recipients per message, in the same order (Bcc is only visible here). */
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((m) => {
          envelopes.push(session.envelope.rcptTo.map((r) => r.address));
          messages.push(m);
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, port, messages, envelopes, close: () => new Promise<void>((r) => server.close(() => r())) };
}
