import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n';
import { api } from '../api/client';
import type { Conversation } from '../api/types';
import { timeOnly } from '../i18n/format';
import { errorMessage } from '../ui/feedback';
import { IconPhone, IconX } from '../ui/icons';
import { useToast } from '../ui/toast';
import { CallButton } from './call-button';
import type { CallSuggestion } from './types';

/**
 * The ping-pong nudge in a written conversation: when the thread goes back and forth (src/domain/ping-pong.ts),
 * "call this customer" with their number and click-to-call, or "offer a callback" that sends them the link to
 * pick a moment. Following it is recorded by the server; "not now" hides it until the thread moves on.
 */
export function CallNudge({ conversation: c }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const key = ['call-suggestion', c.id, c.lastActivityAt];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<CallSuggestion>(`/api/v1/conversations/${c.id}/call-suggestion`), staleTime: 30_000, enabled: c.channel !== 'voice' });
  const [hidden, setHidden] = useState<string | null>(null);
  const offer = useMutation({
    mutationFn: () => api.post(`/api/v1/conversations/${c.id}/callback-offer`),
    onSuccess: () => {
      toast({ kind: 'info', text: t('voice.nudge.offered') });
      void qc.invalidateQueries({ queryKey: ['call-suggestion', c.id] });
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  const s = q.data;
  if (!s) return null;
  if (!s.suggestCall) {
    return s.followed ? (
      <p className="call-nudge-followed muted small" data-testid="call-nudge-followed">
        <IconPhone /> {t(`voice.nudge.followed.${s.followed.action}`, { time: timeOnly(s.followed.at) })}
      </p>
    ) : null;
  }
  if (hidden === c.lastActivityAt) return null;
  return (
    <section className="call-nudge" role="note" aria-label={t('voice.nudge.title')} data-testid="call-nudge">
      <div className="call-nudge-head">
        <IconPhone />
        <strong>{t('voice.nudge.title')}</strong>
        <button type="button" className="icon-btn" onClick={() => setHidden(c.lastActivityAt)} aria-label={t('voice.nudge.dismiss')} title={t('voice.nudge.dismiss')}>
          <IconX />
        </button>
      </div>
      <p className="small">{t('voice.nudge.intro')}</p>
      <ul className="call-nudge-reasons small">
        {s.reasons.map((r, i) => (
          <li key={i} data-reason={r.kind}>
            {t(`voice.nudge.reasons.${r.kind}`, { count: 'count' in r ? r.count : 0, excerpt: 'excerpt' in r ? r.excerpt : '', signal: 'signal' in r ? r.signal : '' })}
          </li>
        ))}
      </ul>
      {s.openCallbacks ? <p className="small">{t('voice.nudge.waiting')}</p> : null}
      {!s.phone ? <p className="small muted">{t('voice.nudge.noPhone')}</p> : null}
      <div className="row-buttons">
        {s.phone && s.canCall ? <CallButton conversationId={c.id} phone={s.phone} fromSuggestion className="btn btn-small primary" label={t('voice.nudge.call', { number: s.phone })} /> : null}
        <button type="button" className="btn btn-small" onClick={() => offer.mutate()} disabled={offer.isPending} title={t('voice.nudge.offerHint')}>
          {t('voice.nudge.offer')}
        </button>
      </div>
    </section>
  );
}
