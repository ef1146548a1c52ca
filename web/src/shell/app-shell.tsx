import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { applyEvent, refreshSoon, type LiveContext } from '../api/live-updates';
import { keys, useCounts, useNotifications, usePreferences, useTeams } from '../api/queries';
import { realtime } from '../api/realtime';
import { reloadEverything } from '../api/bootstrap';
import { currentWorkspaceId } from '../api/client';
import type { Conversation } from '../api/types';
import { useMe } from '../auth/session';
import { matchPath, navigate, useLocation } from '../router';
import { InboxPage } from '../inbox/inbox-page';
import { LAST_VIEW_KEY, parseFilters, parseSort, parseStatus, parseView, viewSegment, type View } from '../inbox/view';
import { ContactPage } from '../customer/contact-page';
import { SearchDialog } from '../search/search-dialog';
import { playChime, showBrowserNotification } from '../notify/notifier';
import { Spinner } from '../ui/feedback';
import { ScreenBoundary } from '../ui/screen-boundary';
import { useMarkRead } from '../conversation/conversation-pane';
import { isTypingTarget } from './hotkeys';
import { ShortcutsDialog } from './shortcuts-dialog';
import { Sidebar } from './sidebar';
import { TopBar } from './top-bar';
import { VoiceLayer } from '../voice/voice-layer';

/** Settings are for admins and rarely opened: their code loads on first visit, not with the inbox. */
const SettingsPage = lazy(() => import('../settings/settings-page'));
/** Incidents and reports (admins, occasional): their own chunks too. */
const IncidentsPage = lazy(() => import('../certainty/incidents-page'));
const ReportsPage = lazy(() => import('../certainty/reports-page'));
const CallsPage = lazy(() => import('../voice/calls-page'));

const LAST_VIEW = LAST_VIEW_KEY;

