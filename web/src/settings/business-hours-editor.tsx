import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSave } from './common';

/**
 * An inbox's business calendar (GET/PUT /api/v1/inboxes/{id}/business-hours): the hours the widget says it is
 * open, the phone line answers in and the handling-time promises count in. Shown in the shared inbox form, so
 * every channel kind has it. One opening period per day is edited here; extra periods of a day that has several
 * (set through the API) are kept as they are.
 */
interface Interval {
  start: string;
  end: string;
}
interface Calendar {
  timeZone: string;
  week: Interval[][];
  dutchHolidays: boolean;
  holidayOptions?: unknown;
  closedDates?: string[];
}

const ORDER = [1, 2, 3, 4, 5, 6, 0];
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Days whose first period does not end after it starts (the server refuses them too; this says which day). */
export function badDays(week: Interval[][]): number[] {
  return week.flatMap((day, d) => (day.some((i) => !/^\d\d:\d\d$/.test(i.start) || !/^\d\d:\d\d$/.test(i.end) || minutes(i.end) <= minutes(i.start)) ? [d] : []));
}

export function BusinessHoursEditor({ inboxId, hint }: { inboxId: string; hint?: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ['business-hours', inboxId];
  const query = useQuery({ queryKey: key, queryFn: () => api.get<{ calendar: Calendar; own: boolean }>(`/api/v1/inboxes/${inboxId}/business-hours`) });
  const [cal, setCal] = useState<Calendar | null>(null);
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    if (query.data) setCal(query.data.calendar);
  }, [query.data]);
  const save = useSave((calendar: Calendar | null) => api.put<{ calendar: Calendar; own: boolean }>(`/api/v1/inboxes/${inboxId}/business-hours`, { calendar }), {
    done: t('settings.saved'),
    onSuccess: (r) => {
      qc.setQueryData(key, r);
      setCal(r.calendar);
    },
  });
  if (!cal || !query.data) return null;
  const setDay = (d: number, first: Interval | null) => {
    const week = cal.week.map((day, i) => (i === d ? (first ? [first, ...day.slice(1)] : []) : day));
    setCal({ ...cal, week });
  };
  const bad = checked ? badDays(cal.week) : [];
  const submit = () => {
    setChecked(true);
    if (badDays(cal.week).length === 0) save.mutate(cal);
  };
  // Server field errors come as calendar.week.<day>.<period>.<start|end>; shown at the day they are about.
  const serverDayError = (d: number) => Object.entries(save.errors).find(([k]) => k.startsWith(`calendar.week.${d}.`))?.[1];
  return (
    <fieldset className="stack business-hours" data-testid="business-hours">
      <legend>{t('businessHours.title')}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      <p className="hint">{query.data.own ? t('businessHours.own') : t('businessHours.inherited')}</p>
      {ORDER.map((d) => {
        const first = cal.week[d]?.[0];
        const dayError = bad.includes(d) ? t('businessHours.endBeforeStart', { day: t(`businessHours.days.${d}`) }) : serverDayError(d);
        return (
          <div key={d} className="hours-row" data-day={d}>
            <label className="check-line hours-day">
              <input type="checkbox" checked={!!first} onChange={(e) => setDay(d, e.target.checked ? { start: '09:00', end: '17:00' } : null)} />
              {t(`businessHours.days.${d}`)}
            </label>
            {first ? (
              <>
                <input
                  className="input"
                  type="time"
                  aria-label={t('businessHours.opens', { day: t(`businessHours.days.${d}`) })}
                  aria-invalid={dayError ? true : undefined}
                  value={first.start}
                  onChange={(e) => setDay(d, { ...first, start: e.target.value })}
                />
                <span aria-hidden>–</span>
                <input
                  className="input"
                  type="time"
                  aria-label={t('businessHours.closes', { day: t(`businessHours.days.${d}`) })}
                  aria-invalid={dayError ? true : undefined}
                  value={first.end === '24:00' ? '23:59' : first.end}
                  onChange={(e) => setDay(d, { ...first, end: e.target.value })}
                />
                {(cal.week[d]?.length ?? 0) > 1 ? <span className="muted small">{t('businessHours.more', { count: cal.week[d]!.length - 1 })}</span> : null}
              </>
            ) : (
              <span className="muted small">{t('businessHours.closed')}</span>
            )}
            {dayError ? (
              <p className="error-text" role="alert">
                {dayError}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="field">
        <label htmlFor="hours-zone">{t('businessHours.timeZone')}</label>
        <input id="hours-zone" className="input" value={cal.timeZone} onChange={(e) => setCal({ ...cal, timeZone: e.target.value })} />
        {save.errors['calendar.timeZone'] ? <p className="error-text">{save.errors['calendar.timeZone']}</p> : null}
      </div>
      <label className="check-line">
        <input type="checkbox" checked={cal.dutchHolidays} onChange={(e) => setCal({ ...cal, dutchHolidays: e.target.checked })} />
        {t('businessHours.holidays')}
      </label>
      <div className="row-buttons">
        <button type="button" className="btn" onClick={submit} disabled={save.isPending}>
          {t('businessHours.save')}
        </button>
        {query.data.own ? (
          <button type="button" className="btn btn-small" onClick={() => save.mutate(null)} disabled={save.isPending}>
            {t('businessHours.useDefault')}
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}
