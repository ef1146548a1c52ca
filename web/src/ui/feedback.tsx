import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { IconAlert, IconRefresh } from './icons';

/** Never a blank page: what went wrong, in the agent's language, and a way to try again. */
export function errorMessage(t: (k: string, o?: Record<string, unknown>) => string, err: unknown): string {
  if (err instanceof ApiError) {
    const known = t(`errors.${err.code}`, { defaultValue: '' });
    if (known) return known;
    if (err.status >= 500) return t('errors.server');
    return err.message;
  }
  return t('errors.unknown');
}

export function ErrorState({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={compact ? 'error-state compact' : 'error-state'} role="alert">
      <IconAlert className="error-icon" />
      <p>{errorMessage(t, error)}</p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          <IconRefresh /> {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="sr-only">{label ?? t('common.loading')}</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}
