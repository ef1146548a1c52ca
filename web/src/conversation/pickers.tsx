import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInboxes, useLabels, useTeams, useUsers } from '../api/queries';
import type { Priority } from '../api/types';
import { useMe } from '../auth/session';
import { dateTime, toLocalInput } from '../i18n/format';
import { Avatar } from '../ui/avatar';
import { IconCheck, IconFlag } from '../ui/icons';

/** The pickers behind assign / labels / snooze / priority, shared by the conversation header and bulk bar. */

/** Type a few letters, press Enter: the first match is picked (no mouse needed). */
function pickFirstOnEnter(e: React.KeyboardEvent<HTMLInputElement>) {
  if (e.key !== 'Enter') return;
  e.preventDefault();
  const first = e.currentTarget.closest('.picker')?.querySelector<HTMLButtonElement>('[role=menuitem], [role=menuitemcheckbox]');
  first?.click();
}

export function AssignPicker({
  assigneeId,
  teamId,
  onPick,
  inboxId,
}: {
  assigneeId?: string | null;
  teamId?: string | null;
  onPick(target: { assigneeId?: string | null; teamId?: string | null }): void;
  inboxId?: string;
}) {
  const { t } = useTranslation();
  const { user } = useMe();
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];
  const inbox = useInboxes().data?.find((i) => i.id === inboxId);
  const [q, setQ] = useState('');
  const ql = q.trim().toLowerCase();
  // Only people who can work in the conversation's inbox can take it (the server refuses the others).
  const canWork = (u: (typeof users)[number]) => !inbox || u.role !== 'agent' || inbox.memberIds.includes(u.id);
  const people = users.filter((u) => canWork(u) && (!ql || u.name.toLowerCase().includes(ql) || u.email.toLowerCase().includes(ql)));
  const groups = teams.filter((tm) => !ql || tm.name.toLowerCase().includes(ql));
  return (
    <div className="picker">
      <label className="picker-search">
        <span className="sr-only">{t('assign.filter')}</span>
        <input className="input" placeholder={t('assign.filter')} value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={pickFirstOnEnter} />
      </label>
      <div role="menu" aria-label={t('assign.title')}>
        {!ql ? (
          <>
            <button type="button" role="menuitem" className="menu-item" onClick={() => onPick({ assigneeId: user.id })}>
              <Avatar name={user.name} id={user.id} size={20} /> {t('assign.me')}
            </button>
            {assigneeId ? (
              <button type="button" role="menuitem" className="menu-item" onClick={() => onPick({ assigneeId: null })}>
                {t('assign.nobody')}
              </button>
            ) : null}
          </>
        ) : null}
        <p className="menu-heading">{t('assign.agents')}</p>
        {people.map((u) => (
          <button key={u.id} type="button" role="menuitem" className="menu-item" aria-current={u.id === assigneeId ? 'true' : undefined} onClick={() => onPick({ assigneeId: u.id })}>
            <Avatar name={u.name} id={u.id} size={20} />
            <span className="grow">{u.name}</span>
            <span className={`presence-dot static ${u.online ? 'online' : 'offline'}`} title={u.online ? t('availability.online') : t('availability.offline')} />
            {u.id === assigneeId ? <IconCheck /> : null}
          </button>
        ))}
        {groups.length ? <p className="menu-heading">{t('assign.teams')}</p> : null}
        {groups.map((tm) => (
          <button key={tm.id} type="button" role="menuitem" className="menu-item" onClick={() => onPick({ teamId: tm.id === teamId ? null : tm.id })}>
            <span className="grow">{tm.name}</span>
            {tm.id === teamId ? <IconCheck /> : null}
          </button>
        ))}
        {people.length === 0 && groups.length === 0 ? <p className="muted pad">{t('common.noMatches')}</p> : null}
      </div>
    </div>
  );
}

