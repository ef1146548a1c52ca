import type { z } from 'zod';
import type { InboundMessage } from '../app/ingest-inbound';

/**
 * The adapter interface every channel implements. An adapter is pure translation between a provider and
 * Balie: it verifies and parses what the provider sends, and sends what Balie asks. It never touches the
 * database; the ingest path and the send job do that for every channel alike.
 */
export interface ChannelCapabilities {
  attachments: boolean;
  templates: boolean;
  readReceipts: boolean;
  /** Free-form replies only within 24 hours of the customer's last message (WhatsApp, Messenger, Instagram). */
  window24h: boolean;
  /** Longest text the provider accepts in one message (null: no practical limit). */
  maxLength: number | null;
  /** The provider deduplicates sends by our key, so a retry after an unknown outcome cannot send twice. */
  idempotentSend: boolean;
}

/** The raw HTTP request as the provider sent it; signatures are checked on these exact bytes. */
export interface RawRequest {
  method: string;
  /** Full public URL the provider called (Twilio signs it). */
  url: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  query: Record<string, string | undefined>;
}

export type VerifyResult =
  | { ok: true }
  /** A handshake the provider expects answered directly (Meta's hub.challenge). */
  | { ok: true; respond: { status: number; contentType: string; body: string } }
  | { ok: false; status: 401 | 403; code: string; message: string };

/** One thing a provider told us: a customer message, or a status update about one of ours. */
export type ParsedInbound =
  | { type: 'message'; message: Omit<InboundMessage, 'workspaceId' | 'inboxId'> & { mediaToFetch?: MediaRef[] } }
  | { type: 'status'; externalId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; reason?: string; at?: Date }
  | { type: 'ignored'; reason: string };

export interface MediaRef {
  id: string;
  url?: string;
  fileName?: string;
  contentType?: string;
}

export interface ParseResult {
  /** Unique per provider event; stored with the raw event so a redelivery is a no-op. */
  eventId: string;
  items: ParsedInbound[];
}

export interface OutboundMessage {
  /** Balie's message id; used as the idempotency key where the provider supports one. */
  id: string;
  conversationId: string;
  content: string;
  contentType: 'text' | 'html' | 'markdown';
  contentAttributes: Record<string, unknown>;
  attachments: {
    fileName: string;
    contentType: string;
    size: number;
    read(): Promise<Buffer>;
    /** Balie's own (login-protected) download URL. */
    url?: string;
    /** A signed, expiring URL that needs no login, for providers that fetch media themselves (Twilio MMS, Instagram). */
    publicUrl?: string;
  }[];
  /** The contact's identities, so the adapter can pick its own (phone, PSID, chat id, address). */
  recipient: { name: string; identities: { kind: string; value: string }[] };
  conversation: { number: number; subject: string | null; channelState: Record<string, unknown> };
  /** The agent who wrote it (e-mail adds their name and signature). */
  sender?: { name: string; emailSignature?: string };
  /**
   * Sent by Balie itself, not typed by a person (RFC 3834): `auto-replied` answers the customer's message (the
   * promise acknowledgement), `auto-generated` is anything else automatic. E-mail sends it as Auto-Submitted.
   */
  autoSubmitted?: 'auto-generated' | 'auto-replied';
}

export type SendResult =
  | { ok: true; externalId: string; channelState?: Record<string, unknown> }
  | { ok: false; code: string; message: string; retryable: boolean };

export interface SendContext<S, K> {
  inboxId: string;
  workspaceId: string;
  settings: S;
  secrets: K;
  /** Outbound HTTP that honours the private-address policy for admin-configured URLs. */
  http: HttpClient;
  publicUrl: string;
  /** Injected clock (24-hour windows are judged against it). */
  now: Date;
  /** The operator's outbound mail server (SMTP_URL), for channels that send e-mail. */
  smtpUrl?: string;
  /** Admin-entered SMTP/IMAP hosts may be private addresses (BALIE_ALLOW_PRIVATE_MAIL_HOSTS). */
  allowPrivateMailHosts?: boolean;
}

export interface HttpClient {
  request(url: string, init: { method: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number; allowPrivate?: boolean }): Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>;
}

export interface ChannelAdapter<S = Record<string, unknown>, K = Record<string, unknown>> {
  kind: string;
  capabilities: ChannelCapabilities;
  /** Non-secret settings, returned by the API. */
  settingsSchema: z.ZodType<S>;
  /** Secret settings: encrypted at rest, write-only through the API. */
  secretsSchema: z.ZodType<K>;
  /** Whether the provider calls Balie at /webhooks/{kind}/{inboxId}. */
  receivesWebhooks: boolean;
  verifyWebhook?(req: RawRequest, config: { settings: S; secrets: K }): VerifyResult;
  /** Pure: provider payload → what happened. Throws only on payloads that cannot be understood. */
  parseInbound?(req: RawRequest, config: { settings: S; secrets: K }): ParseResult;
  send(message: OutboundMessage, ctx: SendContext<S, K>): Promise<SendResult>;
  /** Downloads media a webhook only referenced (WhatsApp media ids, Twilio media URLs). */
  fetchMedia?(ref: MediaRef, ctx: SendContext<S, K>): Promise<{ fileName: string; contentType: string; data: Buffer }>;
  /** What the provider expects as the 200 answer to a webhook (Twilio: TwiML); default text/plain "ok". */
  webhookAck?: { contentType: string; body: string };
  /** Name and picture of a customer seen for the first time (Messenger/Instagram profile API). */
  fetchProfile?(identity: { kind: string; value: string }, ctx: SendContext<S, K>): Promise<{ name?: string; avatarUrl?: string } | null>;
  /** Message templates the provider has approved (WhatsApp), for sending outside the 24-hour window. */
  listTemplates?(ctx: SendContext<S, K>): Promise<MessageTemplate[]>;
  /**
   * The provider learns Balie's webhook URL only when told (Telegram's setWebhook, done by checkConnection): the
   * connection check then also runs right after the inbox is created, so a new inbox receives without a click.
   */
  registersWebhook?: boolean;
  /** Optional "check connection" for the settings page; may also (re)register Balie's webhook with the provider. */
  checkConnection?(ctx: SendContext<S, K>): Promise<{ ok: true; detail?: string } | { ok: false; code: string; message: string }>;
}

/** An approved provider template; `variables` is how many {{n}} placeholders its body has. */
export interface MessageTemplate {
  name: string;
  language: string;
  category: string;
  status: string;
  body: string;
  variables: number;
}
