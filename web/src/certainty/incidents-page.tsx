import './certainty.css';
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { Link } from '../router';
import { ErrorState, Spinner } from '../ui/feedback';
import { SelectField, TextArea, TextField } from '../ui/field';
import { useToast } from '../ui/toast';
import { ConfirmButton, useSave } from '../settings/common';
import { dateTime, number, workspaceTimeZone } from '../i18n/format';
import { timeVariables, variableText, type IncidentVariable } from '../../../src/domain/incident-variables';
import { viewPath } from '../inbox/view';
import { broadcastPending, deliveryCounts, PROGRESS_POLL_MS } from './broadcast-progress';
import { WhatsAppTemplates } from './whatsapp-templates';

type Loc = 'nl' | 'en';
type TextSet = Record<string, string>;
export interface Broadcast {
  id: string;
  kind: 'notice' | 'update' | 'resolution';
  status: 'running' | 'done';
  targeted: number;
  queued: number;
  skipped: number;
  createdAt: string;
  finishedAt: string | null;
}
export interface IncidentItem {
  id: string;
  scenario: string;
  status: 'active' | 'resolved';
  texts: Record<Loc, TextSet>;
  variables: Record<string, IncidentVariable>;
  segment: { postcodeFrom?: number; postcodeTo?: number; products?: string[]; attributes?: Record<string, string> };
  keywords: string[];
  label: string;
  declaredAt: string;
  resolvedAt: string | null;
  linkedConversations: number;
  broadcasts: Broadcast[];
}
interface Templates {
  incidentTemplates: Record<string, Partial<Record<Loc, TextSet>>>;
  incidentTemplateDefaults: Record<string, Record<Loc, TextSet>>;
}
interface Linked {
  id: string;
  number: number;
  status: string;
  preview: string;
  contactName: string;
  reason: 'segment' | 'keyword' | 'manual';
  linkedAt: string;
}

export const incidentsKey = ['incidents'] as const;
export const deliveryKey = (broadcastId: string) => ['incident-delivery', broadcastId] as const;
export const linkedKey = (incidentId: string) => ['incident-linked', incidentId] as const;

const TEXT_KEYS = ['title', 'banner', 'sms', 'email_subject', 'email', 'whatsapp', 'ivr', 'resolution'] as const;
/** Filled per contact or per update, never asked for when declaring. */
const LATE_VARS = new Set(['name', 'update']);
const varsIn = (texts: TextSet[]) => [...new Set(texts.flatMap((t) => Object.values(t).flatMap((v) => [...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))))].filter((v) => !LATE_VARS.has(v));
/** The preview fills variables as the server will: a date written out in the text's own language. */
const fill = (text: string, vars: Record<string, IncidentVariable>, loc: Loc) =>
  text.replace(/\{(\w+)\}/g, (whole, n: string) => {
    const v = vars[n];
    return LATE_VARS.has(n) || v === undefined ? whole : variableText(v, loc, { timeZone: workspaceTimeZone(), now: new Date() }) || whole;
  });
const filled = (v: IncidentVariable | undefined) => (typeof v === 'string' ? v.trim() !== '' : !!v?.nl.trim());
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Incident mode for admins: declare from a scenario (texts per channel editable for this incident), see who is
 * affected and which conversations came in about it, follow each broadcast live, post updates, resolve with the
 * resolution notice, and resolve the linked conversations in bulk with a personal message.
 */
