import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import { Link } from '../router';
import { TextField, fieldErrors } from '../ui/field';
import { errorMessage } from '../ui/feedback';
import { AuthLayout } from './auth-layout';

/** /forgot-password — always answers the same, so it never reveals who has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/password-reset', { email }, { anonymous: true });
      setSent(true);
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'mail_not_configured' ? t('reset.noMail') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout title={t('reset.forgotTitle')} intro={sent ? undefined : t('reset.forgotIntro')}>
      {sent ? (
        <p role="status">{t('reset.sent', { email })}</p>
      ) : (
        <form onSubmit={submit} className="stack" noValidate>
          <TextField label={t('auth.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="btn primary block" disabled={busy || !email}>
            {t('reset.send')}
          </button>
        </form>
      )}
      <p className="center">
        <Link to="/login">{t('reset.backToLogin')}</Link>
      </p>
    </AuthLayout>
  );
}

/** /reset-password/:token — the link from the e-mail. */
export function ResetPasswordPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/password-reset/confirm', { token, password }, { anonymous: true });
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError) setFieldError(fieldErrors(err.fields).password);
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthLayout title={t('reset.title')}>
      {done ? (
        <>
          <p role="status">{t('reset.done')}</p>
          <Link className="btn primary block" to="/login">
            {t('auth.login')}
          </Link>
        </>
      ) : (
        <form onSubmit={submit} className="stack" noValidate>
          <TextField
            label={t('reset.newPassword')}
            type="password"
            autoComplete="new-password"
            hint={t('auth.passwordHint')}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldError}
            autoFocus
          />
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="btn primary block" disabled={busy || !password}>
            {t('reset.save')}
          </button>
        </form>
      )}
    </AuthLayout>
  );
}
