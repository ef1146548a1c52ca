import { Component, Fragment, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorMessage } from './feedback';
import { IconAlert, IconRefresh } from './icons';

interface BoundaryProps {
  children: ReactNode;
  /** A new key (another conversation, another section) starts afresh: the error belonged to the old one. */
  resetKey?: string;
  onRetry(): void;
  fallback(error: unknown, retry: () => void): ReactNode;
}

interface BoundaryState {
  failed: boolean;
  error: unknown;
  resetKey?: string;
  attempt: number;
}

class Boundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failed: false, error: null, resetKey: this.props.resetKey, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { failed: true, error };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    return props.resetKey !== state.resetKey ? { failed: false, error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: unknown) {
    // The screen says what happened; the console keeps the stack for whoever reports it.
    console.error('Screen failed to render', error);
  }

  retry = () => {
    this.props.onRetry();
    this.setState((s) => ({ failed: false, error: null, attempt: s.attempt + 1 }));
  };

  override render() {
    if (this.state.failed) return this.props.fallback(this.state.error, this.retry);
    // A fresh key on retry mounts the screen anew: no state left over from the render that failed.
    return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
  }
}

/**
 * Never a blank page: one screen (list, conversation, customer panel, a settings section, a report) that fails
 * to render shows what happened and "Try again" in its own place, and the rest of the app keeps working.
 * Retrying drops the screen's cached data and mounts it again, so it asks the server afresh — a render error
 * usually comes from data the screen did not expect, and the same data would fail the same way.
 */
export function ScreenBoundary({ children, resetKey, className, compact }: { children: ReactNode; resetKey?: string; className?: string; compact?: boolean }) {
  const qc = useQueryClient();
  return (
    <Boundary
      resetKey={resetKey}
      onRetry={() => {
        // The failed screen unmounted, so its queries are the ones nothing observes now: drop them, so the screen
        // does not render the same data again before the new answer arrives. Shared ones (still shown elsewhere)
        // are marked stale: mounting the screen asks for them again.
        qc.removeQueries({ predicate: (q) => q.getObserversCount() === 0 });
        void qc.invalidateQueries({ refetchType: 'none' });
      }}
      fallback={(error, retry) => <ScreenError error={error} onRetry={retry} className={className} compact={compact} />}
    >
      {children}
    </Boundary>
  );
}

function ScreenError({ error, onRetry, className, compact }: { error: unknown; onRetry(): void; className?: string; compact?: boolean }) {
  const { t } = useTranslation();
  // A failed request thrown into the boundary says what the server said; anything else is a screen that broke.
  const detail = error instanceof ApiError ? errorMessage(t, error) : t('screenError.body');
  return (
    <div className={className}>
      <div className={`error-state screen-error${compact ? ' compact' : ''}`} role="alert">
        <IconAlert className="error-icon" />
        <p className="screen-error-title">{t('screenError.title')}</p>
        <p>{detail}</p>
        <button type="button" className="btn" onClick={onRetry}>
          <IconRefresh /> {t('common.retry')}
        </button>
      </div>
    </div>
  );
}
