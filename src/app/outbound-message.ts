import fs from 'node:fs';
import type { OutboundMessage } from '../channels/channel';
import type { attachments, contacts, conversations, messages } from '../store/schema';
import type { Deps } from './context';
import { attachmentUrl } from './dto';
import { mediaLinkUrl } from './media-links';

/**
 * The one place an outbound message row becomes what a channel adapter sends: `send-outbound` (one message,
 * with its sender's name and signature) and `send-batch` (a broadcast page) both build it here, so a field added
 * for one channel reaches every way of sending.
 */
export interface OutboundParts {
  message: typeof messages.$inferSelect;
  conversation: Pick<typeof conversations.$inferSelect, 'id' | 'number' | 'subject' | 'channelState'>;
  contact: Pick<typeof contacts.$inferSelect, 'name'>;
  identities: Array<{ kind: string; value: string }>;
  files: Array<typeof attachments.$inferSelect>;
  sender?: { name: string; settings: Record<string, unknown> } | undefined;
}

/** An agent's reply is a person writing; everything Balie sends by itself is automatic (RFC 3834). */
export function autoSubmittedOf(message: Pick<typeof messages.$inferSelect, 'senderType' | 'contentAttributes'>): OutboundMessage['autoSubmitted'] {
  if (message.senderType === 'user') return undefined;
  return message.contentAttributes.promise ? 'auto-replied' : 'auto-generated';
}

export function buildOutboundMessage(deps: Pick<Deps, 'config' | 'files' | 'secrets' | 'runtime'>, p: OutboundParts): OutboundMessage {
  return {
    id: p.message.id,
    conversationId: p.conversation.id,
    content: p.message.content,
    contentType: p.message.contentType,
    contentAttributes: p.message.contentAttributes,
    attachments: p.files.map((f) => ({
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.size,
      url: `${deps.config.publicUrl}${attachmentUrl(f)}`,
      // Providers that fetch media themselves (Twilio MMS, Instagram) get a signed, expiring link without login.
      publicUrl: mediaLinkUrl(deps, { workspaceId: f.workspaceId, id: f.id, fileName: f.fileName }),
      read: () => fs.promises.readFile(deps.files.path(f.sha256)),
    })),
    recipient: { name: p.contact.name, identities: p.identities.map((i) => ({ kind: i.kind, value: i.value })) },
    conversation: { number: p.conversation.number, subject: p.conversation.subject, channelState: p.conversation.channelState },
    ...(autoSubmittedOf(p.message) ? { autoSubmitted: autoSubmittedOf(p.message) } : {}),
    ...(p.sender ? { sender: { name: p.sender.name, ...(typeof p.sender.settings.emailSignature === 'string' ? { emailSignature: p.sender.settings.emailSignature } : {}) } } : {}),
  };
}