export function AppShell() {
  const { t } = useTranslation();
  const loc = useLocation();
  const qc = useQueryClient();
  const { user } = useMe();
  const teams = useTeams().data;
  const prefs = usePreferences().data;
  const counts = useCounts().data;
  const unreadNotifications = useNotifications().data?.unreadCount ?? 0;
  const [searchOpen, setSearchOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const markRead = useMarkRead();

  const inbox = matchPath('/inbox/:view/:id?', loc.pathname);
  const view: View | null = inbox ? parseView(inbox.view) : null;
  const status = parseStatus(loc.search.get('status'));
  const sort = parseSort(loc.search.get('sort'));
  const filtersKey = ['priority', 'channel', 'agent', 'team'].map((k) => loc.search.get(k) ?? '').join('|');
  const filters = useMemo(() => parseFilters(loc.search), [filtersKey]);
  const currentSegment = view ? viewSegment(view) : (localStorage.getItem(LAST_VIEW) ?? 'mine');
  useEffect(() => {
    if (view) localStorage.setItem(LAST_VIEW, viewSegment(view));
  }, [view]);

  // Live context read by the realtime handler at event time (not captured at subscribe time).
  const ctx = useRef<LiveContext>({ viewer: { userId: user.id, teamIds: [] }, openConversationId: null });
  ctx.current = {
    viewer: { userId: user.id, teamIds: (teams ?? []).filter((tm) => tm.memberIds.includes(user.id)).map((tm) => tm.id) },
    openConversationId: inbox?.id ?? null,
  };
  const live = useCallback(() => ctx.current, []);
  const prefsRef = useRef(prefs);
  prefsRef.current = prefs;

  useEffect(() => {
    const hooks = {
      onCountsChanged() {
        // Many events in a burst (a bulk action) refresh the sidebar once.
        refreshSoon(qc, keys.counts);
      },
      onNotification(d: Record<string, unknown>) {
        const p = prefsRef.current;
        if (p?.notifySound !== false) playChime();
        if (p?.notifyBrowser) {
          const title = d.kind === 'mention' ? t('notifications.browserMention', { number: d.number }) : t('notifications.browserAssigned', { number: d.number });
          showBrowserNotification(title, t('notifications.browserBody'), String(d.notificationId ?? d.conversationId), () =>
            navigate(`/inbox/${localStorage.getItem(LAST_VIEW) ?? 'mine'}/${String(d.conversationId)}`),
          );
        }
      },
      onNewConversation(c: Conversation) {
        const p = prefsRef.current;
        if (!p?.notifyNewConversations) return;
        if (p.notifySound) playChime();
        if (p.notifyBrowser) {
          showBrowserNotification(t('notifications.browserNew', { number: c.number }), c.preview, c.id, () => navigate(`/inbox/${localStorage.getItem(LAST_VIEW) ?? 'all'}/${c.id}`));
        }
      },
      onInboundInOpenConversation: (id: string) => markRead(id),
    };
    const offEvent = realtime.onEvent((e) => applyEvent(qc, e, ctx.current, hooks));
    // Events sent while the socket was down are lost: refetch what is on screen.
    const offReconnect = realtime.onReconnect(() => reloadEverything(qc, currentWorkspaceId()));
    return () => {
      offEvent();
      offReconnect();
    };
  }, [qc, t, markRead]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setSearchOpen(true);
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target) || document.querySelector('dialog[open]')) return;
      if (e.key === '/') {
        e.preventDefault();
        setSearchOpen(true);
      } else if (e.key === '?') {
        e.preventDefault();
        setShortcutsOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const unread = counts?.unread.mine ?? 0;
  useEffect(() => {
    const n = unread + unreadNotifications;
    document.title = n ? `(${n}) Balie` : 'Balie';
  }, [unread, unreadNotifications]);

  const contact = matchPath('/contacts/:id', loc.pathname);
  const settings = matchPath('/settings/:section?', loc.pathname);
  const certaintyPage = loc.pathname === '/incidents' ? 'incidents' : loc.pathname === '/reports' ? 'reports' : null;
  const phone = matchPath('/calls/:tab?', loc.pathname);
  useEffect(() => {
    if (!inbox && !contact && !settings && !certaintyPage && !phone) navigate(`/inbox/${localStorage.getItem(LAST_VIEW) ?? 'mine'}`, { replace: true });
    else if (inbox && !view) navigate('/inbox/mine', { replace: true });
  }, [inbox, contact, settings, view, certaintyPage, phone]);

  let main: React.ReactNode = null;
  if (inbox && view) main = <InboxPage key={viewSegment(view)} view={view} conversationId={inbox.id} status={status} sort={sort} filters={filters} live={live} />;
  else if (contact) main = <ContactPage id={contact.id!} viewSegment={currentSegment} />;
  else if (phone) main = <Suspense fallback={<Spinner />}><CallsPage tab={phone.tab} viewSegment={currentSegment} /></Suspense>;
  else if (settings)
    main = (
      <Suspense fallback={<Spinner />}>
        <SettingsPage section={settings.section} />
      </Suspense>
    );
  else if (certaintyPage) main = <Suspense fallback={<Spinner />}>{certaintyPage === 'incidents' ? <IncidentsPage /> : <ReportsPage />}</Suspense>;

  const sidebarView = useMemo(() => view, [view]);
  return (
    <div className={`app${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <TopBar onSearch={() => setSearchOpen(true)} onShortcuts={() => setShortcutsOpen(true)} onMenu={() => setMenuOpen(!menuOpen)} currentView={currentSegment} />
      <div className="app-body">
        <Sidebar current={sidebarView} status={status === 'all' || status === 'closed' ? 'open' : status} onNavigate={() => setMenuOpen(false)} />
        {menuOpen ? <div className="scrim" onClick={() => setMenuOpen(false)} aria-hidden="true" /> : null}
        <main id="main" className="main" tabIndex={-1}>
          {/* Whatever screen fails (reports, calls, a lazily loaded page), the sidebar and top bar stay. */}
          <ScreenBoundary resetKey={loc.pathname}>{main}</ScreenBoundary>
        </main>
      </div>
      <SearchDialog open={searchOpen} onClose={() => setSearchOpen(false)} viewSegment={currentSegment} />
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      <VoiceLayer userId={user.id} viewSegment={currentSegment} />
    </div>
  );
}
