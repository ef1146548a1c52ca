import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n';

/** The calm frame around login, setup, invitation and password pages, with a language switch. */
export function AuthLayout({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <div className="auth-page">
      <main className="auth-card" aria-labelledby="auth-title">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">B</span> Balie
        </div>
        <h1 id="auth-title">{title}</h1>
        {intro ? <p className="muted">{intro}</p> : null}
        {children}
      </main>
      <nav className="auth-lang" aria-label={t('auth.language')}>
        <button type="button" className="link-btn" aria-pressed={lang === 'nl'} onClick={() => void setLanguage('nl')} lang="nl">
          Nederlands
        </button>
        <span aria-hidden="true">·</span>
        <button type="button" className="link-btn" aria-pressed={lang === 'en'} onClick={() => void setLanguage('en')} lang="en">
          English
        </button>
      </nav>
    </div>
  );
}
