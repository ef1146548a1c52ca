import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { calls, contacts, inboxes, messages } from '../store/schema';
import { voiceSettingsSchema } from '../channels/voice/adapter';
import { twilioVoice } from '../channels/voice/twilio-voice';
import { AppError } from '../shared/errors';
import type { Actor, Deps } from './context';
import type { ConversationRow } from './dto';
import { channelContext } from './channel-context';
import { readSecrets } from './inboxes';
import { withOutbox } from './outbox';
import { callDto, publishCall } from './voice-calls';

export const clickToCallInput = z.object({
  /** The phone line to call from; default: the workspace's first one. */
  inboxId: z.uuid().optional(),
  /** The agent's own phone; default: their number in the line's agent list. */
  agentNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form').optional(),
  /** The agent followed the ping-pong nudge ("call this customer"): recorded on the call's message. */
  fromSuggestion: z.boolean().optional(),
});

/**
 * Click-to-call from a conversation: Balie calls the agent's phone first (so the agent is on the line before
 * the customer's phone rings), then the bridge step rings the customer with the line's number as caller id.
 * The call is a record on the conversation's timeline from the start. A provider refusal stores nothing.
 */
export async function clickToCall(deps: Deps, actor: Actor, conversation: ConversationRow, input: z.infer<typeof clickToCallInput>) {
  const ws = actor.workspaceId;
  const lines = await deps.store.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, ws), eq(inboxes.kind, 'voice'), isNull(inboxes.archivedAt), input.inboxId ? eq(inboxes.id, input.inboxId) : undefined))
    .orderBy(asc(inboxes.createdAt))
    .limit(1);
  const line = lines[0];
  if (!line) throw new AppError('validation', 'no_phone_line', 'There is no phone line (voice inbox) to call from.', { fields: [{ path: 'inboxId', message: 'no phone line' }] });
  const settings = voiceSettingsSchema.parse(line.settings);
  const agentNumber = input.agentNumber ?? settings.agents.find((a) => a.userId === actor.userId)?.number;
  if (!agentNumber) throw new AppError('validation', 'no_agent_number', 'Your phone number is not set for this line.', { fields: [{ path: 'agentNumber', message: 'required' }] });
  const [contact] = await deps.store.db.select().from(contacts).where(and(eq(contacts.workspaceId, ws), eq(contacts.id, conversation.contactId)));
  const customer = contact?.phone;
  if (!customer) throw new AppError('validation', 'no_customer_phone', 'This customer has no phone number.', { fields: [{ path: 'contact.phone', message: 'required' }] });

  const base = `${deps.config.publicUrl}/webhooks/voice/${line.id}`;
  const secrets = readSecrets(deps, line) as { authToken: string };
  const placed = await twilioVoice.placeCall(channelContext(deps, line).http, { ...settings, authToken: secrets.authToken }, {
    to: agentNumber,
    from: settings.phoneNumber,
    url: `${base}/bridge`,
    statusCallback: `${base}/call-status`,
  });
  if (!placed.ok) throw new AppError('unavailable', `provider_${placed.code}`, `The phone provider refused the call: ${placed.message}`);

  return withOutbox(deps, ws, async (tx, out) => {
    const now = deps.runtime.now();
    const messageId = deps.runtime.id();
    const locale = contact?.attributes.locale === 'en' ? 'en' : settings.language;
    await tx.insert(messages).values({
      workspaceId: ws,
      id: messageId,
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      kind: 'message',
      direction: 'outbound',
      senderType: 'user',
      senderId: actor.userId,
      content: '',
      contentAttributes: { call: { direction: 'outbound', from: settings.phoneNumber, to: customer }, ...(input.fromSuggestion ? { pingPong: { action: 'called' } } : {}) },
      status: 'sent',
      externalId: placed.externalId,
      createdAt: now,
      updatedAt: now,
    });
    const [call] = await tx
      .insert(calls)
      .values({
        workspaceId: ws,
        id: deps.runtime.id(),
        inboxId: line.id,
        externalId: placed.externalId,
        conversationId: conversation.id,
        contactId: conversation.contactId,
        messageId,
        direction: 'outbound',
        fromNumber: settings.phoneNumber,
        toNumber: customer,
        language: locale === 'en' ? 'en' : 'nl',
        status: 'ringing',
        agentUserId: actor.userId,
        startedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await publishCall(tx, out, call!);
    return callDto(call!);
  });
}
