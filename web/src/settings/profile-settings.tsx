import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, usePreferences } from '../api/queries';
import type { Preferences } from '../api/types';
import { useMe, useSession } from '../auth/session';
import { setLanguage } from '../i18n';
import { browserNotificationsSupported, playChime, requestBrowserPermission } from '../notify/notifier';
import { ErrorState, Spinner } from '../ui/feedback';
import { TextField } from '../ui/field';
import { SectionHeader, useSave } from './common';

export function ProfileSettings() {
  const { t } = useTranslation();
  const { user, workspace } = useMe();
  const { adopt, session } = useSession();
  const qc = useQueryClient();
  const prefs = usePreferences();
  const [name, setName] = useState(user.name);
  const [permission, setPermission] = useState(browserNotificationsSupported() ? Notification.permission : 'denied');

  const saveName = useSave((n: string) => api.patch('/api/v1/me', { name: n }), {
    done: t('settings.saved'),
    onSuccess: () => session && adopt({ ...session, user: { ...session.user, name } }, workspace.id),
    invalidate: [keys.users],
  });
  // A preference shows its new value at once (the switches are controlled by the cached preferences, so waiting for
  // the server would flip them back until it answers), and an answer only writes back the keys it was asked to
  // change: two quick changes in a row must not have the first answer undo the second.
  const savePrefs = useSave(
    async (patch: Partial<Preferences>) => {
      const before = qc.getQueryData<Preferences>(keys.preferences);
      qc.setQueryData<Preferences>(keys.preferences, (old) => old && { ...old, ...patch });
      try {
        const saved = await api.patch<Preferences>('/api/v1/me/preferences', patch);
        qc.setQueryData<Preferences>(keys.preferences, (old) => old && { ...old, ...pick(saved, patch) });
        if (patch.locale && saved.locale) {
          void setLanguage(saved.locale);
          if (session) adopt({ ...session, user: { ...session.user, locale: saved.locale } }, workspace.id);
        }
        return saved;
      } catch (err) {
        if (before) qc.setQueryData<Preferences>(keys.preferences, (old) => old && { ...old, ...pick(before, patch) });
        throw err;
      }
    },
  );

  if (prefs.isPending) return <Spinner />;
  if (prefs.isError) return <ErrorState error={prefs.error} onRetry={() => void prefs.refetch()} />;
  const p = prefs.data;
  const toggle = (k: 'notifySound' | 'notifyBrowser' | 'notifyNewConversations' | 'sendWithEnter') => (on: boolean) => {
    savePrefs.mutate({ [k]: on });
    // The browser asks its own question; the switch has already moved and the hint below follows the answer.
    if (k === 'notifyBrowser' && on) void requestBrowserPermission().then(setPermission);
  };

  return (
    <section className="settings-section">
      <SectionHeader title={t('settings.sections.profile')} intro={t('settings.profile.intro')} />
      <form
        className="card stack narrow"
        onSubmit={(e) => {
          e.preventDefault();
          saveName.mutate(name);
        }}
      >
        <TextField label={t('settings.profile.name')} value={name} onChange={(e) => setName(e.target.value)} error={saveName.errors.name} autoComplete="name" />
        <TextField label={t('auth.email')} value={user.email} readOnly disabled />
        <button type="submit" className="btn primary" disabled={saveName.isPending || name.trim() === user.name}>
          {t('common.save')}
        </button>
      </form>
      <div className="card stack narrow">
        <h2>{t('settings.profile.language')}</h2>
        <div className="radio-row" role="radiogroup" aria-label={t('settings.profile.language')}>
          {(['nl', 'en'] as const).map((l) => (
            <label key={l} className="radio">
              <input type="radio" name="language" checked={(p.locale ?? workspace.locale) === l} onChange={() => savePrefs.mutate({ locale: l })} />
              <span lang={l}>{l === 'nl' ? 'Nederlands' : 'English'}</span>
            </label>
          ))}
        </div>
      </div>
      <div className="card stack narrow">
        <h2>{t('settings.profile.notifications')}</h2>
        <p className="muted">{t('settings.profile.notificationsIntro')}</p>
        <Toggle label={t('settings.profile.sound')} checked={p.notifySound} onChange={toggle('notifySound')}>
          <button type="button" className="link-btn" onClick={playChime}>
            {t('settings.profile.testSound')}
          </button>
        </Toggle>
        <Toggle label={t('settings.profile.browser')} checked={p.notifyBrowser} onChange={toggle('notifyBrowser')}>
          {p.notifyBrowser && permission !== 'granted' ? (
            <span className="hint">
              {permission === 'denied' ? t('settings.profile.browserDenied') : (
                <button type="button" className="link-btn" onClick={() => void requestBrowserPermission().then(setPermission)}>
                  {t('settings.profile.browserAllow')}
                </button>
              )}
            </span>
          ) : null}
        </Toggle>
        <Toggle label={t('settings.profile.newConversations')} checked={p.notifyNewConversations} onChange={toggle('notifyNewConversations')} />
      </div>
      <div className="card stack narrow">
        <h2>{t('settings.profile.composer')}</h2>
        <Toggle label={t('settings.profile.sendWithEnter')} checked={p.sendWithEnter} onChange={toggle('sendWithEnter')} />
      </div>
    </section>
  );
}

function Toggle({ label, checked, onChange, children }: { label: string; checked: boolean; onChange(on: boolean): void; children?: React.ReactNode }) {
  return (
    <div className="toggle-row">
      <label className="switch">
        <input type="checkbox" role="switch" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        <span>{label}</span>
      </label>
      {children}
    </div>
  );
}

/** The values of `from` for exactly the keys present in `patch`. */
function pick(from: Preferences, patch: Partial<Preferences>): Partial<Preferences> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(patch)) out[k] = (from as unknown as Record<string, unknown>)[k];
  return out as Partial<Preferences>;
}
