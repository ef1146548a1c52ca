import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useInboxes } from '../api/queries';
import { ErrorState, Spinner } from '../ui/feedback';
import { SelectField, TextArea, TextField } from '../ui/field';
import { SectionHeader, useSave } from '../settings/common';
import { phrasesToText, textToPhrases, type PhraseEntry } from './lines';
import { draftOf, parseGeneral, type FieldProblem, type GeneralDraft, type GeneralValues } from './general-settings';
import { GeneralFields } from './general-fields';

type Loc = 'nl' | 'en';
type TextSet = Record<string, string>;
interface Note {
  explanation: string;
  alternative?: string;
}
interface Target {
  inboxId: string | null;
  label: string | null;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}
interface Settings extends GeneralValues {
  coach: { stockPhrases: Record<Loc, PhraseEntry[]>; vaguePromises: Record<Loc, PhraseEntry[]> };
  promiseTargets: Target[];
  caseTypeNotes: Record<string, Partial<Record<Loc, Note>>>;
  incidentTemplates: Record<string, Partial<Record<Loc, TextSet>>>;
  incidentTemplateDefaults: Record<string, Record<Loc, TextSet>>;
  speedTargets: Record<string, number>;
  speedTargetDefaults: Record<string, number>;
  broadcastPerSecond: number;
}
interface NoteRow {
  label: string;
  nl: Note;
  en: Note;
}

export const certaintySettingsKey = ['certainty-settings'];
const GENERAL_PATHS = ['promiseDefaults.firstResponseMinutes', 'promiseDefaults.resolutionMinutes', 'statusLinkDays', 'pingPong.exchanges', 'pingPong.repeatSimilarity', 'pingPong.frustrationWords'];
const LISTS = [
  ['stockPhrases', 'nl'],
  ['stockPhrases', 'en'],
  ['vaguePromises', 'nl'],
  ['vaguePromises', 'en'],
] as const;

/**
 * What makes Balie's promises and texts the team's own: the promise acknowledgement, the default promise and
 * status-link lifetime, when to suggest a call, the reply coach's word lists, promise targets per inbox and case
 * type (used while history is too thin), explanations and alternatives per case type that the promise text
 * includes, and the incident scenario texts. One form, saved with one PATCH; a value the form or the server
 * refuses is shown at its field and nothing is saved.
 */
