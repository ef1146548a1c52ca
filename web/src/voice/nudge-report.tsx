import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n';
import { api, qs } from '../api/client';
import { locale, number } from '../i18n/format';
import { ErrorState, Spinner } from '../ui/feedback';

/** src/app/call-nudge-report.ts */
interface Group {
  cases: number;
  resolvedAfter: number;
  withFurtherContacts: number;
  furtherContacts: number;
  complete: number;
}
interface NudgeReport {
  followed: Group & { byAction: { called: number; callback_offered: number } };
  notFollowed: Group;
}

const share = (n: number, of: number) => (of ? new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(n / of) : '—');
const perCase = (g: Group) => (g.cases ? new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(g.furtherContacts / g.cases) : '—');

/** The reports page's section on the ping-pong nudge: followed against not followed, side by side. */
export function NudgeReportSection({ days }: { days: number }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['report-call-nudges', days], queryFn: () => api.get<NudgeReport>(`/api/v1/reports/call-nudges${qs({ days })}`) });
  const rows = q.data
    ? ([
        ['followed', q.data.followed],
        ['notFollowed', q.data.notFollowed],
      ] as const)
    : [];
  const pending = q.data ? q.data.followed.cases - q.data.followed.complete + q.data.notFollowed.cases - q.data.notFollowed.complete : 0;
  return (
    <article className="card stack" data-testid="report-call-nudges">
      <h2>{t('voice.report.title')}</h2>
      <p className="muted small">{t('voice.report.hint')}</p>
      {q.isPending ? (
        <Spinner />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} compact />
      ) : !q.data.followed.cases && !q.data.notFollowed.cases ? (
        <p className="muted">{t('voice.report.none')}</p>
      ) : (
        <>
          <table className="table small">
            <thead>
              <tr>
                <th scope="col">{t('voice.report.group')}</th>
                <th scope="col">{t('voice.report.cases')}</th>
                <th scope="col">{t('voice.report.resolvedAfter')}</th>
                <th scope="col">{t('voice.report.furtherContacts')}</th>
                <th scope="col">{t('voice.report.perCase')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([key, g]) => (
                <tr key={key} data-group={key}>
                  <th scope="row">{t(`voice.report.${key}`)}</th>
                  <td>{number(g.cases)}</td>
                  <td>{share(g.resolvedAfter, g.cases)}</td>
                  <td>{share(g.withFurtherContacts, g.cases)}</td>
                  <td>{perCase(g)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            {t('voice.report.actions', { called: number(q.data.followed.byAction.called), offered: number(q.data.followed.byAction.callback_offered) })}
            {pending > 0 ? ` · ${t('voice.report.pending', { count: pending })}` : null}
          </p>
        </>
      )}
    </article>
  );
}
