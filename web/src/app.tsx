import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { matchPath, navigate, useLocation } from './router';
import { useSession } from './auth/session';
import { LoginPage } from './auth/login-page';
import { SetupPage } from './auth/setup-page';
import { InvitePage } from './auth/invite-page';
import { ForgotPasswordPage, ResetPasswordPage } from './auth/password-pages';
import { AuthLayout } from './auth/auth-layout';
import { AppShell } from './shell/app-shell';
import { ErrorState, Spinner } from './ui/feedback';
import { ScreenBoundary } from './ui/screen-boundary';

/** Which screen: the public pages (setup, invitation, password reset), the login, or the agent app. */
export function App() {
  const { t } = useTranslation();
  const loc = useLocation();
  const { status, needsSetup, error, reload, workspace, logout } = useSession();

  const invite = matchPath('/invite/:token', loc.pathname);
  const reset = matchPath('/reset-password/:token', loc.pathname);
  const onLogin = loc.pathname === '/login';
  const onSetup = loc.pathname === '/setup';

  useEffect(() => {
    if (status === 'ready' && (onLogin || onSetup)) navigate('/inbox/mine', { replace: true });
    if (status === 'anonymous' && needsSetup && !onSetup && !invite && !reset) navigate('/setup', { replace: true });
    if (status === 'anonymous' && !needsSetup && onSetup) navigate('/login', { replace: true });
  }, [status, onLogin, onSetup, needsSetup, invite, reset]);

  if (invite) return <InvitePage token={invite.token!} />;
  if (reset) return <ResetPasswordPage token={reset.token!} />;
  if (loc.pathname === '/forgot-password') return <ForgotPasswordPage />;

  switch (status) {
    case 'loading':
      return <Spinner />;
    case 'error':
      return (
        <AuthLayout title={t('app.unavailable')}>
          <ErrorState error={error} onRetry={reload} />
        </AuthLayout>
      );
    case 'anonymous':
      return needsSetup ? <SetupPage /> : <LoginPage />;
    case 'expired':
    case 'ready':
      if (!workspace) {
        return (
          <AuthLayout title={t('app.noWorkspace')} intro={t('app.noWorkspaceIntro')}>
            <button type="button" className="btn block" onClick={() => void logout()}>
              {t('shell.logout')}
            </button>
          </AuthLayout>
        );
      }
      return (
        <>
          <div className="app-root" inert={status === 'expired'} aria-hidden={status === 'expired' ? true : undefined}>
            {/* The last resort: a shell that fails to render still says so and offers to try again. */}
            <ScreenBoundary>
              <AppShell />
            </ScreenBoundary>
          </div>
          {status === 'expired' ? (
            <div className="expired-overlay">
              <LoginPage expired />
            </div>
          ) : null}
        </>
      );
  }
}