export default function IncidentsPage() {
  const { t } = useTranslation();
  const { isAdmin } = useSession();
  const q = useQuery({
    queryKey: incidentsKey,
    queryFn: () => api.get<{ items: IncidentItem[] }>('/api/v1/incidents'),
    // Realtime events refresh this. A missed event (a busy server, a socket that reconnected mid-broadcast) must not
    // leave the page stuck, so while a broadcast runs the page also asks on a timer; a reconnect refetches everything
    // (app-shell).
    refetchInterval: (query) => (query.state.data?.items.some((i) => i.broadcasts.some((b) => b.status === 'running')) ? PROGRESS_POLL_MS : false),
  });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const active = q.data.items.filter((i) => i.status === 'active');
  const past = q.data.items.filter((i) => i.status === 'resolved');
  return (
    <div className="certainty-page" data-testid="incidents-page">
      <section className="settings-section certainty-wide">
        <header className="settings-header">
          <div>
            <h1>{t('certainty.incidents.title')}</h1>
            <p className="muted">{t('certainty.incidents.intro')}</p>
          </div>
        </header>
        <h2>{t('certainty.incidents.active')}</h2>
        {active.length ? active.map((i) => <IncidentCard key={i.id} incident={i} canManage={isAdmin} />) : <p className="muted">{t('certainty.incidents.noneActive')}</p>}
        {isAdmin ? <DeclareForm /> : <p className="muted">{t('certainty.incidents.adminOnly')}</p>}
        {isAdmin ? <WhatsAppTemplates /> : null}
        {past.length ? (
          <>
            <h2>{t('certainty.incidents.past')}</h2>
            {past.map((i) => (
              <IncidentCard key={i.id} incident={i} canManage={isAdmin} />
            ))}
          </>
        ) : null}
      </section>
    </div>
  );
}

function segmentText(t: (k: string) => string, s: IncidentItem['segment']) {
  const parts = [
    s.postcodeFrom || s.postcodeTo ? `${s.postcodeFrom ?? '…'}–${s.postcodeTo ?? '…'}` : '',
    s.products?.length ? s.products.join(', ') : '',
    ...Object.entries(s.attributes ?? {}).map(([k, v]) => `${k}=${v}`),
  ].filter(Boolean);
  return parts.join(' · ') || t('certainty.incidents.everyone');
}

