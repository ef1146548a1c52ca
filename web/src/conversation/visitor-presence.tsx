import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { dateTime } from '../i18n/format';

/**
 * Whether the widget visitor still has the chat open (so a reply is read live) or left — then a visitor who gave
 * an e-mail address gets the reply by mail after the inbox's away time. Polled: presence changes slowly.
 */
export function VisitorPresence({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['visitor-presence', conversationId],
    queryFn: () => api.get<{ online: boolean; lastSeenAt: string | null }>(`/api/v1/conversations/${conversationId}/visitor-presence`),
    refetchInterval: 20_000,
  });
  if (!q.data || (!q.data.online && !q.data.lastSeenAt)) return null;
  return (
    <span className={`visitor-presence${q.data.online ? ' online' : ''}`} data-online={q.data.online}>
      {q.data.online ? t('conversation.visitorOnline') : t('conversation.visitorLastSeen', { time: dateTime(q.data.lastSeenAt!) })}
    </span>
  );
}
