import { useState, type ReactNode } from 'react';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorMessage } from '../ui/feedback';
import { fieldErrors } from '../ui/field';
import { useToast } from '../ui/toast';

/** A secret Balie shows exactly once (API token, webhook secret): copy it now. */
export function SecretsOnce({ secrets }: { secrets: Record<string, string> }) {
  const { t } = useTranslation();
  return (
    <div className="notice secret-once" role="status">
      <p>
        <strong>{t('settings.secretOnce')}</strong>
      </p>
      {Object.entries(secrets).map(([k, v]) => (
        <div key={k} className="secret-row">
          <span className="small muted">{t(`settings.secretNames.${k}`, { defaultValue: k })}</span>
          <code className="copyable" data-secret={k}>
            {v}
          </code>
          <CopyButton text={v} />
        </div>
      ))}
    </div>
  );
}

export function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(
          () => {
            setDone(true);
            setTimeout(() => setDone(false), 1500);
          },
          () => undefined,
        )
      }
    >
      {done ? t('common.copied') : t('common.copy')}
    </button>
  );
}

export function SectionHeader({ title, intro, action }: { title: string; intro?: ReactNode; action?: ReactNode }) {
  return (
    <header className="settings-header">
      <div>
        <h1>{title}</h1>
        {intro ? <p className="muted">{intro}</p> : null}
      </div>
      {action}
    </header>
  );
}

/** A change from a settings form: field errors come back by name, other errors as a toast with retry. */
export function useSave<TInput, TResult>(fn: (input: TInput) => Promise<TResult>, opts: { invalidate?: QueryKey[]; done?: string; onSuccess?(r: TResult): void; prefix?: string } = {}) {
  const qc = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const m = useMutation({
    mutationFn: fn,
    onMutate: () => setErrors({}),
    onSuccess: (r) => {
      for (const k of opts.invalidate ?? []) void qc.invalidateQueries({ queryKey: k });
      if (opts.done) toast({ kind: 'info', text: opts.done });
      opts.onSuccess?.(r);
    },
    onError: (err, input) => {
      if (err instanceof ApiError && err.fields.length) setErrors(fieldErrors(err.fields, opts.prefix, t));
      toast({ kind: 'error', text: errorMessage(t, err), ...(err instanceof ApiError && err.retryable ? { action: { label: t('common.retry'), run: () => m.mutate(input) } } : {}) });
    },
  });
  return { ...m, errors };
}

/** Destructive actions ask once more, inline, instead of a browser confirm(). */
export function ConfirmButton({ label, confirm, onConfirm, disabled }: { label: string; confirm: string; onConfirm(): void; disabled?: boolean }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn btn-small danger-text" onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group">
      <span className="small">{confirm}</span>
      <button
        type="button"
        className="btn btn-small danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        autoFocus
      >
        {t('common.yes')}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
        {t('common.no')}
      </button>
    </span>
  );
}
