import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { Session } from '../api/types';
import { navigate } from '../router';
import { currentLanguage } from '../i18n';
import { TextField, fieldErrors } from '../ui/field';
import { errorMessage } from '../ui/feedback';
import { AuthLayout } from './auth-layout';
import { useSession } from './session';

/** First run: the workspace and its owner. Shown only while the install has no user. */
export function SetupPage() {
  const { t } = useTranslation();
  const { adopt, reload } = useSession();
  const [form, setForm] = useState({ workspaceName: '', name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await api.post('/api/v1/setup', { ...form, locale: currentLanguage() }, { anonymous: true });
      const s = await api.get<Session>('/api/v1/auth/session');
      adopt(s);
      navigate('/settings/inboxes?welcome=1', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        reload();
        navigate('/', { replace: true });
        return;
      }
      if (err instanceof ApiError) setErrors(fieldErrors(err.fields));
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('setup.title')} intro={t('setup.intro')}>
      <form onSubmit={submit} className="stack" noValidate>
        <TextField label={t('setup.workspaceName')} hint={t('setup.workspaceHint')} required value={form.workspaceName} onChange={set('workspaceName')} error={errors.workspaceName} autoFocus />
        <TextField label={t('setup.name')} autoComplete="name" required value={form.name} onChange={set('name')} error={errors.name} />
        <TextField label={t('auth.email')} type="email" autoComplete="username" required value={form.email} onChange={set('email')} error={errors.email} />
        <TextField
          label={t('auth.password')}
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
          required
          minLength={10}
          value={form.password}
          onChange={set('password')}
          error={errors.password}
        />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn primary block" disabled={busy}>
          {busy ? t('setup.creating') : t('setup.create')}
        </button>
      </form>
    </AuthLayout>
  );
}
