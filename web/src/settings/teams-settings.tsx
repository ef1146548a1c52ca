import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, useTeams, useUsers } from '../api/queries';
import type { Team } from '../api/types';
import { ErrorState, Spinner } from '../ui/feedback';
import { TextField } from '../ui/field';
import { IconPlus } from '../ui/icons';
import { ConfirmButton, SectionHeader, useSave } from './common';

export function TeamsSettings() {
  const { t } = useTranslation();
  const teams = useTeams();
  const users = useUsers().data ?? [];
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const remove = useSave((id: string) => api.del(`/api/v1/teams/${id}`), { invalidate: [keys.teams], done: t('settings.deleted') });
  if (teams.isPending) return <Spinner />;
  if (teams.isError) return <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />;
  const names = (ids: string[]) => users.filter((u) => ids.includes(u.id)).map((u) => u.name).join(', ');
  return (
    <section className="settings-section">
      <SectionHeader
        title={t('settings.sections.teams')}
        intro={t('settings.teams.intro')}
        action={
          <button type="button" className="btn primary" onClick={() => setEditing('new')}>
            <IconPlus /> {t('settings.teams.new')}
          </button>
        }
      />
      {editing ? <TeamForm team={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} /> : null}
      <ul className="card list-card">
        {teams.data.length === 0 ? <li className="muted">{t('settings.teams.none')}</li> : null}
        {teams.data.map((tm) => (
          <li key={tm.id} className="list-line">
            <span className="grow">
              <strong>{tm.name}</strong>
              <span className="muted small block">{names(tm.memberIds) || t('settings.teams.noMembers')}</span>
            </span>
            {tm.autoAssign ? <span className="chip">{t('settings.teams.autoAssign')}</span> : null}
            <button type="button" className="btn btn-small" onClick={() => setEditing(tm)}>
              {t('common.edit')}
            </button>
            <ConfirmButton label={t('common.delete')} confirm={t('settings.teams.deleteConfirm')} onConfirm={() => remove.mutate(tm.id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function TeamForm({ team, onDone }: { team?: Team; onDone(): void }) {
  const { t } = useTranslation();
  const users = useUsers().data ?? [];
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [memberIds, setMemberIds] = useState<string[]>(team?.memberIds ?? []);
  const [autoAssign, setAutoAssign] = useState(team?.autoAssign ?? false);
  const save = useSave(
    () => {
      const body = { name, description, memberIds, autoAssign };
      return team ? api.patch(`/api/v1/teams/${team.id}`, body) : api.post('/api/v1/teams', body);
    },
    { invalidate: [keys.teams], onSuccess: onDone, done: t('settings.saved') },
  );
  return (
    <form
      className="card stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <h2>{team ? t('settings.teams.edit', { name: team.name }) : t('settings.teams.new')}</h2>
      <TextField label={t('settings.teams.name')} value={name} onChange={(e) => setName(e.target.value)} error={save.errors.name} required />
      <TextField label={t('settings.teams.description')} value={description} onChange={(e) => setDescription(e.target.value)} error={save.errors.description} />
      <fieldset className="members-picker">
        <legend>{t('settings.teams.members')}</legend>
        {users.map((u) => (
          <label key={u.id} className="check-line">
            <input type="checkbox" checked={memberIds.includes(u.id)} onChange={(e) => setMemberIds(e.target.checked ? [...memberIds, u.id] : memberIds.filter((x) => x !== u.id))} />
            {u.name}
          </label>
        ))}
      </fieldset>
      <label className="check-line">
        <input type="checkbox" checked={autoAssign} onChange={(e) => setAutoAssign(e.target.checked)} /> {t('settings.teams.autoAssignHint')}
      </label>
      <div className="row-buttons">
        <button type="submit" className="btn primary" disabled={save.isPending || !name.trim()}>
          {t('common.save')}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
