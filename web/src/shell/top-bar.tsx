import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys } from '../api/queries';
import { useConnectionState } from '../api/realtime';
import { useMe, useSession } from '../auth/session';
import { setLanguage, currentLanguage } from '../i18n';
import { Link, navigate } from '../router';
import { Avatar } from '../ui/avatar';
import { IconKeyboard, IconLogout, IconMenu, IconSearch, IconSettings } from '../ui/icons';
import { Popover } from '../ui/popover';
import { useToast } from '../ui/toast';
import { errorMessage } from '../ui/feedback';
import { NotificationsMenu } from './notifications-menu';

export function TopBar({ onSearch, onShortcuts, onMenu, currentView }: { onSearch(): void; onShortcuts(): void; onMenu(): void; currentView: string }) {
  const { t } = useTranslation();
  const connection = useConnectionState();
  const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
  return (
    <header className="topbar">
      <button type="button" className="icon-btn topbar-btn menu-toggle" onClick={onMenu} aria-label={t('shell.menu')}>
        <IconMenu />
      </button>
      <Link to="/inbox/mine" className="brand" aria-label={t('shell.home')}>
        <span className="brand-mark" aria-hidden="true">
          B
        </span>
        <span className="brand-name">Balie</span>
      </Link>
      <WorkspaceName />
      <button type="button" className="search-btn" onClick={onSearch} aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}>
        <IconSearch />
        <span>{t('search.button')}</span>
        <kbd>{isMac ? '⌘K' : 'Ctrl K'}</kbd>
      </button>
      <div className="topbar-right">
        {connection !== 'open' ? (
          <span className={`connection connection-${connection}`} role="status">
            {t(`shell.connection.${connection}`)}
          </span>
        ) : null}
        <button type="button" className="icon-btn topbar-btn" onClick={onShortcuts} aria-label={t('shortcuts.title')} title={t('shortcuts.title')}>
          <IconKeyboard />
        </button>
        <NotificationsMenu currentView={currentView} />
        <UserMenu />
      </div>
    </header>
  );
}

function WorkspaceName() {
  const { t } = useTranslation();
  const { workspace, workspaces } = useMe();
  const { switchWorkspace } = useSession();
  if (workspaces.length < 2) return <span className="workspace-name">{workspace.name}</span>;
  return (
    <label className="workspace-switch">
      <span className="sr-only">{t('shell.workspace')}</span>
      <select
        value={workspace.id}
        onChange={(e) => {
          switchWorkspace(e.target.value);
          navigate('/inbox/mine');
        }}
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const { user, workspace } = useMe();
  const { logout, adopt, session } = useSession();
  const qc = useQueryClient();
  const toast = useToast();
  const availability = useMutation({
    mutationFn: (a: 'online' | 'busy' | 'offline') => api.patch('/api/v1/me', { availability: a }),
    onSuccess: (_d, a) => {
      if (session) adopt({ ...session, workspaces: session.workspaces.map((w) => (w.id === workspace.id ? { ...w, availability: a } : w)) }, workspace.id);
      void qc.invalidateQueries({ queryKey: keys.users });
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  const language = useMutation({
    mutationFn: (l: 'nl' | 'en') => api.patch('/api/v1/me/preferences', { locale: l }),
    onMutate: (l) => setLanguage(l),
    onSuccess: (_d, l) => {
      if (session) adopt({ ...session, user: { ...session.user, locale: l } }, workspace.id);
      void qc.invalidateQueries({ queryKey: keys.preferences });
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  const lang = currentLanguage();
  return (
    <Popover label={t('shell.userMenu', { name: user.name })} buttonClassName="user-btn" align="end" button={<><Avatar name={user.name} id={user.id} size={28} /><span className={`presence-dot ${workspace.availability}`} aria-hidden="true" /></>}>
      {(close) => (
        <div className="user-menu" role="menu">
          <div className="user-menu-head">
            <strong>{user.name}</strong>
            <span className="muted">{user.email}</span>
          </div>
          <fieldset className="menu-group">
            <legend>{t('shell.availability')}</legend>
            {(['online', 'busy', 'offline'] as const).map((a) => (
              <button key={a} type="button" role="menuitemradio" aria-checked={workspace.availability === a} className="menu-item" onClick={() => availability.mutate(a)}>
                <span className={`presence-dot static ${a}`} aria-hidden="true" /> {t(`availability.${a}`)}
              </button>
            ))}
          </fieldset>
          <fieldset className="menu-group">
            <legend>{t('shell.language')}</legend>
            <button type="button" role="menuitemradio" aria-checked={lang === 'nl'} className="menu-item" lang="nl" onClick={() => language.mutate('nl')}>
              Nederlands
            </button>
            <button type="button" role="menuitemradio" aria-checked={lang === 'en'} className="menu-item" lang="en" onClick={() => language.mutate('en')}>
              English
            </button>
          </fieldset>
          <div className="menu-group">
            <Link to="/settings/profile" role="menuitem" className="menu-item" onClick={close}>
              <IconSettings /> {t('shell.settings')}
            </Link>
            <button type="button" role="menuitem" className="menu-item" onClick={() => void logout()}>
              <IconLogout /> {t('shell.logout')}
            </button>
          </div>
        </div>
      )}
    </Popover>
  );
}
