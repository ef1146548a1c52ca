import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, useNotifications } from '../api/queries';
import type { Notification } from '../api/types';
import { navigate } from '../router';
import { shortTime, fullDateTime } from '../i18n/format';
import { Popover } from '../ui/popover';
import { IconBell } from '../ui/icons';
import { ErrorState, Spinner } from '../ui/feedback';
import '../voice/i18n';

export function notificationText(t: (k: string, o?: Record<string, unknown>) => string, n: Notification): string {
  const who = n.actorName ?? t('notifications.system');
  if (['agreement_confirmed', 'agreement_corrected', 'callback_due', 'agreement_due'].includes(n.kind)) return t(`voice.notify.${n.kind}`, { number: n.conversationNumber ?? '' });
  return t(`notifications.${n.kind === 'mention' ? 'mention' : n.kind === 'assigned' ? 'assigned' : 'other'}`, { who, number: n.conversationNumber ?? '' });
}

/** The bell: what was assigned to me and where I was mentioned, newest first; unread ones stand out. */
export function NotificationsMenu({ currentView }: { currentView: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useNotifications();
  const unread = q.data?.unreadCount ?? 0;
  const markAll = useMutation({
    mutationFn: () => api.post('/api/v1/notifications/read', { all: true }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.notifications }),
  });
  const open = (n: Notification, close: () => void) => {
    close();
    if (!n.readAt) void api.post('/api/v1/notifications/read', { ids: [n.id] }).then(() => qc.invalidateQueries({ queryKey: keys.notifications }));
    if (n.conversationId) navigate(`/inbox/${currentView}/${n.conversationId}`);
  };
  return (
    <Popover
      label={unread ? t('notifications.labelUnread', { count: unread }) : t('notifications.label')}
      buttonClassName="icon-btn topbar-btn"
      align="end"
      button={
        <>
          <IconBell />
          {unread ? (
            <span className="badge" aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
          ) : null}
        </>
      }
    >
      {(close) => (
        <div className="notifications-panel">
          <div className="panel-head">
            <h2>{t('notifications.title')}</h2>
            {unread ? (
              <button type="button" className="link-btn" onClick={() => markAll.mutate()}>
                {t('notifications.markAll')}
              </button>
            ) : null}
          </div>
          {q.isPending ? <Spinner /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} compact /> : null}
          {q.data && q.data.items.length === 0 ? <p className="muted pad">{t('notifications.empty')}</p> : null}
          <ul className="notification-list" role="menu">
            {q.data?.items.map((n) => (
              <li key={n.id}>
                <button type="button" role="menuitem" className={`notification${n.readAt ? '' : ' unread'}`} onClick={() => open(n, close)}>
                  <span className="notification-text">{notificationText(t, n)}</span>
                  {n.excerpt ? <span className="notification-excerpt">{n.excerpt}</span> : null}
                  <time dateTime={n.createdAt} title={fullDateTime(n.createdAt)}>
                    {shortTime(n.createdAt)}
                  </time>
                  {!n.readAt ? <span className="sr-only">{t('notifications.unread')}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Popover>
  );
}
