import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, useChannelKinds, useInboxes, useTeams, useUsers } from '../api/queries';
import type { ChannelKindInfo, Inbox } from '../api/types';
import { useLocation } from '../router';
import { ChannelIcon, IconPlus } from '../ui/icons';
import { ErrorState, Spinner } from '../ui/feedback';
import { TextField } from '../ui/field';
import { ConfirmButton, SectionHeader, useSave } from './common';
import { inboxFormFor } from './inbox-forms/registry';
import { settingsForSave } from './inbox-forms/settings-patch';
import { BusinessHoursEditor } from './business-hours-editor';

type Created = Inbox & { generatedSecrets?: Record<string, string> };

export function InboxesSettings() {
  const { t } = useTranslation();
  const inboxes = useInboxes();
  const kinds = useChannelKinds();
  const welcome = useLocation().search.get('welcome') === '1';
  const [editing, setEditing] = useState<{ inbox?: Inbox; kind?: string } | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const remove = useSave((id: string) => api.del(`/api/v1/inboxes/${id}`), { invalidate: [keys.inboxes, keys.counts], done: t('settings.inboxes.archived') });

  if (inboxes.isPending || kinds.isPending) return <Spinner />;
  if (inboxes.isError) return <ErrorState error={inboxes.error} onRetry={() => void inboxes.refetch()} />;
  if (kinds.isError) return <ErrorState error={kinds.error} onRetry={() => void kinds.refetch()} />;

  if (created) {
    const AfterCreate = inboxFormFor(created.kind).AfterCreate;
    return (
      <section className="settings-section">
        <SectionHeader title={t('settings.inboxes.createdTitle', { name: created.name })} />
        <div className="card stack">
          {AfterCreate ? <AfterCreate inbox={created} /> : null}
          <button type="button" className="btn primary" onClick={() => setCreated(null)}>
            {t('common.done')}
          </button>
        </div>
      </section>
    );
  }
  if (editing) {
    const kind = kinds.data.find((k) => k.kind === (editing.inbox?.kind ?? editing.kind));
    return (
      <InboxEditor
        inbox={editing.inbox}
        kinds={kinds.data}
        initialKind={kind?.kind ?? kinds.data[0]?.kind}
        onDone={(c) => {
          setEditing(null);
          if (c) setCreated(c);
        }}
      />
    );
  }
  return (
    <section className="settings-section">
      <SectionHeader
        title={t('settings.sections.inboxes')}
        intro={welcome ? t('settings.inboxes.welcome') : t('settings.inboxes.intro')}
        action={
          <button type="button" className="btn primary" onClick={() => setEditing({})}>
            <IconPlus /> {t('settings.inboxes.new')}
          </button>
        }
      />
      {inboxes.data.length === 0 ? <p className="card muted">{t('settings.inboxes.none')}</p> : null}
      <ul className="card list-card">
        {inboxes.data.map((i) => (
          <li key={i.id} className="list-line">
            <ChannelIcon kind={i.kind} />
            <span className="grow">
              <strong>{i.name}</strong>
              <span className="muted small block">
                {t(`channels.${i.kind}`)} · {t('settings.inboxes.members', { count: i.memberIds.length })}
              </span>
            </span>
            <button type="button" className="btn btn-small" onClick={() => setEditing({ inbox: i })}>
              {t('common.edit')}
            </button>
            <ConfirmButton label={t('settings.inboxes.archive')} confirm={t('settings.inboxes.archiveConfirm')} onConfirm={() => remove.mutate(i.id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function InboxEditor({ inbox, kinds, initialKind, onDone }: { inbox?: Inbox; kinds: ChannelKindInfo[]; initialKind?: string; onDone(created?: Created): void }) {
  const { t } = useTranslation();
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];
  const [kind, setKind] = useState(inbox?.kind ?? initialKind ?? 'api');
  const [name, setName] = useState(inbox?.name ?? '');
  const [settings, setSettings] = useState<Record<string, unknown>>(inbox ? { ...inbox.settings } : {});
  const [memberIds, setMemberIds] = useState<string[]>(inbox?.memberIds ?? []);
  const [teamId, setTeamId] = useState<string | null>(inbox?.teamId ?? null);
  const [autoAssign, setAutoAssign] = useState(inbox?.autoAssign ?? false);
  const info = kinds.find((k) => k.kind === kind);
  const { Form, hoursHintKey } = inboxFormFor(kind);

  const save = useSave(
    () => {
      const secretKeys = Object.keys((info?.secretsSchema.properties ?? {}) as Record<string, unknown>);
      const body = { name, settings: settingsForSave(settings, { original: inbox?.settings, secretKeys }), memberIds, teamId, autoAssign };
      return inbox ? api.patch<Created>(`/api/v1/inboxes/${inbox.id}`, body) : api.post<Created>('/api/v1/inboxes', { ...body, kind });
    },
    { invalidate: [keys.inboxes, keys.counts], onSuccess: (r) => onDone(inbox ? undefined : r) },
  );
  const settingErrors = Object.fromEntries(Object.entries(save.errors).filter(([k]) => k.startsWith('settings.')).map(([k, v]) => [k.slice(9), v]));
  const agents = users.filter((u) => u.role === 'agent');

  return (
    <section className="settings-section">
      <SectionHeader title={inbox ? t('settings.inboxes.editTitle', { name: inbox.name }) : t('settings.inboxes.new')} />
      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(undefined);
        }}
        noValidate
      >
        {!inbox ? (
          <fieldset className="kind-picker">
            <legend>{t('settings.inboxes.kind')}</legend>
            {kinds.map((k) => (
              <label key={k.kind} className={`kind-option${k.kind === kind ? ' active' : ''}`}>
                <input type="radio" name="kind" value={k.kind} checked={k.kind === kind} onChange={() => setKind(k.kind)} />
                <ChannelIcon kind={k.kind} /> {t(`channels.${k.kind}`)}
              </label>
            ))}
          </fieldset>
        ) : null}
        <TextField label={t('settings.inboxes.name')} value={name} onChange={(e) => setName(e.target.value)} error={save.errors.name} required />
        {info ? <Form kind={info} inbox={inbox} settings={settings} onChange={setSettings} errors={settingErrors} /> : null}
        {/* Every kind has business hours (promises count in them); saved on their own, not with the form. */}
        {inbox ? <BusinessHoursEditor inboxId={inbox.id} {...(hoursHintKey ? { hint: t(hoursHintKey) } : {})} /> : <p className="hint">{t('businessHours.afterCreate')}</p>}
        <fieldset className="members-picker">
          <legend>{t('settings.inboxes.access')}</legend>
          <p className="hint">{t('settings.inboxes.accessHint')}</p>
          {agents.length === 0 ? <p className="muted small">{t('settings.inboxes.noAgents')}</p> : null}
          {agents.map((u) => (
            <label key={u.id} className="check-line">
              <input type="checkbox" checked={memberIds.includes(u.id)} onChange={(e) => setMemberIds(e.target.checked ? [...memberIds, u.id] : memberIds.filter((x) => x !== u.id))} />
              {u.name} <span className="muted small">{u.email}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="inbox-team">{t('settings.inboxes.team')}</label>
          <select id="inbox-team" className="input" value={teamId ?? ''} onChange={(e) => setTeamId(e.target.value || null)}>
            <option value="">{t('settings.inboxes.noTeam')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </div>
        <label className="check-line">
          <input type="checkbox" checked={autoAssign} onChange={(e) => setAutoAssign(e.target.checked)} />
          {t('settings.inboxes.autoAssign')}
        </label>
        {save.errors['(root)'] ? <p className="form-error">{save.errors['(root)']}</p> : null}
        <div className="row-buttons">
          <button type="submit" className="btn primary" disabled={save.isPending || !name.trim()}>
            {inbox ? t('common.save') : t('settings.inboxes.create')}
          </button>
          <button type="button" className="btn" onClick={() => onDone()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
