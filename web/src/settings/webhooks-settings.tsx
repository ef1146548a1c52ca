import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Page, Webhook, WebhookDelivery } from '../api/types';
import { dateTime } from '../i18n/format';
import { ErrorState, Spinner } from '../ui/feedback';
import { TextField } from '../ui/field';
import { IconPlus } from '../ui/icons';
import { ConfirmButton, SecretsOnce, SectionHeader, useSave } from './common';

const webhooksKey = ['webhooks'] as const;
const EVENTS = ['conversation.created', 'conversation.updated', 'conversation.status_changed', 'message.created', 'message.updated', 'contact.created', 'contact.updated', 'contact.merged'];

export function WebhooksSettings() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: webhooksKey, queryFn: () => api.get<{ items: Webhook[] }>('/api/v1/webhooks') });
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [log, setLog] = useState<string | null>(null);
  const toggle = useSave(({ id, active }: { id: string; active: boolean }) => api.patch(`/api/v1/webhooks/${id}`, { active }), { invalidate: [webhooksKey] });
  const remove = useSave((id: string) => api.del(`/api/v1/webhooks/${id}`), { invalidate: [webhooksKey], done: t('settings.deleted') });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <section className="settings-section">
      <SectionHeader
        title={t('settings.sections.webhooks')}
        intro={t('settings.webhooks.intro')}
        action={
          <button type="button" className="btn primary" onClick={() => setAdding(true)}>
            <IconPlus /> {t('settings.webhooks.new')}
          </button>
        }
      />
      {secret ? (
        <div className="card">
          <SecretsOnce secrets={{ webhookSecret: secret }} />
          <button type="button" className="btn" onClick={() => setSecret(null)}>
            {t('common.done')}
          </button>
        </div>
      ) : null}
      {adding ? (
        <WebhookForm
          onDone={(s) => {
            setAdding(false);
            if (s) setSecret(s);
          }}
        />
      ) : null}
      <ul className="card list-card">
        {q.data.items.length === 0 ? <li className="muted">{t('settings.webhooks.none')}</li> : null}
        {q.data.items.map((w) => (
          <li key={w.id} className="list-block">
            <div className="list-line">
              <span className="grow">
                <strong className="break">{w.url}</strong>
                <span className="muted small block">
                  {w.events.length ? w.events.join(', ') : t('settings.webhooks.allEvents')}
                  {w.description ? ` · ${w.description}` : ''}
                </span>
              </span>
              <label className="switch small">
                <input type="checkbox" role="switch" checked={w.active} onChange={(e) => toggle.mutate({ id: w.id, active: e.target.checked })} />
                <span>{t('settings.webhooks.active')}</span>
              </label>
              <button type="button" className="btn btn-small" onClick={() => setLog(log === w.id ? null : w.id)} aria-expanded={log === w.id}>
                {t('settings.webhooks.log')}
              </button>
              <ConfirmButton label={t('common.delete')} confirm={t('settings.webhooks.deleteConfirm')} onConfirm={() => remove.mutate(w.id)} />
            </div>
            {log === w.id ? <Deliveries webhookId={w.id} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['webhook-deliveries', webhookId], queryFn: () => api.get<Page<WebhookDelivery>>(`/api/v1/webhooks/${webhookId}/deliveries?limit=20`) });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} compact />;
  if (!q.data.items.length) return <p className="muted small pad">{t('settings.webhooks.noDeliveries')}</p>;
  return (
    <table className="table small">
      <thead>
        <tr>
          <th scope="col">{t('settings.webhooks.when')}</th>
          <th scope="col">{t('settings.webhooks.event')}</th>
          <th scope="col">{t('settings.webhooks.result')}</th>
          <th scope="col">{t('settings.webhooks.attempts')}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.items.map((d) => (
          <tr key={d.id}>
            <td>{dateTime(d.lastAttemptAt ?? d.createdAt)}</td>
            <td>{d.eventType}</td>
            <td>
              <span className={`status-badge delivery-${d.status}`}>{t(`settings.webhooks.status.${d.status}`)}</span> {d.responseStatus ?? ''} {d.error ?? ''}
            </td>
            <td>{d.attempts}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function WebhookForm({ onDone }: { onDone(secret?: string): void }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const save = useSave(() => api.post<Webhook & { secret: string }>('/api/v1/webhooks', { url, description, events }), {
    invalidate: [webhooksKey],
    onSuccess: (r) => onDone(r.secret),
  });
  return (
    <form
      className="card stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <TextField label={t('settings.webhooks.url')} type="url" placeholder="https://example.com/hooks/balie" value={url} onChange={(e) => setUrl(e.target.value)} error={save.errors.url} required />
      <TextField label={t('settings.webhooks.description')} value={description} onChange={(e) => setDescription(e.target.value)} />
      <fieldset className="members-picker">
        <legend>{t('settings.webhooks.events')}</legend>
        <p className="hint">{t('settings.webhooks.eventsHint')}</p>
        {EVENTS.map((ev) => (
          <label key={ev} className="check-line">
            <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))} />
            <code>{ev}</code>
          </label>
        ))}
      </fieldset>
      {save.errors.events ? <p className="form-error">{save.errors.events}</p> : null}
      <div className="row-buttons">
        <button type="submit" className="btn primary" disabled={save.isPending || !url}>
          {t('common.save')}
        </button>
        <button type="button" className="btn" onClick={() => onDone()}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
