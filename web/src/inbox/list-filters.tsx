import { useTranslation } from 'react-i18next';
import { useInboxes, useTeams, useUsers } from '../api/queries';
import { navigate } from '../router';
import { Popover } from '../ui/popover';
import { IconX } from '../ui/icons';
import { channelValues, effectiveFilters, filtersFor, priorityValues, viewPath, type ListFilter, type ListFilters } from './view';

type Key = keyof ListFilters;

/**
 * Priority, channel, agent and team filters of the list: a "Filter" button with the choices, and the active
 * filters as removable chips. Everything lives in the address, so a reload or a shared link shows the same list.
 */
export function ListFilterBar({ filter, openId }: { filter: ListFilter; openId: string | undefined }) {
  const { t } = useTranslation();
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];
  const inboxes = useInboxes().data ?? [];
  const offered = filtersFor(filter.view);
  const active = effectiveFilters(filter.view, filter.filters);
  const activeKeys = (Object.keys(active) as Key[]).filter((k) => active[k]);
  // Only the channels this workspace has an inbox for.
  const channels = channelValues.filter((c) => inboxes.some((i) => i.kind === c));

  const go = (next: ListFilters) => navigate(viewPath(filter.view, openId, { status: filter.status, sort: filter.sort, filters: next }));
  const set = (k: Key, v: string) => {
    const next: ListFilters = { ...active };
    if (v) (next as Record<string, string>)[k] = v;
    else delete next[k];
    go(next);
  };

  const valueText = (k: Key, v: string): string => {
    if (k === 'priority') return t(`priority.${v}`);
    if (k === 'channel') return t(`channels.${v}`);
    if (k === 'agent') return v === 'none' ? t('list.unassigned') : (users.find((u) => u.id === v)?.name ?? '…');
    return teams.find((tm) => tm.id === v)?.name ?? '…';
  };

  const options: Record<Key, { value: string; label: string }[]> = {
    priority: priorityValues.map((p) => ({ value: p, label: t(`priority.${p}`) })),
    channel: channels.map((c) => ({ value: c, label: t(`channels.${c}`) })),
    agent: [{ value: 'none', label: t('list.unassigned') }, ...users.map((u) => ({ value: u.id, label: u.name }))],
    team: teams.map((tm) => ({ value: tm.id, label: tm.name })),
  };

  return (
    <div className="list-filters">
      <Popover
        label={activeKeys.length ? t('filters.buttonActive', { count: activeKeys.length }) : t('filters.button')}
        buttonClassName={`btn btn-small${activeKeys.length ? ' active' : ''}`}
        button={
          <>
            {t('filters.button')}
            {activeKeys.length ? <span className="tab-count">{activeKeys.length}</span> : null}
          </>
        }
      >
        <div className="picker filter-picker">
          {offered.map((k) => (
            <label key={k} className="field">
              <span className="small">{t(`filters.${k}`)}</span>
              <select className="input" aria-label={t(`filters.${k}`)} value={active[k] ?? ''} onChange={(e) => set(k, e.target.value)} data-nav>
                <option value="">{t('filters.any')}</option>
                {options[k].map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
          ))}
          {activeKeys.length ? (
            <button type="button" className="btn btn-small" onClick={() => go({})} data-nav>
              {t('filters.clear')}
            </button>
          ) : null}
        </div>
      </Popover>
      {activeKeys.map((k) => (
        <span key={k} className="filter-chip">
          <span className="filter-chip-text">
            {t(`filters.${k}`)}: {valueText(k, active[k]!)}
          </span>
          <button type="button" className="icon-btn" onClick={() => set(k, '')} aria-label={t('filters.remove', { filter: `${t(`filters.${k}`)}: ${valueText(k, active[k]!)}` })} title={t('filters.remove', { filter: t(`filters.${k}`) })}>
            <IconX />
          </button>
        </span>
      ))}
    </div>
  );
}
