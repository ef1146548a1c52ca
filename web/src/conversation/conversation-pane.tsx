import { useCallback, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, useConversation, useMessages } from '../api/queries';
import { refreshSoon, setListUnread, type LiveContext } from '../api/live-updates';
import { realtime } from '../api/realtime';
import { ErrorState, Spinner } from '../ui/feedback';
import { ApiError } from '../api/client';
import { ConversationHeader } from './conversation-header';
import { MessageList } from './message-list';
import { Composer } from './composer';
import { CallNudge } from '../voice/call-nudge';

/** Marks a conversation read for this agent (and its notifications), at most once per second. */
// Shared by every caller (the pane on open, the shell on a new inbound message): one marker per moment.
const lastRead = new Map<string, number>();

export function useMarkRead() {
  const qc = useQueryClient();
  return useCallback((conversationId: string) => {
    const now = Date.now();
    if (now - (lastRead.get(conversationId) ?? 0) < 1000) return;
    lastRead.set(conversationId, now);
    setListUnread(qc, conversationId, false);
    void api
      .post(`/api/v1/conversations/${conversationId}/read`)
      .then(() => api.post('/api/v1/notifications/read', { conversationId }))
      .then(() => {
        refreshSoon(qc, keys.counts);
        refreshSoon(qc, keys.notifications, 300);
      })
      .catch(() => {
        /* a missed read marker only leaves a dot; the next open sets it */
      });
  }, [qc]);
}

export function ConversationPane({
  id,
  live,
  onBack,
  panelOpen,
  onTogglePanel,
}: {
  id: string;
  live: () => LiveContext;
  onBack(): void;
  panelOpen: boolean;
  onTogglePanel(): void;
}) {
  const { t } = useTranslation();
  const q = useConversation(id);
  // Ask for the messages at the same time as the conversation, not after it arrived: the message list only
  // mounts once the conversation is known, and waiting for it would put two round trips before the first message.
  useMessages(id);
  const markRead = useMarkRead();
  const lastInbound = q.data?.lastInboundAt;

  useEffect(() => {
    realtime.announce(id, 'viewing');
    return () => realtime.announce(id, 'left');
  }, [id]);

  // Marked read once the real record is in, not on the list row's copy shown meanwhile.
  const loaded = !!q.data && !q.isPlaceholderData;
  // Read on open, and again when a new customer message arrives while the conversation is open.
  useEffect(() => {
    if (loaded) markRead(id);
  }, [id, lastInbound, loaded, markRead]);

  if (q.isPending) return <section className="conv-pane"><Spinner /></section>;
  if (q.isError) {
    const gone = q.error instanceof ApiError && q.error.status === 404;
    return (
      <section className="conv-pane">
        {gone ? <ErrorState error={q.error} /> : <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      </section>
    );
  }
  const c = q.data;
  return (
    <section className="conv-pane" aria-label={t('conversation.label', { number: c.number })}>
      <ConversationHeader conversation={c} live={live} onBack={onBack} panelOpen={panelOpen} onTogglePanel={onTogglePanel} />
      <MessageList conversationId={c.id} channel={c.channel} />
      <CallNudge conversation={c} />
      <Composer conversation={c} />
    </section>
  );
}
