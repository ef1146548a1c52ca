import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../api/client';
import { keys } from '../api/queries';
import type { Contact, MergePreview, Page } from '../api/types';
import { Dialog } from '../ui/dialog';
import { Avatar } from '../ui/avatar';
import { ErrorState, Spinner, errorMessage } from '../ui/feedback';
import { useToast } from '../ui/toast';

const display = (c: Pick<Contact, 'name' | 'email' | 'phone'>, unknown: string) => c.name || c.email || c.phone || unknown;

/**
 * Merge two contacts who are one person: find the other record, see exactly what moves (conversations,
 * identities), then confirm. The other record disappears into this one; the merge is audited on the server.
 */
export function MergeDialog({ target, initialSourceId, onClose }: { target: Contact; initialSourceId?: string; onClose(): void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [sourceId, setSourceId] = useState<string | undefined>(initialSourceId);
  useEffect(() => {
    const h = setTimeout(() => setDebounced(q.trim()), 200);
    return () => clearTimeout(h);
  }, [q]);

  const found = useQuery({
    queryKey: ['contact-search', debounced],
    queryFn: () => api.get<Page<Contact>>(`/api/v1/contacts${qs({ q: debounced, limit: 8 })}`),
    enabled: debounced.length >= 2 && !sourceId,
  });
  const preview = useQuery({
    queryKey: ['merge-preview', target.id, sourceId],
    queryFn: () => api.get<MergePreview>(`/api/v1/contacts/${target.id}/merge-preview${qs({ sourceId })}`),
    enabled: !!sourceId,
  });
  const merge = useMutation({
    mutationFn: () => api.post<Contact>(`/api/v1/contacts/${target.id}/merge`, { sourceId }),
    onSuccess: (c) => {
      qc.setQueryData(keys.contact(c.id), c);
      void qc.invalidateQueries({ queryKey: keys.timeline(c.id) });
      void qc.invalidateQueries({ queryKey: ['contact-conversations'] });
      void qc.invalidateQueries({ queryKey: keys.lists });
      void qc.invalidateQueries({ queryKey: ['merge-suggestions'] });
      toast({ kind: 'info', text: t('merge.done', { name: display(c, t('contact.unknown')) }) });
      onClose();
    },
  });
  const unknown = t('contact.unknown');

  return (
    <Dialog open onClose={onClose} title={t('merge.title', { name: display(target, unknown) })}>
      {!sourceId ? (
        <div className="stack">
          <label className="field">
            <span>{t('merge.search')}</span>
            <input className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} autoFocus placeholder={t('merge.searchPlaceholder')} />
          </label>
          {found.isFetching ? <Spinner /> : null}
          {found.isError ? <ErrorState error={found.error} onRetry={() => void found.refetch()} compact /> : null}
          <ul className="merge-results" role="listbox" aria-label={t('merge.results')}>
            {found.data?.items
              .filter((c) => c.id !== target.id)
              .map((c) => (
                <li key={c.id} role="option" aria-selected={false}>
                  <button type="button" className="menu-item" onClick={() => setSourceId(c.id)}>
                    <Avatar name={display(c, unknown)} id={c.id} size={28} />
                    <span className="grow">
                      <strong dir="auto">{display(c, unknown)}</strong>
                      <span className="muted small block">{c.identities.map((i) => i.value).join(' · ')}</span>
                    </span>
                  </button>
                </li>
              ))}
          </ul>
          {found.data && found.data.items.filter((c) => c.id !== target.id).length === 0 ? <p className="muted">{t('common.noMatches')}</p> : null}
        </div>
      ) : (
        <div className="stack">
          {preview.isPending ? <Spinner /> : null}
          {preview.isError ? <ErrorState error={preview.error} onRetry={() => void preview.refetch()} /> : null}
          {preview.data ? (
            <>
              <div className="merge-preview">
                <div className="merge-card">
                  <p className="muted small">{t('merge.disappears')}</p>
                  <strong dir="auto">{display(preview.data.source, unknown)}</strong>
                  <ul>
                    {preview.data.source.identities.map((i) => (
                      <li key={i.id} dir="auto">
                        {t(`identity.${i.kind}`)}: {i.value}
                      </li>
                    ))}
                  </ul>
                </div>
                <span className="merge-arrow" aria-hidden="true">
                  →
                </span>
                <div className="merge-card">
                  <p className="muted small">{t('merge.stays')}</p>
                  <strong dir="auto">{display(preview.data.target, unknown)}</strong>
                  <ul>
                    {preview.data.target.identities.map((i) => (
                      <li key={i.id} dir="auto">
                        {t(`identity.${i.kind}`)}: {i.value}
                      </li>
                    ))}
                  </ul>
                </div>
              </div>
              <p className="merge-summary" role="status">
                {t('merge.summary', {
                  conversations: t('merge.conversations', { count: preview.data.conversations }),
                  identities: t('merge.identities', { count: preview.data.identities }),
                  name: display(preview.data.target, unknown),
                })}
              </p>
              {merge.isError ? (
                <p className="form-error" role="alert">
                  {errorMessage(t, merge.error)}
                </p>
              ) : null}
              <div className="row-buttons">
                <button type="button" className="btn primary" onClick={() => merge.mutate()} disabled={merge.isPending}>
                  {t('merge.confirm')}
                </button>
                <button type="button" className="btn" onClick={() => setSourceId(undefined)}>
                  {t('merge.back')}
                </button>
              </div>
            </>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}
