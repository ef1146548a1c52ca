import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { TestApp } from './app';

/** DNS for mailauth without the internet: answers from a table, ENOTFOUND otherwise. */
export function fakeDns(records: Record<string, string[][] | string[]> = {}) {
  return async (name: string, rrtype: string) => {
    const hit = records[`${rrtype}:${name.toLowerCase()}`];
    if (hit) return hit;
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
}

export async function createEmailInbox(app: TestApp, token: string, settings: Record<string, unknown>, name = `Mail ${Math.random().toString(36).slice(2, 7)}`) {
  const res = await app.call('POST', '/api/v1/inboxes', { token, body: { name, kind: 'email', settings } });
  if (res.status !== 201) throw new Error(`email inbox failed: ${res.status} ${res.text}`);
  return res.body as { id: string; settings: Record<string, unknown>; secretsSet: string[] };
}

/** The customer's mail client: nodemailer talking SMTP to Balie's listener. */
export function customerClient(port: number) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 });
  return {
    send: (mail: Mail.Options) => transport.sendMail(mail),
    /** Raw RFC 5322 bytes, exactly as given. */
    sendRaw: (raw: string | Buffer, envelope: { from: string; to: string[] }) => transport.sendMail({ envelope, raw }),
    close: () => transport.close(),
  };
}
