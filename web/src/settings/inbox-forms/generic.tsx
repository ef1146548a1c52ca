import { useTranslation } from 'react-i18next';
import type { InboxFormProps, InboxKindForm } from './registry';
import { SecretsOnce } from '../common';

interface JsonProp {
  type?: string | string[];
  format?: string;
  title?: string;
  description?: string;
  items?: { type?: string };
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

const humanize = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
const typeOf = (p: JsonProp) => (Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type);

/** A tailored control for one setting (a picker instead of a text box), with its own translated label and hint. */
export interface CustomControl {
  labelKey?: string;
  hintKey?: string;
  render(p: { id: string; value: unknown; set(value: unknown): void; invalid: boolean }): React.ReactNode;
}

/** Any channel kind, from the JSON Schema the server publishes: strings, URLs, numbers, booleans, lists, secrets. */
export function GenericInboxForm({ kind, inbox, settings, onChange, errors, controls = {} }: InboxFormProps & { controls?: Record<string, CustomControl> }) {
  const { t } = useTranslation();
  const props = ((kind.settingsSchema.properties ?? {}) as Record<string, JsonProp>);
  const required = new Set((kind.settingsSchema.required as string[] | undefined) ?? []);
  const secretProps = ((kind.secretsSchema.properties ?? {}) as Record<string, JsonProp>);
  const secretRequired = new Set((kind.secretsSchema.required as string[] | undefined) ?? []);
  const set = (k: string, v: unknown) => onChange({ ...settings, [k]: v });

  const field = (key: string, p: JsonProp, secret: boolean) => {
    const custom = controls[key];
    const label = `${custom?.labelKey ? t(custom.labelKey) : (p.title ?? humanize(key))}${(secret ? secretRequired : required).has(key) ? ' *' : ''}`;
    const id = `inbox-setting-${key}`;
    const err = errors[key];
    const type = typeOf(p);
    const hint = secret && inbox?.secretsSet.includes(key) ? t('settings.inboxes.secretSet') : custom?.hintKey ? t(custom.hintKey) : p.description;
    let control: React.ReactNode;
    if (type === 'boolean') {
      return (
        <div className="field checkbox-field" key={key}>
          <label>
            <input type="checkbox" checked={settings[key] === true} onChange={(e) => set(key, e.target.checked)} /> {label}
          </label>
          {hint ? <p className="hint">{hint}</p> : null}
          {err ? <p className="error-text">{err}</p> : null}
        </div>
      );
    }
    if (custom) {
      control = custom.render({ id, value: settings[key], set: (v) => set(key, v), invalid: !!err });
    } else if (type === 'array') {
      const list = Array.isArray(settings[key]) ? (settings[key] as unknown[]).map(String) : [];
      control = (
        <textarea
          id={id}
          className="input"
          rows={3}
          value={list.join('\n')}
          onChange={(e) =>
            set(
              key,
              e.target.value
                .split('\n')
                .map((s) => s.trim())
                .filter(Boolean),
            )
          }
        />
      );
    } else if (p.enum) {
      control = (
        <select id={id} className="input" value={String(settings[key] ?? '')} onChange={(e) => set(key, e.target.value || undefined)}>
          <option value="" />
          {p.enum.map((v) => (
            <option key={String(v)} value={String(v)}>
              {String(v)}
            </option>
          ))}
        </select>
      );
    } else {
      control = (
        <input
          id={id}
          className="input"
          type={secret ? 'password' : type === 'number' || type === 'integer' ? 'number' : p.format === 'uri' ? 'url' : 'text'}
          autoComplete={secret ? 'new-password' : 'off'}
          value={settings[key] === undefined || settings[key] === null ? '' : String(settings[key])}
          placeholder={secret && inbox?.secretsSet.includes(key) ? '••••••••' : undefined}
          onChange={(e) => {
            const v = e.target.value;
            set(key, v === '' ? undefined : type === 'number' || type === 'integer' ? Number(v) : v);
          }}
          aria-invalid={err ? true : undefined}
        />
      );
    }
    return (
      <div className={`field${err ? ' field-error' : ''}`} key={key}>
        <label htmlFor={id}>{label}</label>
        {control}
        {hint ? <p className="hint">{hint}</p> : null}
        {err ? <p className="error-text">{err}</p> : null}
      </div>
    );
  };

  const all = [...Object.entries(props).map(([k, p]) => field(k, p, false)), ...Object.entries(secretProps).map(([k, p]) => field(k, p, true))];
  return <div className="stack">{all.length ? all : <p className="muted">{t('settings.inboxes.noSettings')}</p>}</div>;
}

export const genericInboxForm: InboxKindForm = {
  Form: GenericInboxForm,
  AfterCreate: ({ inbox }) => (
    <>
      {inbox.webhookUrl ? <WebhookUrlNote url={inbox.webhookUrl} /> : null}
      {inbox.generatedSecrets && Object.keys(inbox.generatedSecrets).length ? <SecretsOnce secrets={inbox.generatedSecrets} /> : null}
    </>
  ),
};

function WebhookUrlNote({ url }: { url: string }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label>{t('settings.inboxes.providerWebhook')}</label>
      <code className="copyable">{url}</code>
    </div>
  );
}
