import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ChannelKind } from '../api/types';
import { dateTime } from '../i18n/format';
import { ErrorState, Spinner } from '../ui/feedback';
import { ChannelIcon, IconRefresh } from '../ui/icons';
import { SectionHeader, useSave } from './common';

/**
 * Provider webhooks that did not become messages (GET /api/v1/inbound-events/failed): failed after the last
 * retry, or quarantined because Balie did not understand them. Nothing a customer sent is thrown away; once the
 * cause is fixed (credentials, an outage, a new Balie version) the admin sends an event through again.
 */
interface StuckEvent {
  id: string;
  inboxId: string;
  inboxName: string | null;
  channel: ChannelKind;
  providerEventId: string;
  status: 'failed' | 'quarantined';
  error: string | null;
  attempts: number;
  receivedAt: string;
}

const key = ['inbound-events', 'failed'] as const;

export function InboundEventsSettings() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: key, queryFn: () => api.get<{ items: StuckEvent[]; nextCursor: string | null }>('/api/v1/inbound-events/failed?limit=100') });
  const retry = useSave((id: string) => api.post(`/api/v1/inbound-events/${id}/retry`), { invalidate: [key], done: t('settings.inbound.retried') });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <section className="settings-section">
      <SectionHeader title={t('settings.sections.inbound')} intro={t('settings.inbound.intro')} />
      {q.data.items.length === 0 ? (
        <p className="card muted">{t('settings.inbound.none')}</p>
      ) : (
        <div className="card" style={{ overflowX: 'auto' }}>
          <table className="table small" aria-label={t('settings.sections.inbound')}>
            <thead>
              <tr>
                <th scope="col">{t('settings.inbound.received')}</th>
                <th scope="col">{t('settings.inbound.inbox')}</th>
                <th scope="col">{t('settings.inbound.status')}</th>
                <th scope="col">{t('settings.inbound.error')}</th>
                <th scope="col">{t('settings.inbound.attempts')}</th>
                <th scope="col">
                  <span className="sr-only">{t('settings.inbound.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((e) => (
                <tr key={e.id} data-event-id={e.id}>
                  <td>{dateTime(e.receivedAt)}</td>
                  <td>
                    <ChannelIcon kind={e.channel} /> {e.inboxName ?? t(`channels.${e.channel}`)}
                  </td>
                  <td>
                    <span className={`status-badge inbound-${e.status}`}>{t(`settings.inbound.statuses.${e.status}`)}</span>
                  </td>
                  <td className="inbound-error" style={{ overflowWrap: 'anywhere', maxWidth: '36rem' }}>
                    <span dir="auto">{e.error ?? '—'}</span>
                    <span className="muted small block" title={e.providerEventId}>
                      <code>{e.providerEventId.length > 48 ? `${e.providerEventId.slice(0, 48)}…` : e.providerEventId}</code>
                    </span>
                  </td>
                  <td>{e.attempts}</td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <button type="button" className="btn btn-small" onClick={() => retry.mutate(e.id)} disabled={retry.isPending}>
                      <IconRefresh /> {t('settings.inbound.retry')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
