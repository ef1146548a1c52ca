import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { coachReply, defaultCoachLists, type CoachLists } from '../../../src/domain/reply-coach';

/**
 * The reply coach inline under the composer: the same pure rule as the server, run on every keystroke with the
 * workspace's lists. It only advises; sending is never blocked.
 */
export function CoachHints({ draft, customerMessage, onApply }: { draft: string; customerMessage?: string | null; onApply: (text: string) => void }) {
  const { t } = useTranslation();
  const settings = useQuery({
    queryKey: ['certainty-settings'],
    queryFn: () => api.get<{ coach: CoachLists }>('/api/v1/certainty/settings'),
    staleTime: 5 * 60_000,
  });
  const lists = settings.data?.coach ?? defaultCoachLists;
  const result = useMemo(() => (draft.trim().length >= 12 ? coachReply(draft, { lists, customerMessage: customerMessage ?? null }) : null), [draft, lists, customerMessage]);
  if (!result || !result.issues.length) return null;
  return (
    <div className="coach-hints" role="status" aria-label={t('certainty.coach.title')}>
      <strong>{t('certainty.coach.title')}</strong>
      <ul>
        {result.issues.map((i, n) => (
          <li key={`${i.kind}-${n}`} className={`coach-issue coach-${i.kind}`} data-kind={i.kind}>
            {t(`certainty.coach.${i.kind}`, { phrase: i.phrase ?? '', suggestion: i.suggestion ?? '', words: (i.missingWords ?? []).join(', ') })}
          </li>
        ))}
      </ul>
      {result.rewrite ? (
        <button type="button" className="btn btn-small" onClick={() => onApply(result.rewrite!)}>
          {t('certainty.coach.apply')}
        </button>
      ) : null}
      <span className="muted small"> {t('certainty.coach.advice')}</span>
    </div>
  );
}
