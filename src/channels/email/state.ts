/** What a conversation remembers about its e-mail thread (conversations.channel_state.email). */
export interface EmailThreadState {
  subject?: string;
  /** The last Message-ID in the thread: our next reply's In-Reply-To. */
  lastMessageId?: string;
  /** References of the thread, oldest first, at most 20. */
  references?: string[];
  /** Where replies go (the last inbound Reply-To, else From). */
  replyTo?: string[];
  /** Other people on the last inbound mail (To and Cc minus us), for reply-all. */
  participants?: string[];
  threadIndexRoot?: string;
  seq?: number;
}

export function emailState(channelState: Record<string, unknown>): EmailThreadState {
  const e = channelState.email;
  return e && typeof e === 'object' ? (e as EmailThreadState) : {};
}
