import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStore } from '../../src/store/db';
import { createTestApp, setupWorkspace, type TestApp } from '../support/app';
import { createTestDatabase, testDriver } from '../support/db';
import { createEmailInbox, customerClient, fakeDns } from '../support/email';
import { createTcpProxy } from '../support/tcp-proxy';

/**
 * The SMTP listener during a database outage (PostgreSQL behind a TCP proxy the test cuts): the sending mail server
 * gets a 4xx, so it keeps the mail and retries; after the database is back the retry is accepted and the mail
 * becomes a conversation. Nothing is lost and nothing is stored twice. (PGlite runs inside the process and cannot
 * go away on its own, so this runs on the postgres project.)
 */
describe.skipIf(testDriver !== 'postgres')('SMTP inbound while the database is down', () => {
  let app: TestApp;
  let token: string;
  let proxy: Awaited<ReturnType<typeof createTcpProxy>>;
  let client: ReturnType<typeof customerClient>;

  beforeAll(async () => {
    const url = new URL(await createTestDatabase());
    proxy = await createTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const store = await openStore({ dataDir: '', databaseUrl: url.toString(), poolSize: 5 });
    app = await createTestApp({ store });
    app.balie.services.dnsResolver = fakeDns();
    token = (await setupWorkspace(app)).apiToken;
    await createEmailInbox(app, token, { address: 'support@outage.test' });
    client = customerClient(await app.balie.listenSmtp(0, '127.0.0.1'));
  }, 120_000);
  afterAll(async () => {
    client?.close();
    proxy?.restore();
    await app?.close();
    await proxy?.close();
  });

  const mail = { from: 'klant@outage.test', to: 'support@outage.test', subject: 'Storing', messageId: '<outage-1@outage.test>', text: 'Komt dit aan?' };

  it('answers 4xx while the database is unreachable, and accepts the retry once it is back', async () => {
    proxy.cut();
    const refused = await client.send(mail).then(
      () => null,
      (err: { responseCode?: number; response?: string }) => err,
    );
    expect(refused).not.toBeNull();
    expect(refused!.responseCode).toBeGreaterThanOrEqual(400);
    expect(refused!.responseCode).toBeLessThan(500);
    expect(refused!.response).toMatch(/^4\d\d 4\.3\.0 Temporary failure/);
    expect(await app.call('GET', '/healthz').then((r) => r.status)).toBe(503);

    proxy.restore();
    // The sending server retries later, with the same message.
    const accepted = await app.until(async () => client.send(mail).catch(() => null), 30_000);
    expect(accepted.response).toMatch(/^250/);
    const conv = await app.until(async () => {
      const r = await app.call('GET', '/api/v1/conversations?status=open', { token });
      return r.body.items?.length ? r.body.items : null;
    });
    expect(conv.map((c: { subject: string }) => c.subject)).toEqual(['Storing']);
    const [raw] = await app.balie.services.store.rows<{ n: number }>(sql`select count(*)::int as n from email_raw_messages`);
    expect(Number(raw!.n)).toBe(1);

    // A second retry of the same mail (the sender did not see our 250) is stored once.
    await client.send(mail);
    const [again] = await app.balie.services.store.rows<{ n: number }>(sql`select count(*)::int as n from messages where kind = 'message'`);
    expect(Number(again!.n)).toBe(1);
  });
});
