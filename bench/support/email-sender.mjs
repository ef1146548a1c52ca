// One SMTP client process for bench/email.bench.ts: sends its share of the mails over a nodemailer pool, so the
// client's own CPU is not counted against the server it measures (Balie or the baseline run in the parent).
// argv: port label from count connections. Protocol: warms up, prints "ready", waits for "go" on stdin, sends,
// prints "done".
import nodemailer from 'nodemailer';

const [port, label, from, count, connections] = process.argv.slice(2);
const start = Number(from);
const n = Number(count);
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(port), pool: true, maxConnections: Number(connections), maxMessages: Infinity, ignoreTLS: true });
const run = Date.now();
const send = (i) =>
  transport.sendMail({
    from: `Klant ${i % 2000} <klant${i % 2000}@example.nl>`,
    to: 'support@acme.test',
    subject: `Vraag ${i % 500}`,
    text: `Bericht ${i}: mijn modem knippert oranje sinds vanochtend.\n\nMet vriendelijke groet,\nKlant`,
    messageId: `<bench-${label}-${run}-${i}@example.nl>`,
  });

await Promise.all(Array.from({ length: 20 }, (_, i) => send(1_000_000 + start + i)));
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
let next = start;
const end = start + n;
const worker = async () => {
  while (next < end) await send(next++);
};
await Promise.all(Array.from({ length: Number(connections) * 2 }, worker));
transport.close();
process.stdout.write('done\n');
process.exit(0);