function DeclareForm() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const tpl = useQuery({ queryKey: ['certainty-settings'], queryFn: () => api.get<Templates>('/api/v1/certainty/settings') });
  const [scenario, setScenario] = useState('power_outage');
  const [vars, setVars] = useState<Record<string, IncidentVariable>>({});
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [products, setProducts] = useState('');
  const [keywords, setKeywords] = useState('');
  const [label, setLabel] = useState('');
  const [notify, setNotify] = useState(true);
  const [loc, setLoc] = useState<Loc>(i18n.language === 'en' ? 'en' : 'nl');
  const [edits, setEdits] = useState<Record<Loc, TextSet>>({ nl: {}, en: {} });
  useEffect(() => setEdits({ nl: {}, en: {} }), [scenario]);
  const base = useMemo(() => {
    const d = tpl.data?.incidentTemplateDefaults[scenario];
    const own = tpl.data?.incidentTemplates[scenario];
    return d ? { nl: { ...d.nl, ...(own?.nl ?? {}) }, en: { ...d.en, ...(own?.en ?? {}) } } : null;
  }, [tpl.data, scenario]);
  const texts = base ? { nl: { ...base.nl, ...edits.nl }, en: { ...base.en, ...edits.en } } : null;
  const needed = texts ? varsIn([texts.nl, texts.en]) : [];
  const missing = needed.filter((v) => !filled(vars[v]));
  const segment = {
    ...(from ? { postcodeFrom: Number(from) } : {}),
    ...(to ? { postcodeTo: Number(to) } : {}),
    ...(list(products).length ? { products: list(products) } : {}),
  };
  const preview = useMutation({ mutationFn: () => api.post<{ contacts: number; optedOut: number; sample: Array<{ name: string }> }>('/api/v1/incidents/preview', { segment }) });
  const declare = useSave(
    () =>
      api.post<{ incident: IncidentItem }>('/api/v1/incidents', {
        scenario,
        segment,
        variables: Object.fromEntries(needed.map((v) => [v, vars[v] ?? ''])) as Record<string, IncidentVariable>,
        keywords: list(keywords),
        ...(label.trim() ? { label: label.trim() } : {}),
        notify,
        texts: edits,
      }),
    {
      invalidate: [incidentsKey],
      onSuccess: () => {
        toast({ kind: 'info', text: t('certainty.incidents.declared') });
        setVars({});
        setEdits({ nl: {}, en: {} });
        preview.reset();
      },
    },
  );
  if (tpl.isPending) return <Spinner />;
  if (tpl.isError) return <ErrorState error={tpl.error} onRetry={() => void tpl.refetch()} compact />;
  const scenarios = Object.keys(tpl.data.incidentTemplateDefaults);
  const titleOf = (s: string) => (tpl.data.incidentTemplateDefaults[s]?.[loc]?.title ?? s).replace(/\s*\{\w+\}/g, '');
  return (
    <form
      className="card stack incident-declare"
      data-testid="incident-declare"
      onSubmit={(e) => {
        e.preventDefault();
        declare.mutate(undefined);
      }}
    >
      <h2>{t('certainty.incidents.declare')}</h2>
      <div className="row-fields">
        <SelectField label={t('certainty.incidents.scenario')} name="scenario" value={scenario} onChange={(e) => setScenario(e.target.value)}>
          {scenarios.map((s) => (
            <option key={s} value={s}>
              {titleOf(s)}
            </option>
          ))}
        </SelectField>
        {needed.map((v) =>
          timeVariables.has(v) ? (
            <TimeVariableField key={v} name={v} value={vars[v]} onChange={(value) => setVars({ ...vars, [v]: value })} error={declare.errors[`variables.${v}`]} />
          ) : (
            <TextField key={v} name={`var-${v}`} label={t(`certainty.incidents.var_${v}`, { defaultValue: v })} value={typeof vars[v] === 'string' ? vars[v] : ''} onChange={(e) => setVars({ ...vars, [v]: e.target.value })} error={declare.errors[`variables.${v}`]} required />
          ),
        )}
      </div>
      <fieldset className="stack">
        <legend>{t('certainty.incidents.segment')}</legend>
        <p className="muted small">{t('certainty.incidents.segmentHint')}</p>
        <div className="row-fields">
          <TextField label={t('certainty.incidents.postcodeFrom')} name="postcodeFrom" inputMode="numeric" pattern="[0-9]{4}" value={from} onChange={(e) => setFrom(e.target.value)} error={declare.errors['segment.postcodeFrom']} />
          <TextField label={t('certainty.incidents.postcodeTo')} name="postcodeTo" inputMode="numeric" pattern="[0-9]{4}" value={to} onChange={(e) => setTo(e.target.value)} error={declare.errors['segment.postcodeTo']} />
          <TextField label={t('certainty.incidents.products')} name="products" value={products} onChange={(e) => setProducts(e.target.value)} />
          <button type="button" className="btn btn-small" onClick={() => preview.mutate()} disabled={preview.isPending}>
            {t('certainty.incidents.preview')}
          </button>
        </div>
        {preview.data ? (
          <p className="small" role="status" data-testid="segment-preview">
            {t('certainty.incidents.previewResult', { count: number(preview.data.contacts) as unknown as number, optedOut: number(preview.data.optedOut) })}
            {preview.data.sample.length ? ` ${t('certainty.incidents.previewSample', { names: preview.data.sample.map((s) => s.name).filter(Boolean).join(', ') })}` : ''}
          </p>
        ) : null}
        <div className="row-fields">
          <TextField label={t('certainty.incidents.keywords')} name="keywords" value={keywords} onChange={(e) => setKeywords(e.target.value)} />
          <TextField label={t('certainty.incidents.label')} name="label" value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
      </fieldset>
      {texts ? (
        <fieldset className="stack">
          <legend>{t('certainty.incidents.texts')}</legend>
          <p className="muted small">{t('certainty.incidents.textsHint')}</p>
          <div className="tabs" role="tablist">
            {(['nl', 'en'] as const).map((l) => (
              <button key={l} type="button" role="tab" className="tab" aria-selected={loc === l} onClick={() => setLoc(l)}>
                {l === 'nl' ? 'Nederlands' : 'English'}
              </button>
            ))}
          </div>
          {TEXT_KEYS.map((k) => (
            <div key={`${loc}.${k}`} className="incident-text grid-2">
              <TextArea
                label={t(`certainty.settings.text_${k}`)}
                name={`text-${loc}-${k}`}
                rows={k === 'email' ? 6 : 2}
                value={texts[loc][k] ?? ''}
                onChange={(e) => setEdits({ ...edits, [loc]: { ...edits[loc], [k]: e.target.value } })}
              />
              <div className="incident-preview">
                <span className="muted small">{t('certainty.incidents.previewText')}</span>
                <p dir="auto" data-preview={`${loc}-${k}`}>
                  {fill(texts[loc][k] ?? '', vars, loc)}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> {t('certainty.incidents.notify')}
      </label>
      {missing.length ? <p className="small muted">{t('certainty.incidents.missing', { names: missing.map((v) => t(`certainty.incidents.var_${v}`, { defaultValue: v })).join(', ') })}</p> : null}
      <div>
        <button type="submit" className="btn primary" disabled={declare.isPending || missing.length > 0}>
          {declare.isPending ? t('certainty.incidents.declaring') : t('certainty.incidents.declareButton')}
        </button>
      </div>
    </form>
  );
}

/**
 * A time the customers are told ("expected fix"): a date-and-time picker, so every language writes it in its own
 * words, or — when there is no clock time to give — a text per language ("binnen twee uur" / "within two hours").
 */
function TimeVariableField({ name, value, onChange, error }: { name: string; value: IncidentVariable | undefined; onChange(v: IncidentVariable): void; error?: string | undefined }) {
  const { t } = useTranslation();
  const asText = typeof value === 'object';
  const label = t(`certainty.incidents.var_${name}`, { defaultValue: name });
  return (
    <div className="stack incident-time-var">
      {asText ? (
        <div className="row-fields">
          <TextField name={`var-${name}-nl`} label={t('certainty.incidents.varTextNl', { name: label })} value={value.nl} onChange={(e) => onChange({ ...value, nl: e.target.value })} error={error} required />
          <TextField name={`var-${name}-en`} label={t('certainty.incidents.varTextEn', { name: label })} value={value.en ?? ''} onChange={(e) => onChange({ ...value, en: e.target.value })} />
        </div>
      ) : (
        <TextField type="datetime-local" name={`var-${name}`} label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value)} error={error} required />
      )}
      <label className="check small">
        <input type="checkbox" checked={asText} onChange={(e) => onChange(e.target.checked ? { nl: '', en: '' } : '')} /> {t('certainty.incidents.varAsText')}
      </label>
    </div>
  );
}

function IncidentCard({ incident, canManage }: { incident: IncidentItem; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const lang: Loc = i18n.language === 'en' ? 'en' : 'nl';
  const [open, setOpen] = useState(incident.status === 'active');
  const active = incident.status === 'active';
  return (
    <article className={`card stack incident-card incident-${incident.status}`} data-testid="incident-card" data-incident-id={incident.id}>
      <header className="settings-header">
        <div>
          <h3>
            {incident.texts[lang]?.title || incident.texts.nl?.title} <span className={`incident-status incident-status-${incident.status}`}>{t(`certainty.incidents.status_${incident.status}`)}</span>
          </h3>
          <p className="muted small">
            {t('certainty.incidents.declaredAt', { time: dateTime(incident.declaredAt) })}
            {incident.resolvedAt ? ` · ${t('certainty.incidents.resolvedAt', { time: dateTime(incident.resolvedAt) })}` : ''}
            {' · '}
            {t('certainty.incidents.segmentSummary', { text: segmentText(t, incident.segment) })}
          </p>
        </div>
        {!active ? (
          <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {t('certainty.incidents.linked', { count: incident.linkedConversations })}
          </button>
        ) : null}
      </header>
      {active ? (
        <p className="incident-banner-preview" data-testid="incident-banner-text">
          <span className="muted small">{t('certainty.incidents.banner')}: </span>
          {incident.texts[lang]?.banner}
        </p>
      ) : null}
      {open ? (
        <>
          <Broadcasts incident={incident} />
          <LinkedConversations incident={incident} />
          {canManage ? <IncidentActions incident={incident} /> : null}
        </>
      ) : null}
    </article>
  );
}

function Broadcasts({ incident }: { incident: IncidentItem }) {
  const { t } = useTranslation();
  if (!incident.broadcasts.length) return null;
  return (
    <div className="stack">
      <h4>{t('certainty.incidents.broadcasts')}</h4>
      <ul className="incident-broadcasts">
        {incident.broadcasts.map((b) => (
          <BroadcastRow key={b.id} incidentId={incident.id} broadcast={b} />
        ))}
      </ul>
    </div>
  );
}

function BroadcastRow({ incidentId, broadcast: b }: { incidentId: string; broadcast: Broadcast }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: deliveryKey(b.id),
    queryFn: () => api.get<{ delivery: Record<string, number> }>(`/api/v1/incidents/${incidentId}/broadcasts/${b.id}`),
    // The batches' progress events move this; until every queued notice has an outcome it is also refetched on a
    // timer, so the bar reaches the end even when the last event never arrived.
    refetchInterval: (query) => (broadcastPending(b, query.state.data?.delivery) ? PROGRESS_POLL_MS : false),
  });
  const d = q.data?.delivery ?? {};
  const { sent, failed } = deliveryCounts(d);
  const total = b.queued;
  const share = total ? Math.min(1, (sent + failed) / total) : b.status === 'done' ? 1 : 0;
  return (
    <li className="incident-broadcast" data-testid="broadcast" data-kind={b.kind} data-sent={sent}>
      <div className="incident-broadcast-head">
        <strong>{t(`certainty.incidents.kind_${b.kind}`)}</strong>
        <span className="muted small">
          {dateTime(b.createdAt)} · {b.status === 'running' || share < 1 ? t('certainty.incidents.running') : t('certainty.incidents.done')}
        </span>
        <span className="small" data-testid="broadcast-progress">
          {t('certainty.incidents.progress', { sent: number(sent), total: number(total) })}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)} aria-label={t(`certainty.incidents.kind_${b.kind}`)}>
        <span style={{ width: `${share * 100}%` }} />
      </div>
      <span className="muted small">{t('certainty.incidents.progressDetail', { targeted: number(b.targeted), queued: number(b.queued), skipped: number(b.skipped), failed: number(failed) })}</span>
    </li>
  );
}

