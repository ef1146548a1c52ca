import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../common';
import { SelectField, TextArea, TextField } from '../../ui/field';
import type { InboxFormProps, InboxKindForm } from './registry';

/**
 * Chat-widget inboxes: appearance (with a preview), languages, the sites that may embed it, identity
 * verification, pre-chat form, answer bot, CSAT, and the snippet to paste. The identity secret is write-only on
 * the server: "new secret" makes one in the browser and shows it until the form is saved, never again after.
 */
const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);

export function randomSecret(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function embedSnippet(base: string, inboxId: string): string {
  return `<script src="${base}/widget.js" data-inbox="${inboxId}" async></script>`;
}

function WidgetInboxForm({ inbox, settings, onChange, errors }: InboxFormProps) {
  const { t } = useTranslation();
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const set = (k: string, v: unknown) => onChange({ ...settings, [k]: v });
  const greeting = (settings.greeting as { nl?: string; en?: string } | undefined) ?? {};
  const bot = (settings.bot as { enabled?: boolean; threshold?: number } | undefined) ?? {};
  const origins = Array.isArray(settings.allowedOrigins) ? (settings.allowedOrigins as string[]) : [];
  const color = str(settings.color, '#1f6feb');
  const secretSet = inbox?.secretsSet.includes('identitySecret') ?? false;
  const threshold = typeof bot.threshold === 'number' ? bot.threshold : 0.6;

  return (
    <div className="stack widget-form">
      <p className="muted">{t('widgetAdmin.intro')}</p>
      <fieldset className="stack">
        <legend>{t('widgetAdmin.appearance')}</legend>
        <div className="widget-appearance">
          <div className="stack grow">
            <TextField label={t('widgetAdmin.color')} type="color" value={color} onChange={(e) => set('color', e.target.value)} error={errors.color} />
            <SelectField label={t('widgetAdmin.position')} value={str(settings.position, 'right')} onChange={(e) => set('position', e.target.value)}>
              <option value="right">{t('widgetAdmin.right')}</option>
              <option value="left">{t('widgetAdmin.left')}</option>
            </SelectField>
            <SelectField label={t('widgetAdmin.language')} value={str(settings.language, 'auto')} onChange={(e) => set('language', e.target.value)} hint={t('widgetAdmin.languageHint')}>
              <option value="auto">{t('widgetAdmin.languageAuto')}</option>
              <option value="nl">Nederlands</option>
              <option value="en">English</option>
            </SelectField>
          </div>
          <div className={`widget-preview ${str(settings.position, 'right')}`} aria-label={t('widgetAdmin.preview')} role="img">
            <div className="widget-preview-panel">
              <div className="widget-preview-header" style={{ background: color }}>
                {inbox?.name ?? t('widgetAdmin.previewName')}
              </div>
              <div className="widget-preview-bubble">{greeting.nl || t('widgetAdmin.greetingDefault')}</div>
            </div>
            <div className="widget-preview-launcher" style={{ background: color }} />
          </div>
        </div>
        <TextField label={t('widgetAdmin.greetingNl')} value={greeting.nl ?? ''} maxLength={500} onChange={(e) => set('greeting', { ...greeting, nl: e.target.value })} error={errors['greeting.nl']} />
        <TextField label={t('widgetAdmin.greetingEn')} value={greeting.en ?? ''} maxLength={500} onChange={(e) => set('greeting', { ...greeting, en: e.target.value })} error={errors['greeting.en']} />
      </fieldset>

      <fieldset className="stack">
        <legend>{t('widgetAdmin.sites')}</legend>
        <TextArea
          label={t('widgetAdmin.allowedOrigins')}
          hint={t('widgetAdmin.allowedOriginsHint')}
          rows={3}
          value={origins.join('\n')}
          onChange={(e) => set('allowedOrigins', e.target.value.split('\n').map((s) => s.trim()).filter(Boolean))}
          error={errors.allowedOrigins ?? Object.entries(errors).find(([k]) => k.startsWith('allowedOrigins.'))?.[1]}
        />
        {inbox ? (
          <div className="field">
            <label>{t('widgetAdmin.snippet')}</label>
            <p className="hint">{t('widgetAdmin.snippetHint')}</p>
            <div className="secret-row">
              <code className="copyable" data-snippet>
                {embedSnippet(location.origin, inbox.id)}
              </code>
              <CopyButton text={embedSnippet(location.origin, inbox.id)} />
            </div>
          </div>
        ) : (
          <p className="hint">{t('widgetAdmin.snippetAfterSave')}</p>
        )}
      </fieldset>

      <fieldset className="stack">
        <legend>{t('widgetAdmin.identity')}</legend>
        <p className="hint">{t('widgetAdmin.identityHint')}</p>
        <p className="small">{newSecret ? t('widgetAdmin.secretNew') : secretSet ? t('widgetAdmin.secretSet') : t('widgetAdmin.secretNone')}</p>
        {newSecret ? (
          <div className="secret-row">
            <code className="copyable" data-secret="identitySecret">
              {newSecret}
            </code>
            <CopyButton text={newSecret} />
          </div>
        ) : null}
        <div className="row-buttons">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const s = randomSecret();
              setNewSecret(s);
              set('identitySecret', s);
            }}
          >
            {secretSet || newSecret ? t('widgetAdmin.rotate') : t('widgetAdmin.generate')}
          </button>
          {secretSet && !newSecret ? (
            <button type="button" className="btn btn-small danger-text" onClick={() => set('identitySecret', null)} disabled={settings.identitySecret === null}>
              {settings.identitySecret === null ? t('widgetAdmin.secretRemoved') : t('widgetAdmin.removeSecret')}
            </button>
          ) : null}
        </div>
        {errors.identitySecret ? <p className="error-text">{errors.identitySecret}</p> : null}
      </fieldset>

      <fieldset className="stack">
        <legend>{t('widgetAdmin.conversation')}</legend>
        <SelectField label={t('widgetAdmin.preChat')} value={str(settings.preChatForm, 'off')} onChange={(e) => set('preChatForm', e.target.value)} hint={t('widgetAdmin.preChatHint')}>
          <option value="off">{t('widgetAdmin.preChatOff')}</option>
          <option value="optional">{t('widgetAdmin.preChatOptional')}</option>
          <option value="required">{t('widgetAdmin.preChatRequired')}</option>
        </SelectField>
        <label className="check-line">
          <input type="checkbox" checked={settings.csat !== false} onChange={(e) => set('csat', e.target.checked)} />
          {t('widgetAdmin.csat')}
        </label>
        <TextField
          label={t('widgetAdmin.emailAfterAway')}
          type="number"
          min={0}
          max={1440}
          step={1}
          value={String(Math.round((typeof settings.emailAfterAwaySeconds === 'number' ? settings.emailAfterAwaySeconds : 120) / 60))}
          onChange={(e) => set('emailAfterAwaySeconds', Math.max(0, Math.min(1440, Math.round(Number(e.target.value) || 0))) * 60)}
          hint={t('widgetAdmin.emailAfterAwayHint')}
          error={errors.emailAfterAwaySeconds}
        />
        <label className="check-line">
          <input type="checkbox" checked={bot.enabled === true} onChange={(e) => set('bot', { threshold, ...bot, enabled: e.target.checked })} />
          {t('widgetAdmin.bot')}
        </label>
        <p className="hint">{t('widgetAdmin.botHint')}</p>
        <div className="field">
          <label htmlFor="widget-threshold">{t('widgetAdmin.threshold', { value: Math.round(threshold * 100) })}</label>
          <input
            id="widget-threshold"
            type="range"
            min={0.1}
            max={1}
            step={0.05}
            value={threshold}
            disabled={bot.enabled !== true}
            onChange={(e) => set('bot', { ...bot, enabled: bot.enabled === true, threshold: Number(e.target.value) })}
          />
          <p className="hint">{t('widgetAdmin.thresholdHint')}</p>
        </div>
      </fieldset>
    </div>
  );
}

export const widgetInboxForm: InboxKindForm = {
  Form: WidgetInboxForm,
  AfterCreate: ({ inbox }) => {
    const { t } = useTranslation();
    const snippet = embedSnippet(location.origin, inbox.id);
    return (
      <div className="field">
        <label>{t('widgetAdmin.snippet')}</label>
        <p className="hint">{t('widgetAdmin.snippetHint')}</p>
        <div className="secret-row">
          <code className="copyable" data-snippet>
            {snippet}
          </code>
          <CopyButton text={snippet} />
        </div>
      </div>
    );
  },
};
