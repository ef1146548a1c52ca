/**
 * What the widget API and its live socket send to the widget frame, shared by the server (src/app/widget-chat.ts,
 * src/http/routes/widget.ts, src/realtime/widget-hub.ts) and the frame app (widget/src/app.ts), so the two
 * cannot drift apart. Types only: the frame bundle imports nothing at run time from here.
 */
export interface VisitorAttachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** The answer bot's extras on its own messages. */
export interface BotMessageInfo {
  articleId?: string;
  articleTitle?: string;
  /** A path (/help/…): the frame links it on the origin it was loaded from. */
  articleUrl?: string;
  askFeedback?: boolean;
  handover?: boolean;
}

/** What the visitor sees of a message: no internal fields, no notes, agents by first name. */
export interface VisitorMessage {
  id: string;
  from: 'visitor' | 'agent' | 'bot';
  senderName: string | null;
  content: string;
  createdAt: string;
  attachments: VisitorAttachment[];
  bot?: BotMessageInfo;
}

export interface VisitorConversation {
  id: string;
  number: number;
  status: string;
  csat: { rating: number; comment: string } | null;
  botState: string | null;
}

export interface WidgetPublicConfig {
  inboxId: string;
  name: string;
  color: string;
  position: 'left' | 'right';
  greeting: { nl?: string; en?: string };
  language: 'auto' | 'nl' | 'en';
  preChatForm: 'off' | 'optional' | 'required';
  botEnabled: boolean;
  csatEnabled: boolean;
  identityRequired: boolean;
}

/** POST /api/widget/v1/inboxes/{id}/session */
export interface WidgetSession {
  token: string;
  verified: boolean;
  config: WidgetPublicConfig;
  expectation: { kind: 'open' | 'closed'; text: string };
  conversation: VisitorConversation | null;
  messages: VisitorMessage[];
  /** Active incident banners of the workspace (incident mode), shown above the conversation. */
  incidents?: Array<{ id: string; title: { nl: string; en: string }; banner: { nl: string; en: string } }>;
}

/** POST /api/widget/v1/transcript */
export interface TranscriptResult {
  /** The transcript went out now (the address came with the site's signed identity, or was confirmed). */
  mailed: boolean;
  /** The chat continues by e-mail now (the workspace has an e-mail inbox). */
  continuesByEmail: boolean;
  /** A typed address: a confirmation link went to it first; nothing of the chat is mailed before the click. */
  confirmationSent: boolean;
  /** After the click the chat continues by e-mail (else only the transcript follows). */
  continuesAfterConfirmation: boolean;
}

/** Frames on /api/widget/v1/live. */
export type WidgetLiveFrame =
  | { type: 'ready' }
  | { type: 'sync' }
  | { type: 'pong' }
  | { type: 'typing' }
  | { type: 'message'; message: VisitorMessage }
  | { type: 'conversation'; conversation: { id: string; status: string } };
