import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, useUsers } from '../api/queries';
import type { Invitation, Role, User } from '../api/types';
import { useMe } from '../auth/session';
import { dateTime } from '../i18n/format';
import { Avatar } from '../ui/avatar';
import { ErrorState, Spinner } from '../ui/feedback';
import { SelectField, TextField } from '../ui/field';
import { ConfirmButton, CopyButton, SectionHeader, useSave } from './common';

const invitationsKey = ['invitations'] as const;

export function AgentsSettings() {
  const { t } = useTranslation();
  const { user: me, workspace } = useMe();
  const users = useUsers();
  const invitations = useQuery({ queryKey: invitationsKey, queryFn: () => api.get<{ items: Invitation[] }>('/api/v1/invitations') });
  const update = useSave(({ id, body }: { id: string; body: Partial<{ role: Role; capacity: number | null }> }) => api.patch<User>(`/api/v1/users/${id}`, body), {
    invalidate: [keys.users],
    done: t('settings.saved'),
  });
  const remove = useSave((id: string) => api.del(`/api/v1/users/${id}`), { invalidate: [keys.users], done: t('settings.agents.removed') });
  const revoke = useSave((id: string) => api.del(`/api/v1/invitations/${id}`), { invalidate: [invitationsKey] });

  if (users.isPending) return <Spinner />;
  if (users.isError) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  const isOwner = workspace.role === 'owner';
  return (
    <section className="settings-section">
      <SectionHeader title={t('settings.sections.agents')} intro={t('settings.agents.intro')} />
      <InviteForm />
      <table className="card table">
        <caption className="sr-only">{t('settings.agents.members')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settings.agents.person')}</th>
            <th scope="col">{t('settings.agents.role')}</th>
            <th scope="col">{t('settings.agents.capacity')}</th>
            <th scope="col">{t('settings.agents.status')}</th>
            <th scope="col">
              <span className="sr-only">{t('settings.agents.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data.map((u) => (
            <tr key={u.id}>
              <td>
                <span className="person">
                  <Avatar name={u.name} id={u.id} size={28} />
                  <span>
                    <strong>{u.name}</strong>
                    <span className="muted small block">{u.email}</span>
                  </span>
                </span>
              </td>
              <td>
                <label className="sr-only" htmlFor={`role-${u.id}`}>
                  {t('settings.agents.roleOf', { name: u.name })}
                </label>
                <select
                  id={`role-${u.id}`}
                  className="input input-small"
                  value={u.role}
                  disabled={u.id === me.id || (!isOwner && u.role === 'owner')}
                  onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value as Role } })}
                >
                  {(isOwner || u.role === 'owner' ? (['owner', 'admin', 'agent'] as const) : (['admin', 'agent'] as const)).map((r) => (
                    <option key={r} value={r}>
                      {t(`roles.${r}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <label className="sr-only" htmlFor={`cap-${u.id}`}>
                  {t('settings.agents.capacityOf', { name: u.name })}
                </label>
                <input
                  id={`cap-${u.id}`}
                  className="input input-small"
                  type="number"
                  min={0}
                  max={1000}
                  placeholder="∞"
                  defaultValue={u.capacity ?? ''}
                  onBlur={(e) => {
                    const v = e.target.value === '' ? null : Number(e.target.value);
                    if (v !== u.capacity) update.mutate({ id: u.id, body: { capacity: v } });
                  }}
                />
              </td>
              <td>
                <span className={`presence-dot static ${u.online ? 'online' : 'offline'}`} aria-hidden="true" /> {u.online ? t('availability.online') : t('availability.offline')}
              </td>
              <td>{u.id !== me.id ? <ConfirmButton label={t('settings.agents.remove')} confirm={t('settings.agents.removeConfirm', { name: u.name })} onConfirm={() => remove.mutate(u.id)} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {invitations.data?.items.length ? (
        <div className="card">
          <h2>{t('settings.agents.invitations')}</h2>
          <ul className="list-card">
            {invitations.data.items.map((i) => (
              <li key={i.id} className="list-line">
                <span className="grow">
                  <strong>{i.email}</strong>
                  <span className="muted small block">
                    {t(`roles.${i.role}`)} · {t('settings.agents.expires', { time: dateTime(i.expiresAt) })}
                  </span>
                </span>
                <ConfirmButton label={t('settings.agents.revoke')} confirm={t('settings.agents.revokeConfirm')} onConfirm={() => revoke.mutate(i.id)} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function InviteForm() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<'agent' | 'admin'>('agent');
  const [sent, setSent] = useState<{ url: string; mailed: boolean; email: string } | null>(null);
  const invite = useSave(() => api.post<Invitation & { url: string; mailed: boolean }>('/api/v1/invitations', { email, name: name || undefined, role }), {
    invalidate: [invitationsKey],
    onSuccess: (r) => {
      setSent({ url: r.url, mailed: r.mailed, email: r.email });
      setEmail('');
      setName('');
    },
  });
  return (
    <form
      className="card stack"
      onSubmit={(e) => {
        e.preventDefault();
        invite.mutate(undefined);
      }}
    >
      <h2>{t('settings.agents.invite')}</h2>
      <div className="form-row">
        <TextField label={t('auth.email')} type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={invite.errors.email} required />
        <TextField label={t('settings.agents.nameOptional')} value={name} onChange={(e) => setName(e.target.value)} />
        <SelectField label={t('settings.agents.role')} value={role} onChange={(e) => setRole(e.target.value as 'agent' | 'admin')}>
          <option value="agent">{t('roles.agent')}</option>
          <option value="admin">{t('roles.admin')}</option>
        </SelectField>
      </div>
      <button type="submit" className="btn primary" disabled={invite.isPending || !email}>
        {t('settings.agents.sendInvite')}
      </button>
      {sent ? (
        <div className="notice" role="status">
          <p>{sent.mailed ? t('settings.agents.mailed', { email: sent.email }) : t('settings.agents.notMailed', { email: sent.email })}</p>
          <code className="copyable">{sent.url}</code> <CopyButton text={sent.url} />
        </div>
      ) : null}
    </form>
  );
}
