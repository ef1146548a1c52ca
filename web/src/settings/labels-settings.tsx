import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, useLabels } from '../api/queries';
import type { Label } from '../api/types';
import { ErrorState, Spinner } from '../ui/feedback';
import { TextField } from '../ui/field';
import { IconPlus } from '../ui/icons';
import { ConfirmButton, SectionHeader, useSave } from './common';

/** Label colours with enough contrast for the coloured text and dot on white. */
const COLORS = ['#b91c1c', '#c2410c', '#a16207', '#15803d', '#0f766e', '#1d4ed8', '#6d28d9', '#be185d', '#475569'];

export function LabelsSettings() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [editing, setEditing] = useState<Label | 'new' | null>(null);
  const remove = useSave((id: string) => api.del(`/api/v1/labels/${id}`), { invalidate: [keys.labels, keys.lists, keys.counts], done: t('settings.deleted') });
  if (labels.isPending) return <Spinner />;
  if (labels.isError) return <ErrorState error={labels.error} onRetry={() => void labels.refetch()} />;
  return (
    <section className="settings-section">
      <SectionHeader
        title={t('settings.sections.labels')}
        intro={t('settings.labels.intro')}
        action={
          <button type="button" className="btn primary" onClick={() => setEditing('new')}>
            <IconPlus /> {t('settings.labels.new')}
          </button>
        }
      />
      {editing ? <LabelForm label={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} /> : null}
      <ul className="card list-card">
        {labels.data.length === 0 ? <li className="muted">{t('labels.none')}</li> : null}
        {labels.data.map((l) => (
          <li key={l.id} className="list-line">
            <span className="label-dot" style={{ background: l.color }} aria-hidden="true" />
            <span className="grow">
              <strong>{l.name}</strong>
              {l.description ? <span className="muted small block">{l.description}</span> : null}
            </span>
            <button type="button" className="btn btn-small" onClick={() => setEditing(l)}>
              {t('common.edit')}
            </button>
            <ConfirmButton label={t('common.delete')} confirm={t('settings.labels.deleteConfirm')} onConfirm={() => remove.mutate(l.id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function LabelForm({ label, onDone }: { label?: Label; onDone(): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(label?.name ?? '');
  const [color, setColor] = useState(label?.color ?? COLORS[5]!);
  const [description, setDescription] = useState(label?.description ?? '');
  const save = useSave(
    () => {
      const body = { name, color, description };
      return label ? api.patch(`/api/v1/labels/${label.id}`, body) : api.post('/api/v1/labels', body);
    },
    { invalidate: [keys.labels, keys.lists, keys.counts], onSuccess: onDone, done: t('settings.saved') },
  );
  return (
    <form
      className="card stack narrow"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <TextField label={t('settings.labels.name')} value={name} onChange={(e) => setName(e.target.value)} error={save.errors.name} required />
      <fieldset className="color-picker">
        <legend>{t('settings.labels.color')}</legend>
        {COLORS.map((c) => (
          <label key={c} className="color-swatch" style={{ background: c }}>
            <input type="radio" name="color" value={c} checked={c === color} onChange={() => setColor(c)} aria-label={c} />
          </label>
        ))}
      </fieldset>
      <TextField label={t('settings.labels.description')} value={description} onChange={(e) => setDescription(e.target.value)} />
      <div className="row-buttons">
        <button type="submit" className="btn primary" disabled={save.isPending || !name.trim()}>
          {t('common.save')}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
