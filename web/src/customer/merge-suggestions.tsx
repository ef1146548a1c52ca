import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { MergeSuggestion } from '../api/types';
import { errorMessage } from '../ui/feedback';
import { IconMerge } from '../ui/icons';
import { useToast } from '../ui/toast';

export const mergeSuggestionsKey = (contactId: string) => ['merge-suggestions', contactId] as const;

/**
 * "Possibly the same person: X": probable duplicates (an e-mail address one confirmed in a chat and the other owns;
 * same name and phone or company domain, or the same name on another channel). Never merged silently: "review
 * merge" opens the merge preview; "not the same person" is remembered on the server for this pair.
 */
export function MergeSuggestions({ contactId, onReview }: { contactId: string; onReview(sourceId: string): void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  // A chat visitor often has no name yet: then the address or id they are known by.
  const nameOf = (s: MergeSuggestion) => s.contact.name || s.contact.email || s.contact.identities[0]?.value || t('contact.unknown');
  const q = useQuery({
    queryKey: mergeSuggestionsKey(contactId),
    queryFn: () => api.get<{ items: MergeSuggestion[] }>(`/api/v1/contacts/${contactId}/merge-suggestions`),
    staleTime: 60_000,
  });
  const dismiss = useMutation({
    mutationFn: (s: MergeSuggestion) => api.post<void>(`/api/v1/contacts/${contactId}/merge-suggestions/dismiss`, { otherContactId: s.contact.id }),
    onSuccess: (_r, s) => {
      qc.setQueryData<{ items: MergeSuggestion[] }>(mergeSuggestionsKey(contactId), (old) => old && { items: old.items.filter((i) => i.contact.id !== s.contact.id) });
      void qc.invalidateQueries({ queryKey: mergeSuggestionsKey(s.contact.id) });
      toast({ kind: 'info', text: t('merge.dismissed', { name: nameOf(s) }) });
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  const items = q.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="panel-section merge-suggestions" aria-label={t('merge.suggestions')}>
      <ul>
        {items.map((s) => (
          <li key={s.contact.id} className="notice merge-suggestion">
            <p>
              <IconMerge />{' '}
              <strong dir="auto">{t('merge.suggestion', { name: nameOf(s) })}</strong>
            </p>
            <p className="muted small">
              {t(`merge.reason.${s.reason}`, { detail: s.detail ?? '' })}
              {s.contact.identities.length ? ` · ${s.contact.identities.map((i) => i.value).join(' · ')}` : ''}
            </p>
            <div className="row-buttons">
              <button type="button" className="btn btn-small primary" onClick={() => onReview(s.contact.id)}>
                {t('merge.review')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => dismiss.mutate(s)} disabled={dismiss.isPending}>
                {t('merge.dismiss')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
