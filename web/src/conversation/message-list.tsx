import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { flattenMessages, useMessages } from '../api/queries';
import { applyMessage } from '../api/live-updates';
import type { ChannelKind, Message } from '../api/types';
import { useToast } from '../ui/toast';
import { ErrorState, Spinner, errorMessage } from '../ui/feedback';
import { MessageItem } from './message-item';
import { dayHeading } from '../i18n/format';

const dayKey = (iso: string) => new Date(iso).toDateString();

/**
 * The conversation, oldest at the top, opened at its end. Earlier pages load when the agent scrolls up (the
 * view keeps its place); a new message scrolls into view only when the agent is already at the bottom,
 * otherwise a button says there is something new.
 */
export function MessageList({ conversationId, channel }: { conversationId: string; channel: ChannelKind }) {
  const { t } = useTranslation();
  const q = useMessages(conversationId);
  const qc = useQueryClient();
  const toast = useToast();
  const messages = useMemo(() => flattenMessages(q.data?.pages), [q.data]);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prevHeight = useRef<number | null>(null);
  const lastId = useRef<string | null>(null);
  const [unseen, setUnseen] = useState(0);

  const retry = useMutation({
    mutationFn: (m: Message) => api.post<Message>(`/api/v1/conversations/${conversationId}/messages/${m.id}/retry`),
    onSuccess: (m) => applyMessage(qc, m),
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  const onRetry = useCallback((m: Message) => retry.mutate(m), [retry]);

  // Open at the end; after loading an earlier page keep the same message under the agent's eyes.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const newest = messages[messages.length - 1]?.id ?? null;
    if (prevHeight.current !== null) {
      el.scrollTop += el.scrollHeight - prevHeight.current;
      prevHeight.current = null;
    } else if (newest !== lastId.current) {
      if (atBottom.current || lastId.current === null) el.scrollTop = el.scrollHeight;
      else setUnseen((n) => n + 1);
    }
    lastId.current = newest;
  }, [messages]);

  useEffect(() => {
    atBottom.current = true;
    lastId.current = null;
    setUnseen(0);
  }, [conversationId]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (atBottom.current) setUnseen(0);
    if (el.scrollTop < 240 && q.hasNextPage && !q.isFetchingNextPage) {
      prevHeight.current = el.scrollHeight;
      void q.fetchNextPage();
    }
  };

  const toBottom = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    setUnseen(0);
  };

  return (
    <div className="messages-wrap">
      <div className="messages" ref={scroller} onScroll={onScroll} tabIndex={0} role="log" aria-live="polite" aria-label={t('message.log')}>
        {q.isFetchingNextPage ? <Spinner label={t('message.loadingEarlier')} /> : null}
        {q.hasNextPage && !q.isFetchingNextPage ? (
          <button
            type="button"
            className="link-btn load-earlier"
            onClick={() => {
              prevHeight.current = scroller.current?.scrollHeight ?? null;
              void q.fetchNextPage();
            }}
          >
            {t('message.loadEarlier')}
          </button>
        ) : null}
        {q.isPending ? <Spinner /> : null}
        {q.isError && !q.data ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : null}
        <ol className="msg-list">
          {messages.map((m, i) => {
            const newDay = i === 0 || dayKey(messages[i - 1]!.createdAt) !== dayKey(m.createdAt);
            return (
              <FragmentWithDay key={m.id} day={newDay ? dayHeading(m.createdAt) : null}>
                <MessageItem m={m} channel={channel} onRetry={onRetry} />
              </FragmentWithDay>
            );
          })}
        </ol>
      </div>
      {unseen > 0 ? (
        <button type="button" className="btn new-messages" onClick={toBottom}>
          {t('message.newBelow', { count: unseen })}
        </button>
      ) : null}
    </div>
  );
}

function FragmentWithDay({ day, children }: { day: string | null; children: React.ReactNode }) {
  return (
    <>
      {day ? (
        <li className="day-divider" role="separator">
          <span>{day}</span>
        </li>
      ) : null}
      {children}
    </>
  );
}
