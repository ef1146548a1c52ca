import { useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, useWorkspace } from '../api/queries';
import type { Workspace } from '../api/types';
import { useSession } from '../auth/session';
import { setTimeZone } from '../i18n/format';
import { ErrorState, Spinner } from '../ui/feedback';
import { SelectField, TextField } from '../ui/field';
import { SectionHeader, useSave } from './common';

export function WorkspaceSettings() {
  const { t } = useTranslation();
  const q = useWorkspace();
  const qc = useQueryClient();
  const { session, adopt } = useSession();
  const [form, setForm] = useState({ name: '', locale: 'nl', timeZone: 'Europe/Amsterdam' });
  useEffect(() => {
    if (q.data) setForm({ name: q.data.name, locale: q.data.locale, timeZone: q.data.timeZone });
  }, [q.data]);
  const zones = useMemo(() => {
    try {
      return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
    } catch {
      return ['Europe/Amsterdam', 'Europe/Brussels', 'Europe/London', 'UTC'];
    }
  }, []);
  const save = useSave((f: typeof form) => api.patch<Workspace>('/api/v1/workspace', f), {
    done: t('settings.saved'),
    onSuccess: (w) => {
      qc.setQueryData(keys.workspace, w);
      setTimeZone(w.timeZone);
      if (session) adopt({ ...session, workspaces: session.workspaces.map((x) => (x.id === w.id ? { ...x, ...w } : x)) }, w.id);
    },
  });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <section className="settings-section">
      <SectionHeader title={t('settings.sections.workspace')} intro={t('settings.workspace.intro')} />
      <form
        className="card stack narrow"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(form);
        }}
      >
        <TextField label={t('settings.workspace.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={save.errors.name} />
        <SelectField label={t('settings.workspace.language')} hint={t('settings.workspace.languageHint')} value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value })}>
          <option value="nl">Nederlands</option>
          <option value="en">English</option>
        </SelectField>
        <SelectField label={t('settings.workspace.timeZone')} hint={t('settings.workspace.timeZoneHint')} value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} error={save.errors.timeZone}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}
