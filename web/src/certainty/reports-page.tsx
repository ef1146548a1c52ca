import './certainty.css';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, currentWorkspaceId, qs } from '../api/client';
import { useInboxes } from '../api/queries';
import { useSession } from '../auth/session';
import { Empty, ErrorState, Spinner } from '../ui/feedback';
import { SelectField } from '../ui/field';
import { IconDownload } from '../ui/icons';
import { locale, number } from '../i18n/format';
import { Legend, SplitBars, StackedBars, type Series } from './charts';
import { NO_LABEL, type DriverRow } from '../../../src/domain/contact-drivers';
import { NudgeReportSection } from '../voice/nudge-report';

interface PromiseDay {
  date: string;
  kept: number;
  missed: number;
  revised: number;
}
/** The server's rows, one type: src/domain/contact-drivers.ts computes them. */
type Driver = DriverRow;
interface Prevention {
  id: string;
  title: { nl: string; en: string };
  declaredAt: string;
  notified: number;
  contactedAnyway: number;
  prevented: number;
  linkedConversations: number;
}

const COLORS = { kept: '#15803d', missed: '#b91c1c', revised: '#d97706', volume: '#93a4c3', repeat: '#b91c1c', prevented: '#15803d', anyway: '#d97706' };
const pct = (v: number) => new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(v);
const dayLabel = (iso: string) => new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));

