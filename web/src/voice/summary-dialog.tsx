import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n';
import { ApiError, api } from '../api/client';
import { keys } from '../api/queries';
import { toLocalInput } from '../i18n/format';
import { Dialog } from '../ui/dialog';
import { errorMessage } from '../ui/feedback';
import { useToast } from '../ui/toast';
import { coachReply, defaultCoachLists, type CoachLists } from '../../../src/domain/reply-coach';
import { callStore, useCallStore } from './call-store';

/**
 * After a call: what was discussed, the agreed next step and when. The reply coach runs on the text as the agent
 * types (stock phrases, vague promises), and the time is required — an agreement without one gives the customer
 * no certainty. Balie sends it to the customer on their written channel to confirm (POST /calls/{id}/summary).
 */
export function SummaryDialog() {
  const { summaryFor } = useCallStore();
  if (!summaryFor) return null;
  return <SummaryForm key={summaryFor.call.id} callId={summaryFor.call.id} conversationId={summaryFor.conversationId} />;
}

function SummaryForm({ callId, conversationId }: { callId: string; conversationId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [summary, setSummary] = useState('');
  const [nextStep, setNextStep] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [touched, setTouched] = useState(false);
  const settings = useQuery({ queryKey: ['certainty-settings'], queryFn: () => api.get<{ coach: CoachLists }>('/api/v1/certainty/settings'), staleTime: 5 * 60_000 });
  const text = `${summary} ${nextStep}`.trim();
  const coach = useMemo(() => (text.length >= 12 ? coachReply(text, { lists: settings.data?.coach ?? defaultCoachLists }) : null), [text, settings.data]);
  // The time is asked for separately; the coach's "no time named" remark is answered by the date field.
  const issues = (coach?.issues ?? []).filter((i) => i.kind === 'stock_phrase' || i.kind === 'vague_promise');
  const send = useMutation({
    mutationFn: () => api.post<{ sent: unknown }>(`/api/v1/calls/${callId}/summary`, { summary, nextStep, dueAt: new Date(dueAt).toISOString() }),
    onSuccess: (r) => {
      toast({ kind: 'info', text: r.sent ? t('voice.summary.sent') : t('voice.summary.notSent') });
      void qc.invalidateQueries({ queryKey: keys.messages(conversationId) });
      callStore.closeSummary();
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  const timeMissing = !dueAt;
  const fieldError = send.error instanceof ApiError && send.error.code === 'time_required';
  return (
    <Dialog open onClose={() => callStore.closeSummary()} title={t('voice.summary.title')} className="summary-dialog">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!summary.trim() || timeMissing) return;
          send.mutate();
        }}
      >
        <p className="muted">{t('voice.summary.intro')}</p>
        <label className="field">
          <span>{t('voice.summary.summary')}</span>
          <textarea className="input" rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} required maxLength={2000} dir="auto" autoFocus />
        </label>
        <label className="field">
          <span>{t('voice.summary.nextStep')}</span>
          <input className="input" value={nextStep} onChange={(e) => setNextStep(e.target.value)} maxLength={500} dir="auto" />
        </label>
        <label className={`field${(touched && timeMissing) || fieldError ? ' field-error' : ''}`}>
          <span>{t('voice.summary.dueAt')}</span>
          <input className="input" type="datetime-local" value={dueAt} min={toLocalInput(new Date())} onChange={(e) => setDueAt(e.target.value)} aria-invalid={touched && timeMissing ? true : undefined} />
          <span className={(touched && timeMissing) || fieldError ? 'error-text' : 'hint'}>{(touched && timeMissing) || fieldError ? t('voice.summary.timeRequired') : t('voice.summary.dueHint')}</span>
        </label>
        {issues.length ? (
          <div className="coach-hints" role="status" aria-label={t('certainty.coach.title')}>
            <strong>{t('certainty.coach.title')}</strong>
            <ul>
              {issues.map((i, n) => (
                <li key={`${i.kind}-${n}`} className={`coach-issue coach-${i.kind}`} data-kind={i.kind}>
                  {t(`certainty.coach.${i.kind}`, { phrase: i.phrase ?? '', suggestion: i.suggestion ?? '', words: '' })}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="row-buttons">
          <button type="submit" className="btn primary" disabled={send.isPending}>
            {t('voice.summary.send')}
          </button>
          <button type="button" className="btn" onClick={() => callStore.closeSummary()}>
            {t('voice.summary.later')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
