import { useState, type ReactNode } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData, type UseInfiniteQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n';
import { api, qs } from '../api/client';
import { useUsers } from '../api/queries';
import { useMe } from '../auth/session';
import { Link } from '../router';
import { dateTime, fullDateTime, locale } from '../i18n/format';
import { ErrorState, Spinner, errorMessage } from '../ui/feedback';
import { useToast } from '../ui/toast';
import { CallButton } from './call-button';
import { seconds, type CallbackItem, type CallLogItem } from './types';

/**
 * The phone work: the callback queue (due times, who takes it, attempts; a try not reached is retried and the
 * customer told) and the call log (every call with wait, talk time, agent, outcome, recording, agreement).
 */
export default function CallsPage({ tab, viewSegment }: { tab?: string; viewSegment: string }) {
  const { t } = useTranslation();
  const current = tab === 'log' ? 'log' : 'callbacks';
  return (
    <div className="calls-page">
      <header className="calls-head">
        <h1>{t('voice.page.title')}</h1>
        <nav className="tabs" aria-label={t('voice.page.title')}>
          <Link to="/calls" className={`tab${current === 'callbacks' ? ' active' : ''}`} aria-current={current === 'callbacks' ? 'page' : undefined}>
            {t('voice.page.callbacks')}
          </Link>
          <Link to="/calls/log" className={`tab${current === 'log' ? ' active' : ''}`} aria-current={current === 'log' ? 'page' : undefined}>
            {t('voice.page.log')}
          </Link>
        </nav>
      </header>
      {current === 'callbacks' ? <CallbackQueue viewSegment={viewSegment} /> : <CallLog viewSegment={viewSegment} />}
    </div>
  );
}

