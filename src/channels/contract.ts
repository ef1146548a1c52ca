import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChannelAdapter, HttpClient, OutboundMessage, ParseResult, RawRequest, SendContext } from './channel';

/**
 * The ONE contract every channel adapter must pass (design.md). A channel's test file calls
 * `channelContract(fixture)`; the fixture brings the adapter and a local fake of its provider that speaks the
 * real protocol (paths, payloads, error codes, signatures). Channels that do not receive HTTP webhooks (API,
 * e-mail over SMTP/IMAP) leave `webhook` out and bring their own `deliver` for the end-to-end redelivery case.
 */

/** A webhook body as the provider sends it, before signing (the URL is known only once an inbox exists). */
export interface WebhookSample {
  name: string;
  contentType: string;
  body: string;
  /** What parseInbound must make of it. */
  expect: { messages: number; statuses: number; texts?: string[]; attachments?: number; check?(result: ParseResult): void };
}

export interface UnsignedRequest {
  method: 'POST';
  url: string;
  contentType: string;
  body: string;
}

export interface FakeProviderHandle<S, K> {
  /** Settings and secrets of an inbox pointed at the fake (apiBaseUrl). */
  settings: S;
  secrets: K;
  /** Who the adapter sends to (an identity of its own kind), and the conversation state of an open window. */
  recipient: OutboundMessage['recipient'];
  channelState: Record<string, unknown>;
  webhook?: {
    /** Adds the provider's valid signature headers. */
    sign(req: UnsignedRequest): RawRequest;
    /** The same request with a signature made with the wrong key. */
    forge(req: UnsignedRequest): RawRequest;
    samples: WebhookSample[];
    /** false when the provider proves itself with a shared secret header instead of signing the bytes (Telegram). */
    signsBody?: boolean;
    /** A signed provider handshake the adapter must answer directly (Meta's hub.challenge), if any. */
    handshake?: { request(url: string): RawRequest; expectBody: string; wrong(url: string): RawRequest };
  };
  /** Makes the fake's next send fail the way the provider does. */
  failNextSend(kind: 'retryable' | 'permanent'): void;
  /** What the fake accepted, in order: the text it would show the customer and attachment sizes. */
  sent(): { text: string; attachments: number[] }[];
  stop(): Promise<void>;
}