function LinkedConversations({ incident }: { incident: IncidentItem }) {
  const { t } = useTranslation();
  const { isAdmin } = useSession();
  const q = useQuery({ queryKey: linkedKey(incident.id), queryFn: () => api.get<{ items: Linked[] }>(`/api/v1/incidents/${incident.id}/conversations`), enabled: isAdmin });
  return (
    <div className="stack">
      <h4>
        {t('certainty.incidents.linked', { count: incident.linkedConversations })} ·{' '}
        <Link to={viewPath({ kind: 'label', label: incident.label })} className="small">
          {t('certainty.incidents.openInInbox')}
        </Link>
      </h4>
      {q.data?.items.length ? (
        <ul className="incident-linked">
          {q.data.items.slice(0, 20).map((c) => (
            <li key={c.id}>
              <Link to={viewPath({ kind: 'label', label: incident.label }, c.id)}>
                #{c.number} {c.contactName}
              </Link>{' '}
              <span className="muted small">
                {t(`status.${c.status}`)} · {t(`certainty.incidents.reason_${c.reason}`)} · {c.preview}
              </span>
            </li>
          ))}
        </ul>
      ) : q.data ? (
        <p className="muted small">{t('certainty.incidents.noLinked')}</p>
      ) : null}
    </div>
  );
}