/** Reports for admins: promises kept vs missed per day, the top contact drivers, contacts prevented by incidents, and whether calling after a ping-pong nudge helped. */
export default function ReportsPage() {
  const { t, i18n } = useTranslation();
  const { isAdmin } = useSession();
  const [days, setDays] = useState(30);
  const lang = i18n.language === 'en' ? 'en' : 'nl';
  const promises = useQuery({ queryKey: ['report-promises', days], queryFn: () => api.get<{ items: PromiseDay[]; total: { kept: number; missed: number; revised: number } }>(`/api/v1/reports/promises${qs({ days })}`), enabled: isAdmin });
  const drivers = useQuery({ queryKey: ['report-drivers', days], queryFn: () => api.get<{ items: Driver[] }>(`/api/v1/reports/contact-drivers${qs({ days })}`), enabled: isAdmin });
  const prevention = useQuery({ queryKey: ['report-prevention', days], queryFn: () => api.get<{ items: Prevention[] }>(`/api/v1/reports/incident-prevention${qs({ days })}`), enabled: isAdmin });
  const inboxes = useInboxes().data ?? [];
  const inboxName = (id: string) => inboxes.find((b) => b.id === id)?.name ?? '';

  if (!isAdmin) return <Empty title={t('certainty.incidents.adminOnly')} />;

  const promiseSeries: Series[] = [
    { key: 'kept', label: t('certainty.reports.kept'), color: COLORS.kept },
    { key: 'missed', label: t('certainty.reports.missed'), color: COLORS.missed },
    { key: 'revised', label: t('certainty.reports.revised'), color: COLORS.revised },
  ];
  const exportCsv = async () => {
    const res = await fetch(`/api/v1/reports/contact-drivers${qs({ days, format: 'csv' })}`, { credentials: 'same-origin', headers: currentWorkspaceId() ? { 'x-workspace-id': currentWorkspaceId()! } : {} });
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'contact-drivers.csv';
    a.click();
    URL.revokeObjectURL(url);
  };

  const total = promises.data?.total;
  const decided = total ? total.kept + total.missed : 0;
  const top = (drivers.data?.items ?? []).slice(0, 10);

  return (
    <div className="certainty-page" data-testid="reports-page">
      <section className="settings-section certainty-wide">
        <header className="settings-header">
          <div>
            <h1>{t('certainty.reports.title')}</h1>
            <p className="muted">{t('certainty.reports.intro')}</p>
          </div>
          <SelectField label={t('certainty.reports.days')} value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 30, 90].map((d) => (
              <option key={d} value={d}>
                {t('certainty.reports.lastDays', { count: d })}
              </option>
            ))}
          </SelectField>
        </header>

        <article className="card stack" data-testid="report-promises">
          <h2>{t('certainty.reports.promisesTitle')}</h2>
          <p className="muted small">{t('certainty.reports.promisesHint')}</p>
          {promises.isPending ? (
            <Spinner />
          ) : promises.isError ? (
            <ErrorState error={promises.error} onRetry={() => void promises.refetch()} compact />
          ) : (
            <>
              <p className="report-figures">
                <strong>{decided ? t('certainty.reports.keptShare', { share: pct(total!.kept / decided) }) : t('certainty.reports.noPromises')}</strong>
                {decided ? (
                  <span className="muted">
                    {' · '}
                    {t('certainty.reports.kept')} {number(total!.kept)} · {t('certainty.reports.missed')} {number(total!.missed)} · {t('certainty.reports.revised')} {number(total!.revised)}
                  </span>
                ) : null}
              </p>
              <StackedBars title={t('certainty.reports.chartLabel', { title: t('certainty.reports.promisesTitle') })} categories={promises.data.items.map((d) => dayLabel(d.date))} series={promiseSeries} values={promises.data.items.map((d) => ({ kept: d.kept, missed: d.missed, revised: d.revised }))} />
              <Legend series={promiseSeries} />
              <details>
                <summary className="small">{t('certainty.reports.date')}</summary>
                <table className="table small">
                  <thead>
                    <tr>
                      <th>{t('certainty.reports.date')}</th>
                      {promiseSeries.map((s) => (
                        <th key={s.key}>{s.label}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {promises.data.items
                      .filter((d) => d.kept || d.missed || d.revised)
                      .map((d) => (
                        <tr key={d.date}>
                          <td>{new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${d.date}T12:00:00Z`))}</td>
                          <td>{number(d.kept)}</td>
                          <td>{number(d.missed)}</td>
                          <td>{number(d.revised)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </details>
            </>
          )}
        </article>

        <article className="card stack" data-testid="report-drivers">
          <header className="settings-header">
            <div>
              <h2>{t('certainty.reports.driversTitle')}</h2>
              <p className="muted small">{t('certainty.reports.driversHint')}</p>
            </div>
            <button type="button" className="btn btn-small" onClick={() => void exportCsv()}>
              <IconDownload /> {t('certainty.reports.exportCsv')}
            </button>
          </header>
          {drivers.isPending ? (
            <Spinner />
          ) : drivers.isError ? (
            <ErrorState error={drivers.error} onRetry={() => void drivers.refetch()} compact />
          ) : !top.length ? (
            <p className="muted">{t('certainty.reports.noDrivers')}</p>
          ) : (
            <>
              <SplitBars
                title={t('certainty.reports.chartLabel', { title: t('certainty.reports.driversTitle') })}
                rows={top.map((d) => {
                  const repeat = Math.round(d.volume * d.repeatContactRate);
                  const name = `${d.label === NO_LABEL ? t('certainty.reports.noLabel') : d.label} · ${inboxName(d.inboxId)}`;
                  return {
                    key: `${d.label}:${d.inboxId}`,
                    label: name,
                    parts: [
                      { value: repeat, color: COLORS.repeat, label: t('certainty.reports.repeatRate') },
                      { value: d.volume - repeat, color: COLORS.volume, label: t('certainty.reports.volume') },
                    ],
                  };
                })}
              />
              <Legend
                series={[
                  { key: 'repeat', label: t('certainty.reports.repeatRate'), color: COLORS.repeat },
                  { key: 'volume', label: t('certainty.reports.volume'), color: COLORS.volume },
                ]}
              />
              <table className="table small">
                <thead>
                  <tr>
                    <th>{t('certainty.settings.caseType')}</th>
                    <th>{t('certainty.settings.inbox')}</th>
                    <th>{t('certainty.reports.volume')}</th>
                    <th>{t('certainty.reports.fcr')}</th>
                    <th>{t('certainty.reports.repeatRate')}</th>
                    <th>{t('certainty.reports.incidentContacts')}</th>
                    <th>{t('certainty.reports.avgHandling')}</th>
                  </tr>
                </thead>
                <tbody>
                  {top.map((d) => (
                    <tr key={`${d.label}:${d.inboxId}`}>
                      <td>{d.label === NO_LABEL ? t('certainty.reports.noLabel') : d.label}</td>
                      <td>{inboxName(d.inboxId)}</td>
                      <td>{number(d.volume)}</td>
                      <td>{pct(d.firstContactResolutionRate)}</td>
                      <td>{pct(d.repeatContactRate)}</td>
                      <td>{number(d.incidentContacts)}</td>
                      <td>{d.avgHandlingMs === null ? '—' : t('certainty.reports.hours', { n: new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(d.avgHandlingMs / 3_600_000) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </article>

        <article className="card stack" data-testid="report-prevention">
          <h2>{t('certainty.reports.preventionTitle')}</h2>
          <p className="muted small">{t('certainty.reports.preventionHint')}</p>
          {prevention.isPending ? (
            <Spinner />
          ) : prevention.isError ? (
            <ErrorState error={prevention.error} onRetry={() => void prevention.refetch()} compact />
          ) : !prevention.data.items.length ? (
            <p className="muted">{t('certainty.reports.noIncidents')}</p>
          ) : (
            <>
              <SplitBars
                title={t('certainty.reports.chartLabel', { title: t('certainty.reports.preventionTitle') })}
                rows={prevention.data.items.map((p) => ({
                  key: p.id,
                  label: `${p.title[lang] || p.title.nl} (${new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short' }).format(new Date(p.declaredAt))})`,
                  parts: [
                    { value: p.prevented, color: COLORS.prevented, label: t('certainty.reports.prevented') },
                    { value: p.contactedAnyway, color: COLORS.anyway, label: t('certainty.reports.contactedAnyway') },
                  ],
                }))}
              />
              <Legend
                series={[
                  { key: 'prevented', label: t('certainty.reports.prevented'), color: COLORS.prevented },
                  { key: 'anyway', label: t('certainty.reports.contactedAnyway'), color: COLORS.anyway },
                ]}
              />
              <p className="report-figures">
                <strong>
                  {t('certainty.reports.total')}: {t('certainty.reports.prevented').toLowerCase()} {number(prevention.data.items.reduce((a, p) => a + p.prevented, 0))}
                </strong>
                <span className="muted"> · {t('certainty.reports.notified', { count: prevention.data.items.reduce((a, p) => a + p.notified, 0) })}</span>
              </p>
            </>
          )}
        </article>

        <NudgeReportSection days={days} />
      </section>
    </div>
  );
}
