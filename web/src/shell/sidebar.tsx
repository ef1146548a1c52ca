import { useTranslation } from 'react-i18next';
import { useCounts, useInboxes, useLabels } from '../api/queries';
import type { PerStatus } from '../api/types';
import { Link, useLocation } from '../router';
import { useSession } from '../auth/session';
import { ChannelIcon, IconAlert, IconInbox, IconLayers, IconQueue, IconTag, IconUser, IconUsers } from '../ui/icons';
import { number } from '../i18n/format';
import { viewPath, viewSegment, type View } from '../inbox/view';
import { PhoneNav } from '../voice/phone-nav';

/** Views with live counts: the agent's own work first, then the queues, then inboxes and labels. */
export function Sidebar({ current, status, onNavigate }: { current: View | null; status: string; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const counts = useCounts().data;
  const inboxes = useInboxes().data ?? [];
  const labels = useLabels().data ?? [];
  const countOf = (c: PerStatus | undefined) => (c && status in c ? c[status as keyof PerStatus] : undefined);
  const active = current ? viewSegment(current) : '';
  const { isAdmin } = useSession();
  const path = useLocation().pathname;

  const item = (view: View, label: string, icon: React.ReactNode, count?: number, unread?: number, key?: string) => {
    const seg = viewSegment(view);
    const isActive = seg === active;
    return (
      <li key={key ?? seg}>
        <Link to={viewPath(view, undefined, { status })} className={`nav-item${isActive ? ' active' : ''}`} aria-current={isActive ? 'page' : undefined} onClick={onNavigate}>
          <span className="nav-icon">{icon}</span>
          <span className="nav-label">{label}</span>
          {unread ? (
            <span className="nav-unread" title={t('sidebar.unread', { count: unread })}>
              <span className="sr-only">{t('sidebar.unread', { count: unread })}</span>
            </span>
          ) : null}
          {count !== undefined ? (
            <span className="nav-count" aria-label={t('sidebar.countLabel', { count, status: t(`status.${status}`) })}>
              {number(count)}
            </span>
          ) : null}
        </Link>
      </li>
    );
  };

  return (
    <nav className="sidebar" aria-label={t('sidebar.label')}>
      <h2 className="nav-heading">{t('sidebar.conversations')}</h2>
      <ul className="nav-list">
        {item({ kind: 'mine' }, t('views.mine'), <IconUser />, countOf(counts?.views.mine), counts?.unread.mine)}
        {item({ kind: 'unassigned' }, t('views.unassigned'), <IconQueue />, countOf(counts?.views.unassigned), counts?.unread.unassigned)}
        {item({ kind: 'teams' }, t('views.teams'), <IconUsers />, countOf(counts?.views.teams), counts?.unread.teams)}
        {item({ kind: 'all' }, t('views.all'), <IconLayers />, countOf(counts?.views.all), counts?.unread.all)}
      </ul>
      <PhoneNav onNavigate={onNavigate} />
      {inboxes.length ? (
        <>
          <h2 className="nav-heading">{t('sidebar.inboxes')}</h2>
          <ul className="nav-list">
            {inboxes.map((i) => item({ kind: 'inbox', inboxId: i.id }, i.name, <ChannelIcon kind={i.kind} />, countOf(counts?.inboxes[i.id]) ?? 0))}
          </ul>
        </>
      ) : null}
      {labels.length ? (
        <>
          <h2 className="nav-heading">{t('sidebar.labels')}</h2>
          <ul className="nav-list">
            {labels.map((l) =>
              item(
                { kind: 'label', label: l.name },
                l.name,
                <IconTag style={{ color: l.color }} />,
                countOf(counts?.labels[l.name]) ?? 0,
              ),
            )}
          </ul>
        </>
      ) : null}
      {isAdmin ? (
        <>
          <h2 className="nav-heading">{t('settings.sections.certainty')}</h2>
          <ul className="nav-list">
            {[
              { to: '/incidents', label: t('certainty.incidents.nav'), icon: <IconAlert /> },
              { to: '/reports', label: t('certainty.reports.nav'), icon: <IconLayers /> },
            ].map((l) => (
              <li key={l.to}>
                <Link to={l.to} className={`nav-item${path === l.to ? ' active' : ''}`} aria-current={path === l.to ? 'page' : undefined} onClick={onNavigate}>
                  <span className="nav-icon">{l.icon}</span>
                  <span className="nav-label">{l.label}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {!inboxes.length ? (
        <p className="nav-empty">
          <IconInbox /> {t('sidebar.noInboxes')}
        </p>
      ) : null}
    </nav>
  );
}