function IncidentActions({ incident }: { incident: IncidentItem }) {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const [nl, setNl] = useState('');
  const [en, setEn] = useState('');
  const [ivrNl, setIvrNl] = useState('');
  const [ivrEn, setIvrEn] = useState('');
  const [notify, setNotify] = useState(true);
  const [bulkNl, setBulkNl] = useState(incident.texts.nl?.resolution ?? '');
  const [bulkEn, setBulkEn] = useState(incident.texts.en?.resolution ?? '');
  const active = incident.status === 'active';
  const linked = useQuery({ queryKey: linkedKey(incident.id), queryFn: () => api.get<{ items: Linked[] }>(`/api/v1/incidents/${incident.id}/conversations`) });
  const openLinked = (linked.data?.items ?? []).filter((c) => c.status !== 'resolved' && c.status !== 'closed').length;
  const update = useSave(
    () => api.post(`/api/v1/incidents/${incident.id}/updates`, { nl, ...(en.trim() ? { en } : {}), ...(ivrNl.trim() || ivrEn.trim() ? { ivr: { ...(ivrNl.trim() ? { nl: ivrNl } : {}), ...(ivrEn.trim() ? { en: ivrEn } : {}) } } : {}) }),
    {
      invalidate: [incidentsKey],
      done: t('certainty.incidents.updateSent'),
      onSuccess: () => {
        setNl('');
        setEn('');
      },
    },
  );
  const resolve = useSave(() => api.post(`/api/v1/incidents/${incident.id}/resolve`, { notify }), { invalidate: [incidentsKey], done: t('certainty.incidents.resolved') });
  const bulk = useSave(() => api.post<{ resolved: string[]; failed: unknown[] }>(`/api/v1/incidents/${incident.id}/bulk-resolve`, { message: { nl: bulkNl, ...(bulkEn.trim() ? { en: bulkEn } : {}) } }), {
    invalidate: [incidentsKey, linkedKey(incident.id)],
    onSuccess: (r) => {
      toast({ kind: 'info', text: t('certainty.incidents.bulkResolved', { resolved: r.resolved.length, failed: r.failed.length }) });
      void qc.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
  return (
    <div className="incident-actions grid-2">
      {active ? (
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate(undefined);
        }}
      >
        <h4>{t('certainty.incidents.update')}</h4>
        <TextArea label={t('certainty.incidents.updateNl')} name="update-nl" rows={2} value={nl} onChange={(e) => setNl(e.target.value)} required error={update.errors.nl} />
        <TextArea label={t('certainty.incidents.updateEn')} name="update-en" rows={2} value={en} onChange={(e) => setEn(e.target.value)} />
        <TextArea label={t('certainty.incidents.updateIvrNl')} rows={2} value={ivrNl} onChange={(e) => setIvrNl(e.target.value)} />
        <TextArea label={t('certainty.incidents.updateIvrEn')} rows={2} value={ivrEn} onChange={(e) => setIvrEn(e.target.value)} />
        <div>
          <button type="submit" className="btn" disabled={update.isPending || !nl.trim()}>
            {t('certainty.incidents.sendUpdate')}
          </button>
        </div>
      </form>
      ) : null}
      <div className="stack">
        {active ? (
          <>
        <h4>{t('certainty.incidents.resolve')}</h4>
        <label className="check">
          <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> {t('certainty.incidents.resolveNotify')}
        </label>
        <div>
          <ConfirmButton label={t('certainty.incidents.resolve')} confirm={t('certainty.incidents.resolveConfirm')} onConfirm={() => resolve.mutate(undefined)} disabled={resolve.isPending} />
        </div>
          </>
        ) : null}
        <h4>{t('certainty.incidents.bulkResolve')}</h4>
        <TextArea label={t('certainty.incidents.bulkMessageNl')} rows={3} value={bulkNl} onChange={(e) => setBulkNl(e.target.value)} />
        <TextArea label={t('certainty.incidents.bulkMessageEn')} rows={3} value={bulkEn} onChange={(e) => setBulkEn(e.target.value)} />
        <div>
          <button type="button" className="btn" disabled={bulk.isPending || !bulkNl.trim() || !openLinked} onClick={() => bulk.mutate(undefined)}>
            {t('certainty.incidents.bulkResolveButton', { count: openLinked })}
          </button>
        </div>
      </div>
    </div>
  );
}
