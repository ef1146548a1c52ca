import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { automaticHeaders } from '../channels/email/transport';

/** System mail (invitations, password resets) through SMTP_URL. Without it, Balie says so instead of pretending. */
export interface SystemMailer {
  readonly configured: boolean;
  send(mail: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

export function createSystemMailer(smtpUrl: string | undefined, from: string, log: Logger): SystemMailer {
  if (!smtpUrl) {
    return {
      configured: false,
      async send(mail) {
        log.warn({ subject: mail.subject }, 'SMTP_URL is not set; system mail not sent');
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    configured: true,
    async send(mail) {
      // Invitations, password resets, transcripts: all automatic (RFC 3834), so no out-of-office answers them.
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, headers: automaticHeaders('auto-generated') });
    },
    close: () => transport.close(),
  };
}
