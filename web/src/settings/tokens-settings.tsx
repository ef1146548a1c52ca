import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useUsers } from '../api/queries';
import type { ApiToken } from '../api/types';
import { dateTime } from '../i18n/format';
import { ErrorState, Spinner } from '../ui/feedback';
import { TextField } from '../ui/field';
import { ConfirmButton, SecretsOnce, SectionHeader, useSave } from './common';

const tokensKey = ['tokens'] as const;

export function TokensSettings() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: tokensKey, queryFn: () => api.get<{ items: ApiToken[] }>('/api/v1/tokens') });
  const users = useUsers().data ?? [];
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<string | null>(null);
  const create = useSave(() => api.post<ApiToken & { token: string }>('/api/v1/tokens', { name }), {
    invalidate: [tokensKey],
    onSuccess: (r) => {
      setIssued(r.token);
      setName('');
    },
  });
  const revoke = useSave((id: string) => api.del(`/api/v1/tokens/${id}`), { invalidate: [tokensKey], done: t('settings.tokens.revoked') });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const active = q.data.items.filter((x) => !x.revokedAt);
  return (
    <section className="settings-section">
      <SectionHeader title={t('settings.sections.tokens')} intro={t('settings.tokens.intro')} />
      <form
        className="card stack narrow"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(undefined);
        }}
      >
        <TextField label={t('settings.tokens.name')} hint={t('settings.tokens.nameHint')} value={name} onChange={(e) => setName(e.target.value)} error={create.errors.name} />
        <button type="submit" className="btn primary" disabled={create.isPending || !name.trim()}>
          {t('settings.tokens.create')}
        </button>
        {issued ? <SecretsOnce secrets={{ apiToken: issued }} /> : null}
      </form>
      <ul className="card list-card">
        {active.length === 0 ? <li className="muted">{t('settings.tokens.none')}</li> : null}
        {active.map((tk) => (
          <li key={tk.id} className="list-line">
            <span className="grow">
              <strong>{tk.name}</strong>
              <span className="muted small block">
                <code>{tk.tokenPrefix}…</code> · {users.find((u) => u.id === tk.userId)?.name ?? ''} · {t('settings.tokens.created', { time: dateTime(tk.createdAt) })}
                {tk.lastUsedAt ? ` · ${t('settings.tokens.lastUsed', { time: dateTime(tk.lastUsedAt) })}` : ''}
              </span>
            </span>
            <ConfirmButton label={t('settings.tokens.revoke')} confirm={t('settings.tokens.revokeConfirm')} onConfirm={() => revoke.mutate(tk.id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
