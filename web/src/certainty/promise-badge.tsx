import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { timeLeft } from './time-left';
import { weekdayTime } from '../i18n/format';

interface Certainty {
  promise: null | {
    firstResponseDueAt: string;
    state: 'on_track' | 'at_risk' | 'will_miss' | 'missed' | 'kept';
    proposal: { text: string; newDueAt: string } | null;
    revisions?: number;
    history?: Array<{ madeAt: string; dueAt: string; state: string; revisedAt: string; newDueAt: string; text: string }>;
  };
  incidents: Array<{ id: string; status: string; texts: Record<string, Record<string, string>>; suggestedReply: string }>;
}

export const certaintyKey = (conversationId: string) => ['certainty', conversationId];

/**
 * The promise told to the customer (badge with its live state), incidents the conversation is linked to, and —
 * when the promise will be missed — a proposed message with a new realistic time the agent can send in one click.
 */
export function PromiseBadge({ conversationId }: { conversationId: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [sent, setSent] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const q = useQuery({ queryKey: certaintyKey(conversationId), queryFn: () => api.get<Certainty>(`/api/v1/conversations/${conversationId}/certainty`), staleTime: 30_000, refetchInterval: 60_000 });
  const send = useMutation({
    // Sent as the agent's reply and recorded as the conversation's revised promise (the old one goes to its history).
    mutationFn: (content: string) => api.post(`/api/v1/conversations/${conversationId}/promise/revise`, { content }),
    onSuccess: () => {
      setSent(true);
      setEditing(null);
      void qc.invalidateQueries({ queryKey: certaintyKey(conversationId) });
    },
  });
  const p = q.data?.promise;
  const lang = i18n.language === 'en' ? 'en' : 'nl';
  // Time left only matters while nobody has answered: afterwards the promise was kept or missed.
  const left = p && (p.state === 'on_track' || p.state === 'at_risk' || p.state === 'will_miss' || (p.state === 'missed' && p.proposal)) ? timeLeft(p.firstResponseDueAt, new Date(), lang) : null;
  // Formatters are cached per locale and time zone (format.ts); creating one per render is slow.
  const when = p ? weekdayTime(p.firstResponseDueAt) : '';
  const history = p?.history ?? [];
  return (
    <>
      {p ? (
        <span className={`promise-badge promise-${p.state}`} title={t(`certainty.promise.${p.state}`)} data-state={p.state}>
          {t('certainty.promise.badge', { when })} · {t(`certainty.promise.${p.state}`)}
          {history.length ? <span className="promise-revised"> · {t('certainty.promise.revised', { count: history.length })}</span> : null}
          {left ? (
            <span className="promise-left" data-testid="promise-time-left">
              {' · '}
              {left.overdue ? t('certainty.promise.overdue', { duration: left.text }) : t('certainty.promise.timeLeft', { duration: left.text })}
            </span>
          ) : null}
        </span>
      ) : null}
      {history.length ? (
        <details className="promise-history" data-testid="promise-history">
          <summary className="small">{t('certainty.promise.history')}</summary>
          <ol className="small">
            {history.map((h) => (
              <li key={h.revisedAt}>{t('certainty.promise.historyEntry', { due: weekdayTime(h.dueAt), made: weekdayTime(h.madeAt), revised: weekdayTime(h.revisedAt), next: weekdayTime(h.newDueAt) })}</li>
            ))}
          </ol>
        </details>
      ) : null}
      {q.data?.incidents.map((i) => (
        <span key={i.id} className="incident-chip" title={t('certainty.promise.useSuggestion', { text: i.suggestedReply })}>
          {t('certainty.promise.incident', { title: i.texts[lang]?.title ?? '' })}
        </span>
      ))}
      {p?.proposal && !sent ? (
        <span className="promise-proposal" role="alert">
          <span>{t('certainty.promise.proposalTitle')}</span>
          {editing === null ? (
            <q dir="auto">{p.proposal.text}</q>
          ) : (
            <textarea className="input" rows={3} dir="auto" value={editing} onChange={(e) => setEditing(e.target.value)} aria-label={t('certainty.promise.editProposal')} />
          )}
          <button type="button" className="btn btn-small primary" disabled={send.isPending || editing?.trim() === ''} onClick={() => send.mutate(editing ?? p.proposal!.text)}>
            {t('certainty.promise.sendProposal')}
          </button>
          {editing === null ? (
            <button type="button" className="btn btn-small" onClick={() => setEditing(p.proposal!.text)}>
              {t('certainty.promise.editProposal')}
            </button>
          ) : null}
        </span>
      ) : null}
      {sent ? <span className="muted small">{t('certainty.promise.sent')}</span> : null}
    </>
  );
}