export function LabelPicker({ selected, onToggle }: { selected: string[]; onToggle(name: string, on: boolean): void }) {
  const { t } = useTranslation();
  const labels = useLabels().data ?? [];
  const [q, setQ] = useState('');
  const shown = labels.filter((l) => l.name.toLowerCase().includes(q.trim().toLowerCase()));
  const has = useMemo(() => new Set(selected.map((s) => s.toLowerCase())), [selected]);
  return (
    <div className="picker">
      <label className="picker-search">
        <span className="sr-only">{t('labels.filter')}</span>
        <input className="input" placeholder={t('labels.filter')} value={q} onChange={(e) => setQ(e.target.value)} onKeyDown={pickFirstOnEnter} />
      </label>
      <div role="menu" aria-label={t('labels.title')}>
        {shown.map((l) => {
          const on = has.has(l.name.toLowerCase());
          return (
            <button key={l.id} type="button" role="menuitemcheckbox" aria-checked={on} className="menu-item" onClick={() => onToggle(l.name, !on)}>
              <span className="label-dot" style={{ background: l.color }} aria-hidden="true" />
              <span className="grow">{l.name}</span>
              {on ? <IconCheck /> : null}
            </button>
          );
        })}
        {labels.length === 0 ? <p className="muted pad">{t('labels.none')}</p> : shown.length === 0 ? <p className="muted pad">{t('common.noMatches')}</p> : null}
      </div>
    </div>
  );
}

/** Snooze presets in the agent's working rhythm: later today, tomorrow morning, next Monday, or a chosen time. */
export function snoozePresets(now = new Date()): { key: string; at: Date }[] {
  const at = (d: Date, h: number) => {
    const x = new Date(d);
    x.setHours(h, 0, 0, 0);
    return x;
  };
  const inHours = new Date(now.getTime() + 3 * 3600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  const monday = new Date(now);
  monday.setDate(now.getDate() + (((8 - now.getDay()) % 7) || 7));
  const week = new Date(now);
  week.setDate(now.getDate() + 7);
  return [
    { key: 'threeHours', at: inHours },
    { key: 'tomorrow', at: at(tomorrow, 9) },
    { key: 'monday', at: at(monday, 9) },
    { key: 'week', at: at(week, 9) },
  ];
}

export function SnoozePicker({ onPick }: { onPick(until: Date): void }) {
  const { t } = useTranslation();
  const [custom, setCustom] = useState(() => toLocalInput(new Date(Date.now() + 24 * 3600_000)));
  const customDate = new Date(custom);
  const valid = !Number.isNaN(customDate.getTime()) && customDate.getTime() > Date.now();
  return (
    <div className="picker">
      <div role="menu" aria-label={t('snooze.title')}>
        {snoozePresets().map((p) => (
          <button key={p.key} type="button" role="menuitem" className="menu-item" onClick={() => onPick(p.at)}>
            <span className="grow">{t(`snooze.${p.key}`)}</span>
            <span className="muted small">{dateTime(p.at.toISOString())}</span>
          </button>
        ))}
      </div>
      <form
        className="snooze-custom"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onPick(customDate);
        }}
      >
        <label>
          <span className="small">{t('snooze.custom')}</span>
          <input className="input" type="datetime-local" value={custom} min={toLocalInput(new Date())} onChange={(e) => setCustom(e.target.value)} data-nav />
        </label>
        <button type="submit" className="btn primary" disabled={!valid}>
          {t('snooze.action')}
        </button>
      </form>
    </div>
  );
}

export const priorityOrder: Priority[] = ['urgent', 'high', 'medium', 'low', 'none'];

export function PriorityPicker({ value, onPick }: { value?: Priority; onPick(p: Priority): void }) {
  const { t } = useTranslation();
  return (
    <div role="menu" aria-label={t('priority.title')} className="picker">
      {priorityOrder.map((p) => (
        <button key={p} type="button" role="menuitemradio" aria-checked={p === value} className="menu-item" onClick={() => onPick(p)}>
          <span className={`prio prio-${p}`}>
            <IconFlag />
          </span>
          <span className="grow">{t(`priority.${p}`)}</span>
          {p === value ? <IconCheck /> : null}
        </button>
      ))}
    </div>
  );
}