export function CertaintySettings() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: certaintySettingsKey, queryFn: () => api.get<Settings>('/api/v1/certainty/settings') });
  const inboxes = useInboxes();
  const [lists, setLists] = useState<Record<string, string>>({});
  const [targets, setTargets] = useState<Target[]>([]);
  /** Minutes per channel as typed; empty means "use the default". */
  const [speed, setSpeed] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<NoteRow[]>([]);
  const [templates, setTemplates] = useState<Settings['incidentTemplates']>({});
  const [pace, setPace] = useState('');
  const [scenario, setScenario] = useState('power_outage');
  const [tplLocale, setTplLocale] = useState<Loc>('nl');
  const [general, setGeneral] = useState<GeneralDraft | null>(null);
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  useEffect(() => {
    const s = q.data;
    if (!s) return;
    setGeneral(draftOf(s));
    setProblems({});
    setLists(Object.fromEntries(LISTS.map(([k, l]) => [`${k}.${l}`, phrasesToText(s.coach[k][l])])));
    setTargets(s.promiseTargets);
    setSpeed(Object.fromEntries(Object.entries(s.speedTargets).map(([k, v]) => [k, String(v)])));
    setNotes(
      Object.entries(s.caseTypeNotes).map(([label, n]) => ({ label, nl: n.nl ?? { explanation: '' }, en: n.en ?? { explanation: '' } })),
    );
    setTemplates(s.incidentTemplates);
    setPace(String(s.broadcastPerSecond));
  }, [q.data]);
  const save = useSave((body: Record<string, unknown>) => api.patch<Settings>('/api/v1/certainty/settings', body), { done: t('settings.saved'), invalidate: [certaintySettingsKey, ['conversations']] });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  // A field's message: the form's own check first, else the server's (a 422 on save, already in the user's language).
  const serverError = (path: string) => save.errors[path] ?? Object.entries(save.errors).find(([k]) => k.startsWith(`${path}.`))?.[1];
  const generalErrors = Object.fromEntries(GENERAL_PATHS.map((p) => [p, problems[p] ? t(problems[p].key, problems[p].params) : serverError(p)]));
  const defaults = q.data.incidentTemplateDefaults;
  const submit = () => {
    const checked = parseGeneral(general ?? draftOf(q.data));
    setProblems(checked.ok ? {} : checked.problems);
    if (!checked.ok) return;
    const coach = { stockPhrases: { nl: [] as PhraseEntry[], en: [] as PhraseEntry[] }, vaguePromises: { nl: [] as PhraseEntry[], en: [] as PhraseEntry[] } };
    for (const [k, l] of LISTS) coach[k][l] = textToPhrases(lists[`${k}.${l}`] ?? '');
    const note = (n: Note) => (n.explanation.trim() ? { explanation: n.explanation.trim(), ...(n.alternative?.trim() ? { alternative: n.alternative.trim() } : {}) } : undefined);
    const caseTypeNotes = Object.fromEntries(
      notes.filter((n) => n.label.trim() && (note(n.nl) || note(n.en))).map((n) => [n.label.trim(), { ...(note(n.nl) ? { nl: note(n.nl) } : {}), ...(note(n.en) ? { en: note(n.en) } : {}) }]),
    );
    // A value equal to the default is not stored, so a later change of the default still reaches this workspace.
    const speedTargets = Object.fromEntries(
      Object.entries(speed)
        .filter(([k, v]) => v.trim() !== '' && Number(v) !== q.data.speedTargetDefaults[k])
        .map(([k, v]) => [k, Number(v)]),
    );
    save.mutate({ ...checked.values, coach, promiseTargets: targets.map((x) => ({ ...x, label: x.label?.trim() || null })), caseTypeNotes, incidentTemplates: templates, speedTargets, ...(pace.trim() ? { broadcastPerSecond: Number(pace) } : {}) });
  };
  const setTemplateText = (key: string, value: string) => {
    const own = { ...(templates[scenario]?.[tplLocale] ?? {}) };
    // Only what differs from the shipped text is stored, so later improvements of the defaults still arrive.
    if (!value.trim() || value === defaults[scenario]?.[tplLocale]?.[key]) delete own[key];
    else own[key] = value;
    setTemplates({ ...templates, [scenario]: { ...templates[scenario], [tplLocale]: own } });
  };
  return (
    <section className="settings-section certainty-settings">
      <SectionHeader title={t('settings.sections.certainty')} intro={t('certainty.settings.intro')} />
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {general ? <GeneralFields draft={general} onChange={setGeneral} errors={generalErrors} /> : null}

        <fieldset className="card stack">
          <legend>{t('certainty.settings.coachTitle')}</legend>
          <p className="muted small">{t('certainty.settings.coachHint')}</p>
          <div className="grid-2">
            {LISTS.map(([k, l]) => (
              <TextArea
                key={`${k}.${l}`}
                label={t(`certainty.settings.${k}_${l}`)}
                rows={6}
                value={lists[`${k}.${l}`] ?? ''}
                onChange={(e) => setLists({ ...lists, [`${k}.${l}`]: e.target.value })}
                error={save.errors[`coach.${k}.${l}`]}
              />
            ))}
          </div>
        </fieldset>

        <fieldset className="card stack">
          <legend>{t('certainty.settings.targetsTitle')}</legend>
          <p className="muted small">{t('certainty.settings.targetsHint')}</p>
          {targets.map((x, i) => (
            <div key={i} className="row-fields" data-testid="promise-target">
              <SelectField label={t('certainty.settings.inbox')} value={x.inboxId ?? ''} onChange={(e) => setTargets(targets.map((y, j) => (j === i ? { ...y, inboxId: e.target.value || null } : y)))}>
                <option value="">{t('certainty.settings.anyInbox')}</option>
                {(inboxes.data ?? []).map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </SelectField>
              <TextField label={t('certainty.settings.caseType')} value={x.label ?? ''} placeholder={t('certainty.settings.anyCaseType')} onChange={(e) => setTargets(targets.map((y, j) => (j === i ? { ...y, label: e.target.value } : y)))} />
              <TextField label={t('certainty.settings.firstResponseMinutes')} type="number" min={1} value={x.firstResponseMinutes} error={save.errors[`promiseTargets.${i}.firstResponseMinutes`]} onChange={(e) => setTargets(targets.map((y, j) => (j === i ? { ...y, firstResponseMinutes: Number(e.target.value) } : y)))} />
              <TextField label={t('certainty.settings.resolutionMinutes')} type="number" min={1} value={x.resolutionMinutes} error={save.errors[`promiseTargets.${i}.resolutionMinutes`]} onChange={(e) => setTargets(targets.map((y, j) => (j === i ? { ...y, resolutionMinutes: Number(e.target.value) } : y)))} />
              <button type="button" className="btn btn-small" onClick={() => setTargets(targets.filter((_, j) => j !== i))}>
                {t('certainty.settings.remove')}
              </button>
            </div>
          ))}
          <button type="button" className="btn btn-small" onClick={() => setTargets([...targets, { inboxId: null, label: null, firstResponseMinutes: 240, resolutionMinutes: 960 }])}>
            {t('certainty.settings.addTarget')}
          </button>
        </fieldset>

        <fieldset className="card stack" data-testid="speed-targets">
          <legend>{t('certainty.settings.speedTitle')}</legend>
          <p className="muted small">{t('certainty.settings.speedHint')}</p>
          <div className="speed-targets">
            {Object.keys(q.data.speedTargetDefaults).map((kind) => (
              <TextField
                key={kind}
                name={`speed-${kind}`}
                label={t(`channels.${kind}`)}
                type="number"
                min={1}
                max={10080}
                step={1}
                placeholder={String(q.data.speedTargetDefaults[kind])}
                hint={t('certainty.settings.speedDefault', { minutes: q.data.speedTargetDefaults[kind] })}
                value={speed[kind] ?? ''}
                error={save.errors[`speedTargets.${kind}`]}
                onChange={(e) => setSpeed({ ...speed, [kind]: e.target.value })}
              />
            ))}
          </div>
        </fieldset>

        <fieldset className="card stack">
          <legend>{t('certainty.settings.notesTitle')}</legend>
          <p className="muted small">{t('certainty.settings.notesHint')}</p>
          {notes.map((n, i) => {
            const set = (patch: Partial<NoteRow>) => setNotes(notes.map((y, j) => (j === i ? { ...y, ...patch } : y)));
            return (
              <div key={i} className="stack case-note" data-testid="case-note">
                <TextField label={t('certainty.settings.caseType')} value={n.label} onChange={(e) => set({ label: e.target.value })} />
                <div className="grid-2">
                  <TextArea label={t('certainty.settings.explanation_nl')} rows={2} value={n.nl.explanation} onChange={(e) => set({ nl: { ...n.nl, explanation: e.target.value } })} />
                  <TextArea label={t('certainty.settings.alternative_nl')} rows={2} value={n.nl.alternative ?? ''} onChange={(e) => set({ nl: { ...n.nl, alternative: e.target.value } })} />
                  <TextArea label={t('certainty.settings.explanation_en')} rows={2} value={n.en.explanation} onChange={(e) => set({ en: { ...n.en, explanation: e.target.value } })} />
                  <TextArea label={t('certainty.settings.alternative_en')} rows={2} value={n.en.alternative ?? ''} onChange={(e) => set({ en: { ...n.en, alternative: e.target.value } })} />
                </div>
                <button type="button" className="btn btn-small" onClick={() => setNotes(notes.filter((_, j) => j !== i))}>
                  {t('certainty.settings.remove')}
                </button>
              </div>
            );
          })}
          <button type="button" className="btn btn-small" onClick={() => setNotes([...notes, { label: '', nl: { explanation: '' }, en: { explanation: '' } }])}>
            {t('certainty.settings.addNote')}
          </button>
        </fieldset>

        <fieldset className="card stack">
          <legend>{t('certainty.settings.templatesTitle')}</legend>
          <p className="muted small">{t('certainty.settings.templatesHint')}</p>
          <TextField
            type="number"
            min={1}
            max={1000}
            step={1}
            name="broadcastPerSecond"
            label={t('certainty.settings.broadcastPace')}
            hint={t('certainty.settings.broadcastPaceHint')}
            value={pace}
            onChange={(e) => setPace(e.target.value)}
            error={save.errors.broadcastPerSecond}
          />
          <div className="row-fields">
            <SelectField label={t('certainty.settings.scenario')} value={scenario} onChange={(e) => setScenario(e.target.value)}>
              {Object.keys(defaults).map((s) => (
                <option key={s} value={s}>
                  {defaults[s]?.[tplLocale]?.title?.replace(/\s*\{area\}/, '') ?? s}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('certainty.settings.language')} value={tplLocale} onChange={(e) => setTplLocale(e.target.value as Loc)}>
              <option value="nl">Nederlands</option>
              <option value="en">English</option>
            </SelectField>
          </div>
          {Object.keys(defaults[scenario]?.[tplLocale] ?? {}).map((key) => (
            <TextArea
              key={`${scenario}.${tplLocale}.${key}`}
              label={t(`certainty.settings.text_${key}`)}
              rows={key === 'email' ? 6 : 2}
              value={templates[scenario]?.[tplLocale]?.[key] ?? defaults[scenario]?.[tplLocale]?.[key] ?? ''}
              onChange={(e) => setTemplateText(key, e.target.value)}
            />
          ))}
        </fieldset>
        {Object.keys(problems).length ? (
          <p className="form-error" role="alert">
            {t('certainty.settings.invalidForm')}
          </p>
        ) : null}
        <div>
          <button type="submit" className="btn primary" disabled={save.isPending}>
            {t('certainty.settings.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
