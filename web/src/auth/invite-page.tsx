import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { Session } from '../api/types';
import { navigate } from '../router';
import { TextField, fieldErrors } from '../ui/field';
import { ErrorState, Spinner, errorMessage } from '../ui/feedback';
import { AuthLayout } from './auth-layout';
import { useSession } from './session';

interface Invitation {
  email: string;
  name: string;
  role: 'admin' | 'agent';
  workspaceName: string;
  hasAccount: boolean;
}

/** /invite/:token — join a workspace; new people choose a name and password, existing users confirm theirs. */
export function InvitePage({ token }: { token: string }) {
  const { t } = useTranslation();
  const { adopt } = useSession();
  const [inv, setInv] = useState<Invitation | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setLoadError(null);
    api
      .get<Invitation>(`/api/v1/invitations/by-token/${encodeURIComponent(token)}`, { anonymous: true })
      .then((i) => {
        setInv(i);
        setName(i.name);
      })
      .catch(setLoadError);
  }, [token, attempt]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api.post<Session & { workspaceId: string }>('/api/v1/invitations/accept', { token, name: name || undefined, password }, { anonymous: true });
      adopt(s, s.workspaceId);
      navigate('/inbox/mine', { replace: true });
    } catch (err) {
      if (err instanceof ApiError) setErrors(fieldErrors(err.fields));
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    const gone = loadError instanceof ApiError && loadError.status < 500;
    return (
      <AuthLayout title={t('invite.title')}>
        {gone ? <p role="alert">{t('invite.invalid')}</p> : <ErrorState error={loadError} onRetry={() => setAttempt((a) => a + 1)} />}
      </AuthLayout>
    );
  }
  if (!inv) return <Spinner />;
  return (
    <AuthLayout title={t('invite.joinTitle', { workspace: inv.workspaceName })} intro={t(inv.hasAccount ? 'invite.introExisting' : 'invite.introNew', { email: inv.email, role: t(`roles.${inv.role}`) })}>
      <form onSubmit={submit} className="stack" noValidate>
        {!inv.hasAccount ? <TextField label={t('setup.name')} autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} /> : null}
        <TextField
          label={t('auth.password')}
          type="password"
          autoComplete={inv.hasAccount ? 'current-password' : 'new-password'}
          hint={inv.hasAccount ? undefined : t('auth.passwordHint')}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
          autoFocus
        />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn primary block" disabled={busy || !password}>
          {t('invite.accept')}
        </button>
      </form>
    </AuthLayout>
  );
}