/** A running Balie for the end-to-end cases, provided by the test (it lives in test/support, not here). */
export interface ContractApp {
  createInbox(kind: string, settings: Record<string, unknown>): Promise<{ inboxId: string; webhookBase: string }>;
  /** POSTs a raw request to /webhooks/{kind}/{inboxId} as the provider would; returns the HTTP status. */
  postWebhook(kind: string, inboxId: string, req: RawRequest): Promise<number>;
  /** Waits for background work and returns the inbox's messages. */
  settledMessages(inboxId: string, expected: number): Promise<{ direction: string | null; externalId: string | null; content: string }[]>;
  inboundEventCount(inboxId: string): Promise<number>;
  /** The Balie API as the workspace owner (for channels that bring messages in through it). */
  callApi(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export interface ChannelContractFixture<S, K> {
  adapter: ChannelAdapter<S, K>;
  startFake(): Promise<FakeProviderHandle<S, K>>;
  /** For the end-to-end redelivery case. */
  startApp(): Promise<ContractApp>;
  /** Channels without HTTP webhooks: deliver one inbound message natively (twice = a redelivery). */
  deliver?(app: ContractApp, inboxId: string, n: number): Promise<void>;
  /** A test HTTP client (no private-address policy: the fake listens on loopback). */
  http: HttpClient;
}

const capabilitiesSchema = z.strictObject({
  attachments: z.boolean(),
  templates: z.boolean(),
  readReceipts: z.boolean(),
  window24h: z.boolean(),
  maxLength: z.number().int().positive().nullable(),
  idempotentSend: z.boolean(),
});

export function channelContract<S, K>(fixture: ChannelContractFixture<S, K>) {
  const { adapter } = fixture;
  describe(`channel contract: ${adapter.kind}`, () => {
    let fake: FakeProviderHandle<S, K>;
    beforeAll(async () => {
      fake = await fixture.startFake();
    });
    afterAll(async () => {
      await fake?.stop();
    });

    const ctx = (): SendContext<S, K> => ({
      inboxId: '00000000-0000-4000-8000-000000000001',
      workspaceId: '00000000-0000-4000-8000-000000000002',
      settings: fake.settings,
      secrets: fake.secrets,
      http: fixture.http,
      publicUrl: 'http://balie.test',
      now: new Date(),
    });
    let seq = 0;
    const outbound = (content: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
      id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
      conversationId: '00000000-0000-4000-8000-0000000000c1',
      content,
      contentType: 'text',
      contentAttributes: {},
      attachments: [],
      recipient: fake.recipient,
      conversation: { number: 1, subject: null, channelState: fake.channelState },
      ...extra,
    });
    const url = `http://balie.test/webhooks/${adapter.kind}/00000000-0000-4000-8000-000000000001`;

    it('declares its capabilities and its settings and secrets schemas accept the fixture', () => {
      expect(capabilitiesSchema.safeParse(adapter.capabilities).success).toBe(true);
      expect(adapter.settingsSchema.safeParse(fake.settings).success).toBe(true);
      expect(adapter.secretsSchema.safeParse(fake.secrets).success).toBe(true);
      expect(Boolean(adapter.verifyWebhook && adapter.parseInbound)).toBe(adapter.receivesWebhooks);
      expect(Boolean(fake.webhook)).toBe(adapter.receivesWebhooks);
      // Secrets never leak into the public settings.
      const secretKeys = Object.keys((fake.secrets ?? {}) as object);
      expect(Object.keys((fake.settings ?? {}) as object).filter((k) => secretKeys.includes(k))).toEqual([]);
    });

    if (adapter.receivesWebhooks) {
      const req = (s: WebhookSample): UnsignedRequest => ({ method: 'POST', url, contentType: s.contentType, body: s.body });

      it('accepts a good signature on the raw bytes', () => {
        for (const s of fake.webhook!.samples) expect(adapter.verifyWebhook!(fake.webhook!.sign(req(s)), cfg())).toEqual({ ok: true });
      });
      it('rejects a forged signature, a missing signature and (where the bytes are signed) changed bytes with 401/403', () => {
        for (const s of fake.webhook!.samples) {
          const forged = adapter.verifyWebhook!(fake.webhook!.forge(req(s)), cfg());
          expect(forged.ok).toBe(false);
          const signed = fake.webhook!.sign(req(s));
          const missing = adapter.verifyWebhook!({ ...signed, headers: withoutSignature(signed.headers) }, cfg());
          expect(missing.ok).toBe(false);
          const verdicts = [forged, missing];
          if (fake.webhook!.signsBody !== false) {
            const tampered = adapter.verifyWebhook!({ ...signed, rawBody: Buffer.concat([signed.rawBody, Buffer.from(' ')]) }, cfg());
            expect(tampered.ok).toBe(false);
            verdicts.push(tampered);
          }
          for (const v of verdicts) if (!v.ok) expect([401, 403]).toContain(v.status);
        }
      });
      it('answers the provider handshake only with the right token (if the provider has one)', () => {
        const hs = fake.webhook!.handshake;
        if (!hs) return;
        const good = adapter.verifyWebhook!(hs.request(url), cfg());
        expect(good).toMatchObject({ ok: true, respond: { status: 200, body: hs.expectBody } });
        expect(adapter.verifyWebhook!(hs.wrong(url), cfg()).ok).toBe(false);
      });
      it('parses the documented payloads into messages and statuses', () => {
        for (const s of fake.webhook!.samples) {
          const parsed = adapter.parseInbound!(fake.webhook!.sign(req(s)), cfg());
          expect(parsed.eventId.length, s.name).toBeGreaterThan(0);
          expect(parsed.eventId.length, s.name).toBeLessThanOrEqual(500);
          const messages = parsed.items.flatMap((i) => (i.type === 'message' ? [i.message] : []));
          const statuses = parsed.items.filter((i) => i.type === 'status');
          expect(messages.length, s.name).toBe(s.expect.messages);
          expect(statuses.length, s.name).toBe(s.expect.statuses);
          for (const m of messages) {
            expect(m.externalId.length, s.name).toBeGreaterThan(0);
            expect(m.contact.identities.length, s.name).toBeGreaterThan(0);
          }
          if (s.expect.texts) expect(messages.map((m) => m.content), s.name).toEqual(s.expect.texts);
          if (s.expect.attachments !== undefined) {
            expect(messages.reduce((n, m) => n + (m.mediaToFetch?.length ?? 0) + (m.attachments?.length ?? 0), 0), s.name).toBe(s.expect.attachments);
          }
          s.expect.check?.(parsed);
          // Pure: the same bytes give the same event id (that is what makes a redelivery a no-op).
          expect(adapter.parseInbound!(fake.webhook!.sign(req(s)), cfg()).eventId).toBe(parsed.eventId);
        }
      });
    }

    it('a redelivered inbound event is a no-op end to end', async () => {
      const app = await fixture.startApp();
      try {
        const { inboxId, webhookBase } = await app.createInbox(adapter.kind, { ...(fake.settings as object), ...(fake.secrets as object) });
        if (fixture.deliver) {
          await fixture.deliver(app, inboxId, 1);
          await fixture.deliver(app, inboxId, 1);
          await fixture.deliver(app, inboxId, 2);
          const msgs = await app.settledMessages(inboxId, 2);
          expect(msgs.filter((m) => m.direction === 'inbound')).toHaveLength(2);
          return;
        }
        const sample = fake.webhook!.samples.find((s) => s.expect.messages > 0)!;
        const signed = () => fake.webhook!.sign({ method: 'POST', url: `${webhookBase}/webhooks/${adapter.kind}/${inboxId}`, contentType: sample.contentType, body: sample.body });
        expect(await app.postWebhook(adapter.kind, inboxId, signed())).toBe(200);
        expect(await app.postWebhook(adapter.kind, inboxId, signed())).toBe(200);
        expect(await app.postWebhook(adapter.kind, inboxId, signed())).toBe(200);
        const forged = fake.webhook!.forge({ method: 'POST', url: `${webhookBase}/webhooks/${adapter.kind}/${inboxId}`, contentType: sample.contentType, body: sample.body });
        expect([401, 403]).toContain(await app.postWebhook(adapter.kind, inboxId, forged));
        const msgs = await app.settledMessages(inboxId, sample.expect.messages);
        expect(msgs.filter((m) => m.direction === 'inbound')).toHaveLength(sample.expect.messages);
        expect(await app.inboundEventCount(inboxId)).toBe(1);
      } finally {
        await app.close();
      }
      // A whole Balie starts and stops in here; on a busy CI machine that takes a while.
    }, 120_000);

    it('sends text and returns the provider message id', async () => {
      const before = fake.sent().length;
      const res = await adapter.send(outbound('Hallo, uw pakket komt morgen.'), ctx());
      expect(res).toMatchObject({ ok: true });
      if (res.ok) expect(res.externalId.length).toBeGreaterThan(0);
      expect(fake.sent().slice(before).map((s) => s.text).join('')).toContain('Hallo, uw pakket komt morgen');
    });
    it('reports a retryable provider error as retryable', async () => {
      fake.failNextSend('retryable');
      const res = await adapter.send(outbound('retry me'), ctx());
      expect(res).toMatchObject({ ok: false, retryable: true });
    });
    it('reports a permanent provider error with the provider’s reason, not retryable', async () => {
      fake.failNextSend('permanent');
      const res = await adapter.send(outbound('fail me'), ctx());
      expect(res).toMatchObject({ ok: false, retryable: false });
      if (!res.ok) {
        expect(res.code).toMatch(/^[a-z0-9_]+$/);
        expect(res.message.length).toBeGreaterThan(3);
      }
    });
    it('reports an unreachable provider as a retryable network error', async () => {
      const res = await adapter.send(outbound('nobody home'), { ...ctx(), http: { request: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) } });
      expect(res).toMatchObject({ ok: false, retryable: true });
    });
    it('honours its max length: the full text arrives or the send is refused, never silently cut', async () => {
      const max = adapter.capabilities.maxLength;
      if (max === null) return;
      const before = fake.sent().length;
      const exact = 'x'.repeat(max);
      expect((await adapter.send(outbound(exact), ctx())).ok).toBe(true);
      expect(fake.sent().slice(before).map((s) => s.text).join('')).toBe(exact);
      const mid = fake.sent().length;
      const over = await adapter.send(outbound('y'.repeat(max + 1)), ctx());
      if (over.ok) expect(fake.sent().slice(mid).map((s) => s.text).join('')).toBe('y'.repeat(max + 1));
      else expect(over).toMatchObject({ retryable: false });
    });
    it('sends attachments when it declares them', async () => {
      if (!adapter.capabilities.attachments) return;
      const data = Buffer.from('%PDF-1.4 factuur');
      // Providers that fetch media themselves get the file's signed link; here a local server plays Balie.
      const server = http.createServer((req, res) => {
        if (req.url !== '/media/signed/factuur.pdf') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(data.length) }).end(data);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const publicUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/media/signed/factuur.pdf`;
      try {
        const before = fake.sent().length;
        const res = await adapter.send(
          outbound('De factuur', { attachments: [{ fileName: 'factuur.pdf', contentType: 'application/pdf', size: data.length, read: async () => data, url: 'http://balie.test/files/x', publicUrl }] }),
          ctx(),
        );
        expect(res.ok).toBe(true);
        expect(fake.sent().slice(before).flatMap((s) => s.attachments)).toContain(data.length);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    function cfg() {
      return { settings: fake.settings, secrets: fake.secrets };
    }
  });
}

function withoutSignature(headers: RawRequest['headers']): RawRequest['headers'] {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !/signature|secret-token/i.test(k)));
}
