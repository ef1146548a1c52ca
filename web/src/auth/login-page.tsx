import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { Link } from '../router';
import { TextField } from '../ui/field';
import { errorMessage } from '../ui/feedback';
import { AuthLayout } from './auth-layout';
import { useSession } from './session';
import { warmUpFormatters } from '../i18n/format';

/** Login; also shown over the app when a session expires (then the agent lands back where they were). */
export function LoginPage({ expired }: { expired?: boolean }) {
  const { t } = useTranslation();
  const { login, session } = useSession();
  const [email, setEmail] = useState(expired ? (session?.user.email ?? '') : '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 200));
    idle(() => warmUpFormatters());
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('auth.badCredentials') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={expired ? t('auth.expiredTitle') : t('auth.loginTitle')} intro={expired ? t('auth.expiredIntro') : undefined}>
      <form onSubmit={submit} className="stack" noValidate>
        <TextField label={t('auth.email')} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus={!expired} />
        <TextField
          label={t('auth.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoFocus={expired}
        />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn primary block" disabled={busy || !email || !password}>
          {busy ? t('auth.loggingIn') : t('auth.login')}
        </button>
        {!expired ? (
          <p className="center">
            <Link to="/forgot-password">{t('auth.forgot')}</Link>
          </p>
        ) : null}
      </form>
    </AuthLayout>
  );
}
