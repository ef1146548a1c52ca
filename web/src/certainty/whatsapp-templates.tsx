import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useInboxes } from '../api/queries';
import { ErrorState, Spinner } from '../ui/feedback';
import { SelectField } from '../ui/field';
import { useSave } from '../settings/common';
import { allowedTemplateVariables, broadcastKinds, fillTemplateBody, type BroadcastKind, type TemplateMapping } from '../../../src/domain/incident-whatsapp';
import type { TextSet } from '../../../src/domain/incident-templates';

type Loc = 'nl' | 'en';
interface Settings {
  incidentTemplates: Record<string, Partial<Record<Loc, Partial<TextSet>>>>;
  incidentTemplateDefaults: Record<string, Record<Loc, TextSet>>;
  incidentWhatsAppTemplates: Record<string, Partial<Record<Loc, Partial<Record<BroadcastKind, TemplateMapping>>>>>;
}
interface Template {
  name: string;
  language: string;
  body: string;
  variables: number;
}
const settingsKey = ['certainty-settings'] as const;

/**
 * WhatsApp only delivers a message outside the customer's 24-hour window as an approved template. Per scenario,
 * language and broadcast kind the admin picks one of the WhatsApp number's templates and which incident variable
 * fills each {{n}}; without one, such customers get the SMS text through the inbox's fallback channel.
 */
