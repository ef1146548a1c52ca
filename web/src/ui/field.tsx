import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

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

/** Field errors from an ApiError, by path ("settings.webhookUrl" → "webhookUrl" with a prefix). */
export function fieldErrors(fields: { path: string; message: string }[] | undefined, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields ?? []) {
    const key = prefix && f.path.startsWith(`${prefix}.`) ? f.path.slice(prefix.length + 1) : f.path;
    out[key] ??= f.message;
  }
  return out;
}
