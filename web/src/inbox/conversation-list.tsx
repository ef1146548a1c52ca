import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useConversationList, useCounts, useInboxes, useLabels, useUsers } from '../api/queries';
import type { ConversationListItem, PerStatus } from '../api/types';
import { navigate } from '../router';
import { number } from '../i18n/format';
import { Empty, ErrorState, Spinner } from '../ui/feedback';
import { ConversationRow, ROW_HEIGHT } from './conversation-row';
import { effectiveFilters, sorts, statusTabs, viewPath, type ListFilter } from './view';
import { BulkBar } from './bulk-bar';
import { useSpeedTargets } from './speed';
import { ListFilterBar } from './list-filters';

/**
 * The inbox list: status tabs with counts, sort, and a virtualized list (only the rows on screen exist in the
 * DOM, so 10,000 conversations scroll like 10). Pages load as the agent scrolls; realtime events patch the
 * loaded pages in place.
 */
export function ConversationList({
  filter,
  openId,
  selection,
  setSelection,
  onItems,
}: {
  filter: ListFilter;
  openId: string | undefined;
  selection: Set<string>;
  setSelection(s: Set<string>): void;
  onItems(items: ConversationListItem[]): void;
}) {
  const { t } = useTranslation();
  const q = useConversationList(filter);
  const counts = useCounts().data;
  const users = useUsers().data;
  const labels = useLabels().data;
  const inboxes = useInboxes().data;
  useSpeedTargets();
  const items = useMemo(() => {
    const seen = new Set<string>();
    return (q.data?.pages ?? []).flatMap((p) => p.items).filter((c) => !seen.has(c.id) && seen.add(c.id));
  }, [q.data]);
  useEffect(() => onItems(items), [items, onItems]);

  const usersById = useMemo(() => new Map((users ?? []).map((u) => [u.id, u])), [users]);
  const labelColors = useMemo(() => new Map((labels ?? []).map((l) => [l.name, l])), [labels]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const virtualItems = virtual.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? 0;

  useEffect(() => {
    if (q.hasNextPage && !q.isFetchingNextPage && lastIndex >= items.length - 15) void q.fetchNextPage();
  }, [lastIndex, items.length, q]);

  // Keep the open conversation in view when moving with j/k.
  useEffect(() => {
    if (!openId) return;
    const i = items.findIndex((c) => c.id === openId);
    if (i >= 0) virtual.scrollToIndex(i, { align: 'auto' });
  }, [openId, items, virtual]);

  // The counts are per view; with a filter on they would count other conversations than the list shows.
  const filtered = Object.keys(effectiveFilters(filter.view, filter.filters)).length > 0;
  const viewCounts: PerStatus | undefined = (() => {
    if (!counts || filtered) return undefined;
    const v = filter.view;
    if (v.kind === 'inbox') return counts.inboxes[v.inboxId ?? ''] ?? { open: 0, pending: 0, snoozed: 0, resolved: 0 };
    if (v.kind === 'label') return counts.labels[v.label ?? ''] ?? { open: 0, pending: 0, snoozed: 0, resolved: 0 };
    return counts.views[v.kind];
  })();

  const title =
    filter.view.kind === 'inbox'
      ? (inboxes?.find((i) => i.id === filter.view.inboxId)?.name ?? t('views.inbox'))
      : filter.view.kind === 'label'
        ? filter.view.label!
        : t(`views.${filter.view.kind}`);

  // Stable across renders (it reads the latest items and selection through refs), so the memoized rows do not
  // all re-render on every scroll frame.
  const anchor = useRef<string | null>(null);
  const latest = useRef({ items, selection, setSelection });
  latest.current = { items, selection, setSelection };
  const toggle = useCallback((id: string, range: boolean) => {
    const { items, selection, setSelection } = latest.current;
    const next = new Set(selection);
    if (range && anchor.current) {
      const a = items.findIndex((c) => c.id === anchor.current);
      const b = items.findIndex((c) => c.id === id);
      if (a >= 0 && b >= 0) for (let i = Math.min(a, b); i <= Math.max(a, b); i++) next.add(items[i]!.id);
    } else if (next.has(id)) next.delete(id);
    else next.add(id);
    anchor.current = id;
    setSelection(next);
  }, []);
  const allSelected = items.length > 0 && items.every((c) => selection.has(c.id));

  return (
    <section className="list-pane" aria-label={t('list.label', { view: title })}>
      <header className="list-header">
        <div className="list-title-row">
          <label className="select-all" title={allSelected ? t('list.selectNone') : t('list.selectAll')}>
            <input
              type="checkbox"
              checked={allSelected}
              ref={(el) => {
                if (el) el.indeterminate = selection.size > 0 && !allSelected;
              }}
              onChange={() => setSelection(allSelected ? new Set() : new Set(items.map((c) => c.id)))}
              aria-label={allSelected ? t('list.selectNone') : t('list.selectAll')}
            />
          </label>
          <h1 className="list-title" dir="auto">
            {title}
          </h1>
          <label className="sort">
            <span className="sr-only">{t('list.sort')}</span>
            <select value={filter.sort} onChange={(e) => navigate(viewPath(filter.view, openId, { status: filter.status, sort: e.target.value, filters: filter.filters }))}>
              {sorts.map((s) => (
                <option key={s} value={s}>
                  {t(`sort.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ListFilterBar filter={filter} openId={openId} />
        <div className="tabs" role="tablist" aria-label={t('list.statusTabs')}>
          {statusTabs.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={filter.status === s}
              className="tab"
              onClick={() => navigate(viewPath(filter.view, openId, { status: s, sort: filter.sort, filters: filter.filters }))}
            >
              {t(`status.${s}`)}
              {viewCounts ? <span className="tab-count">{number(viewCounts[s as keyof PerStatus])}</span> : null}
            </button>
          ))}
        </div>
      </header>
      {selection.size > 0 ? <BulkBar ids={[...selection]} onDone={() => setSelection(new Set())} /> : null}
      <div className="list-scroll" ref={scroller} role="region" aria-label={t('list.conversations')} tabIndex={-1}>
        {q.isPending ? <Spinner /> : null}
        {q.isError && !q.data ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : null}
        {q.data && items.length === 0 ? <Empty title={t(`list.empty.${filter.status === 'open' ? 'open' : 'other'}`)} /> : null}
        {items.length > 0 ? (
          <ul className="rows" style={{ height: virtual.getTotalSize() }} aria-label={t('list.conversations')}>
            {virtualItems.map((v) => {
              const c = items[v.index]!;
              return (
                <li key={c.id} className="row-slot" style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }} aria-setsize={items.length} aria-posinset={v.index + 1}>
                  <ConversationRow
                    c={c}
                    href={viewPath(filter.view, c.id, { status: filter.status, sort: filter.sort, filters: filter.filters })}
                    active={c.id === openId}
                    selected={selection.has(c.id)}
                    selecting={selection.size > 0}
                    onToggle={toggle}
                    assignee={c.assigneeId ? usersById.get(c.assigneeId) : undefined}
                    labelColors={labelColors}
                  />
                </li>
              );
            })}
          </ul>
        ) : null}
        {q.isFetchingNextPage ? <Spinner /> : null}
        {q.isError && q.data ? <ErrorState error={q.error} onRetry={() => void q.fetchNextPage()} compact /> : null}
      </div>
    </section>
  );
}
