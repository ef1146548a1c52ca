import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import type { FieldIssue } from '../api/client';

/** A labelled form control with its hint and error tied to it for screen readers. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const described = [hint ? hintId : null, error ? errId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': described, 'aria-invalid': error ? true : undefined })}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="error-text" id={errId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, hint, error, ...input }: { label: ReactNode; hint?: ReactNode; error?: string | null } & InputHTMLAttributes<HTMLInputElement>) {
  return <Field label={label} hint={hint} error={error}>{(p) => <input className="input" {...p} {...input} />}</Field>;
}

export function TextArea({ label, hint, error, ...input }: { label: ReactNode; hint?: ReactNode; error?: string | null } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Field label={label} hint={hint} error={error}>{(p) => <textarea className="input" {...p} {...input} />}</Field>;
}

export function SelectField({ label, hint, error, children, ...select }: { label: ReactNode; hint?: ReactNode; error?: string | null } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(p) => (
        <select className="input" {...p} {...select}>
          {children}
        </select>
      )}
    </Field>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * A server field issue in the user's language: the text for its code (with the limit it broke), or the server's
 * own message for a code the app has no text for — e.g. a format check, whose message says what form is wanted.
 */
export function fieldErrorText(t: Translate, f: FieldIssue): string {
  const p = f.params ?? {};
  const code = f.code === 'too_small' && p.origin === 'string' && p.minimum === 1 ? 'required' : f.code;
  if (!code) return f.message;
  const text = (typeof p.origin === 'string' ? t(`fieldErrors.${code}_${p.origin}`, { ...p, defaultValue: '' }) : '') || t(`fieldErrors.${code}`, { ...p, defaultValue: '' });
  return text || f.message;
}

/** Field errors from an ApiError, by path ("settings.webhookUrl" → "webhookUrl" with a prefix); translated when `t` is given. */
export function fieldErrors(fields: FieldIssue[] | undefined, prefix = '', t?: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields ?? []) {
    const key = prefix && f.path.startsWith(`${prefix}.`) ? f.path.slice(prefix.length + 1) : f.path;
    out[key] ??= t ? fieldErrorText(t, f) : f.message;
  }
  return out;
}