type PageOf<T> = { items: T[]; nextCursor: string | null };
const clockTime = (iso: string) => new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** The "only mine" filter both lists have. */
function MineToggle({ mine, onChange }: { mine: boolean; onChange: (v: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <label className="checkbox-inline">
      <input type="checkbox" checked={mine} onChange={(e) => onChange(e.target.checked)} /> {t('voice.page.mine')}
    </label>
  );
}

/**
 * One cursor-paginated list of the page: its filters, loading and error state, the empty text, the table and
 * "load more". The callback queue and the call log differ only in their filters, columns and rows.
 */
function ListSection<T>(props: {
  label: string;
  testId: string;
  filters: ReactNode;
  query: UseInfiniteQueryResult<InfiniteData<PageOf<T>>>;
  empty: string;
  columns: string[];
  row: (item: T) => ReactNode;
}) {
  const { t } = useTranslation();
  const q = props.query;
  const items = (q.data?.pages ?? []).flatMap((p) => p.items);
  return (
    <section className="calls-section" aria-label={props.label}>
      <div className="calls-filters">{props.filters}</div>
      {q.isPending ? <Spinner /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : null}
      {q.data && !items.length ? <p className="card muted">{props.empty}</p> : null}
      {items.length ? (
        <table className="calls-table" data-testid={props.testId}>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>{items.map(props.row)}</tbody>
        </table>
      ) : null}
      {q.hasNextPage ? (
        <button type="button" className="btn" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          {t('voice.page.more')}
        </button>
      ) : null}
    </section>
  );
}

function CallbackQueue({ viewSegment }: { viewSegment: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const { user } = useMe();
  const users = useUsers().data ?? [];
  const [status, setStatus] = useState<'open' | 'closed' | 'all'>('open');
  const [mine, setMine] = useState(false);
  const q = useInfiniteQuery({
    queryKey: ['callbacks', 'queue', status, mine ? 'me' : 'anyone'],
    queryFn: ({ pageParam }) => api.get<PageOf<CallbackItem>>(`/api/v1/callbacks${qs({ status, assignee: mine ? 'me' : 'anyone', limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const done = () => void qc.invalidateQueries({ queryKey: ['callbacks'] });
  const onError = (err: unknown) => toast({ kind: 'error', text: errorMessage(t, err) });
  const patch = useMutation({ mutationFn: ({ id, body }: { id: string; body: Record<string, unknown> }) => api.patch(`/api/v1/callbacks/${id}`, body), onSuccess: done, onError });
  const attempt = useMutation({
    mutationFn: ({ id, outcome }: { id: string; outcome: string }) => api.post<{ informed: unknown }>(`/api/v1/callbacks/${id}/attempts`, { outcome }),
    onSuccess: (r, v) => {
      if (v.outcome !== 'reached' && r.informed) toast({ kind: 'info', text: t('voice.page.informed') });
      done();
    },
    onError,
  });
  const nameOf = (id: string | null) => users.find((u) => u.id === id)?.name ?? t('voice.page.nobody');
  return (
    <ListSection
      label={t('voice.page.callbacks')}
      testId="callback-queue"
      query={q}
      empty={t('voice.page.noCallbacks')}
      columns={[t('voice.page.due'), t('voice.page.customer'), t('voice.page.phone'), t('voice.page.source'), t('voice.page.assignee'), t('voice.page.attempts'), t('voice.page.state'), t('voice.page.actions')]}
      filters={
        <>
          <div className="segmented" role="group" aria-label={t('voice.page.state')}>
            {(['open', 'closed', 'all'] as const).map((s) => (
              <button key={s} type="button" className={`btn btn-small${status === s ? ' active' : ''}`} aria-pressed={status === s} onClick={() => setStatus(s)}>
                {t(`voice.page.status.${s}`)}
              </button>
            ))}
          </div>
          <MineToggle mine={mine} onChange={setMine} />
        </>
      }
      row={(c) => {
              const open = c.status === 'requested' || c.status === 'scheduled';
              return (
                <tr key={c.id} className={c.overdue ? 'overdue' : undefined} data-callback-id={c.id}>
                  <td>
                    <time dateTime={c.dueAt} title={fullDateTime(c.dueAt)}>
                      {dateTime(c.dueAt)}
                    </time>
                    {c.windowEndsAt ? <span className="muted small"> – {clockTime(c.windowEndsAt)}</span> : null}
                    {c.overdue ? <span className="badge-warn"> {t('voice.page.overdue')}</span> : null}
                    {c.preferredTime ? <div className="muted small" dir="auto">{c.preferredTime}</div> : null}
                  </td>
                  <td>
                    <Link to={`/inbox/${viewSegment}/${c.conversationId}`} dir="auto">
                      {c.contactName || c.phone}
                    </Link>
                    <span className="muted small"> #{c.conversationNumber}</span>
                    {c.note ? <div className="muted small" dir="auto">{c.note}</div> : null}
                  </td>
                  <td dir="ltr">{c.phone}</td>
                  <td>{t(`voice.page.sources.${c.source}`, { defaultValue: c.source })}</td>
                  <td>
                    {open ? (
                      <select className="input input-small" aria-label={t('voice.page.assignee')} value={c.assigneeId ?? ''} onChange={(e) => patch.mutate({ id: c.id, body: { assigneeId: e.target.value || null } })}>
                        <option value="">{t('voice.page.nobody')}</option>
                        {users.map((u) => (
                          <option key={u.id} value={u.id}>
                            {u.name}
                          </option>
                        ))}
                      </select>
                    ) : (
                      nameOf(c.assigneeId)
                    )}
                  </td>
                  <td>
                    {c.attempts}
                    {c.lastOutcome ? <div className="muted small">{t('voice.page.last', { outcome: t(`voice.page.attemptOutcomes.${c.lastOutcome}`) })}</div> : null}
                  </td>
                  <td>
                    <span className={`cb-status cb-${c.status}`}>{t(`voice.page.statuses.${c.status}`)}</span>
                  </td>
                  <td>
                    {open ? (
                      <div className="calls-actions">
                        {c.assigneeId !== user.id ? (
                          <button type="button" className="btn btn-small" onClick={() => patch.mutate({ id: c.id, body: { assigneeId: user.id } })}>
                            {t('voice.page.take')}
                          </button>
                        ) : null}
                        <CallButton conversationId={c.conversationId} phone={c.phone} label={t('voice.page.callNow')} />
                        <select
                          className="input input-small"
                          aria-label={t('voice.page.record')}
                          value=""
                          onChange={(e) => e.target.value && attempt.mutate({ id: c.id, outcome: e.target.value })}
                        >
                          <option value="">{t('voice.page.record')}…</option>
                          {(['reached', 'no_answer', 'busy', 'voicemail', 'failed'] as const).map((o) => (
                            <option key={o} value={o}>
                              {t(`voice.page.attemptOutcomes.${o}`)}
                            </option>
                          ))}
                        </select>
                        <button type="button" className="link-btn small" onClick={() => patch.mutate({ id: c.id, body: { status: 'cancelled' } })}>
                          {t('voice.page.cancel')}
                        </button>
                      </div>
                    ) : null}
                  </td>
                </tr>
        );
      }}
    />
  );
}

function CallLog({ viewSegment }: { viewSegment: string }) {
  const { t } = useTranslation();
  const [mine, setMine] = useState(false);
  const q = useInfiniteQuery({
    queryKey: ['calls', 'log', mine ? 'me' : 'anyone'],
    queryFn: ({ pageParam }) => api.get<PageOf<CallLogItem>>(`/api/v1/calls${qs({ agent: mine ? 'me' : 'anyone', limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return (
    <ListSection
      label={t('voice.page.log')}
      testId="call-log"
      query={q}
      empty={t('voice.page.noCalls')}
      columns={[
        t('voice.page.when'),
        t('voice.page.direction'),
        t('voice.page.customer'),
        t('voice.page.phone'),
        t('voice.card.agent'),
        t('voice.card.outcome'),
        t('voice.card.wait'),
        t('voice.card.talk'),
        t('voice.card.recording'),
        t('voice.card.agreement'),
      ]}
      filters={<MineToggle mine={mine} onChange={setMine} />}
      row={(c) => (
              <tr key={c.id} data-call-id={c.id}>
                <td>
                  <time dateTime={c.startedAt} title={fullDateTime(c.startedAt)}>
                    {dateTime(c.startedAt)}
                  </time>
                </td>
                <td>{t(`voice.card.${c.direction}`)}</td>
                <td>
                  <Link to={`/inbox/${viewSegment}/${c.conversationId}`} dir="auto">
                    {c.contactName || t('voice.pop.unknown')}
                  </Link>
                  <span className="muted small"> #{c.conversationNumber}</span>
                </td>
                <td dir="ltr">{c.direction === 'inbound' ? (c.from === 'withheld' ? t('voice.pop.withheld') : c.from) : c.to}</td>
                <td>{c.agentName ?? '–'}</td>
                <td>
                  <span className={`call-outcome outcome-${c.outcome ?? 'none'}`}>{t(`voice.outcome.${c.outcome ?? 'none'}`)}</span>
                </td>
                <td>{seconds(c.waitSeconds)}</td>
                <td>{seconds(c.talkSeconds)}</td>
                <td>{c.recordingUrl ? <audio controls preload="none" src={c.recordingUrl} aria-label={t('voice.card.recording')} className="audio-small" /> : '–'}</td>
                <td>{c.agreement ? <span className={`agreement-status status-${c.agreement.status}`}>{t(`voice.card.agreementStatus.${c.agreement.status}`)}</span> : '–'}</td>
              </tr>
      )}
    />
  );
}