export function WhatsAppTemplates() {
  const { t, i18n } = useTranslation();
  const inboxes = useInboxes();
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => api.get<Settings>('/api/v1/certainty/settings') });
  const whatsapp = (inboxes.data ?? []).filter((i) => i.kind === 'whatsapp');
  const [scenario, setScenario] = useState('power_outage');
  const [kind, setKind] = useState<BroadcastKind>('notice');
  const [loc, setLoc] = useState<Loc>(i18n.language === 'en' ? 'en' : 'nl');
  const current = settings.data?.incidentWhatsAppTemplates?.[scenario]?.[loc]?.[kind];
  const [inboxId, setInboxId] = useState('');
  const [choice, setChoice] = useState('');
  const [params, setParams] = useState<string[]>([]);
  const currentKey = JSON.stringify(current ?? null);
  useEffect(() => {
    setInboxId(current?.inboxId ?? '');
    setChoice(current ? `${current.name}|${current.language}` : '');
    setParams(current?.parameters ?? []);
    // Reset the form only when the stored mapping (or the scenario, kind or language it belongs to) changes.
  }, [currentKey]);
  const inbox = inboxId || whatsapp[0]?.id || '';
  const templates = useQuery({
    queryKey: ['inbox-templates', inbox],
    queryFn: () => api.get<{ items: Template[] }>(`/api/v1/inboxes/${inbox}/templates`),
    enabled: !!inbox,
    staleTime: 5 * 60_000,
  });
  const picked = templates.data?.items.find((x) => `${x.name}|${x.language}` === choice);
  const allowed = useMemo(() => {
    const d = settings.data?.incidentTemplateDefaults[scenario];
    const own = settings.data?.incidentTemplates[scenario];
    if (!d) return [];
    return allowedTemplateVariables({ nl: { ...d.nl, ...(own?.nl ?? {}) } as TextSet, en: { ...d.en, ...(own?.en ?? {}) } as TextSet }, kind);
  }, [settings.data, scenario, kind]);
  const path = `/api/v1/certainty/incident-whatsapp-templates/${scenario}/${loc}/${kind}`;
  const save = useSave(() => api.put<TemplateMapping>(path, { inboxId: inbox, name: picked?.name ?? '', language: picked?.language ?? '', parameters: params }), {
    invalidate: [settingsKey],
    done: t('certainty.incidents.wa.saved'),
  });
  const remove = useSave(() => api.del(path), { invalidate: [settingsKey], done: t('certainty.incidents.wa.removed') });

  if (inboxes.isPending || settings.isPending) return <Spinner />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} compact />;
  const titleOf = (s: string) => (settings.data.incidentTemplateDefaults[s]?.[loc]?.title ?? s).replace(/\s*\{\w+\}/g, '');
  const varLabel = (v: string) => `{${v}} · ${t(`certainty.incidents.var_${v}`, { defaultValue: v })}`;
  const configured = Object.entries(settings.data.incidentWhatsAppTemplates ?? {}).flatMap(([s, perLoc]) =>
    (['nl', 'en'] as const).flatMap((l) => broadcastKinds.flatMap((k) => (perLoc[l]?.[k] ? [{ s, l, k, m: perLoc[l]![k]! }] : []))),
  );
  return (
    <section className="card stack" data-testid="wa-templates">
      <h2>{t('certainty.incidents.wa.title')}</h2>
      <p className="muted small">{t('certainty.incidents.wa.hint', { example: '{{1}}' })}</p>
      {!whatsapp.length ? (
        <p className="muted">{t('certainty.incidents.wa.noInbox')}</p>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(undefined);
          }}
        >
          <div className="row-fields">
            <SelectField label={t('certainty.incidents.scenario')} name="wa-scenario" value={scenario} onChange={(e) => setScenario(e.target.value)}>
              {Object.keys(settings.data.incidentTemplateDefaults).map((s) => (
                <option key={s} value={s}>
                  {titleOf(s)}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('certainty.incidents.wa.kind')} name="wa-kind" value={kind} onChange={(e) => setKind(e.target.value as BroadcastKind)}>
              {broadcastKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`certainty.incidents.kind_${k}`)}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('certainty.incidents.wa.language')} name="wa-locale" value={loc} onChange={(e) => setLoc(e.target.value as Loc)}>
              <option value="nl">Nederlands</option>
              <option value="en">English</option>
            </SelectField>
            {whatsapp.length > 1 ? (
              <SelectField label={t('certainty.incidents.wa.inbox')} name="wa-inbox" value={inbox} onChange={(e) => setInboxId(e.target.value)}>
                {whatsapp.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.name}
                  </option>
                ))}
              </SelectField>
            ) : null}
          </div>
          <SelectField
            label={t('certainty.incidents.wa.template')}
            name="wa-template"
            value={choice}
            error={save.errors.name}
            onChange={(e) => {
              setChoice(e.target.value);
              const tpl = templates.data?.items.find((x) => `${x.name}|${x.language}` === e.target.value);
              setParams(Array.from({ length: tpl?.variables ?? 0 }, (_, i) => params[i] ?? ''));
            }}
          >
            <option value="">{t('certainty.incidents.wa.none')}</option>
            {(templates.data?.items ?? []).map((x) => (
              <option key={`${x.name}|${x.language}`} value={`${x.name}|${x.language}`}>
                {x.name} ({x.language})
              </option>
            ))}
          </SelectField>
          {templates.isError ? <p className="error-text small">{t('certainty.incidents.wa.listFailed')}</p> : null}
          {picked ? (
            <>
              <p className="small" data-testid="wa-template-body">
                <span className="muted">{t('certainty.incidents.wa.body')}: </span>
                {picked.body}
              </p>
              <div className="row-fields">
                {Array.from({ length: picked.variables }, (_, i) => (
                  <SelectField
                    key={i}
                    label={t('certainty.incidents.wa.parameter', { placeholder: `{{${i + 1}}}` })}
                    name={`wa-param-${i + 1}`}
                    value={params[i] ?? ''}
                    error={save.errors[`parameters.${i}`] ?? save.errors.parameters}
                    onChange={(e) => setParams(Array.from({ length: picked.variables }, (_, j) => (j === i ? e.target.value : (params[j] ?? ''))))}
                    required
                  >
                    <option value="">{t('certainty.incidents.wa.pickVariable')}</option>
                    {allowed.map((v) => (
                      <option key={v} value={v}>
                        {varLabel(v)}
                      </option>
                    ))}
                  </SelectField>
                ))}
              </div>
              <p className="small" data-testid="wa-template-preview">
                <span className="muted">{t('certainty.incidents.previewText')}: </span>
                {fillTemplateBody(picked.body, params.map((p) => (p ? `{${p}}` : '…')))}
              </p>
            </>
          ) : (
            <p className="muted small">{t('certainty.incidents.wa.fallbackHint')}</p>
          )}
          <div>
            <button type="submit" className="btn primary" disabled={!picked || save.isPending}>
              {t('certainty.incidents.wa.save')}
            </button>
            {current ? (
              <button type="button" className="btn" onClick={() => remove.mutate(undefined)} disabled={remove.isPending}>
                {t('certainty.incidents.wa.remove')}
              </button>
            ) : null}
          </div>
        </form>
      )}
      {configured.length ? (
        <ul className="small" data-testid="wa-template-list">
          {configured.map(({ s, l, k, m }) => (
            <li key={`${s}.${l}.${k}`} data-testid="wa-template-mapping">
              {titleOf(s)} · {t(`certainty.incidents.kind_${k}`)} · {l.toUpperCase()}: <strong>{m.name}</strong> ({m.parameters.map((p) => `{${p}}`).join(', ')})
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
