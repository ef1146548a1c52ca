import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import type { InboxFormProps, InboxKindForm } from './registry';
import { SecretsOnce } from '../common';

/** The API channel: any system brings messages in over HTTP and gets the agents' replies as signed webhooks. */
i18next.addResourceBundle('nl', 'translation', {
  inboxForm: {
    api: {
      intro: 'Koppel elk eigen systeem: berichten komen binnen via de API, antwoorden van agents gaan ondertekend naar uw webhook.',
      webhookUrl: 'Webhook voor antwoorden',
      webhookHint: 'Balie stuurt elk antwoord van een agent als POST naar dit adres, ondertekend met X-Balie-Signature. Leeg laten: antwoorden alleen via de API en webhooks.',
      secret: 'Ondertekeningsgeheim',
      secretSet: 'Er is een geheim ingesteld. Vul een nieuw geheim in (minstens 16 tekens) om het te vervangen.',
      secretNew: 'Na het aanmaken krijgt u eenmalig een geheim te zien.',
      rotate: 'Nieuw geheim maken',
      rotated: 'Er wordt een nieuw geheim opgeslagen. Kopieer het nu; het wordt daarna niet meer getoond:',
      inboundTitle: 'Berichten aanleveren',
      inboundHint: 'Stuur klantberichten met een API-token naar:',
    },
  },
}, true, true);
i18next.addResourceBundle('en', 'translation', {
  inboxForm: {
    api: {
      intro: 'Connect any system of your own: messages come in through the API, agents’ replies go to your webhook, signed.',
      webhookUrl: 'Webhook for replies',
      webhookHint: 'Balie POSTs every agent reply to this address, signed with X-Balie-Signature. Leave it empty to get replies only through the API and webhooks.',
      secret: 'Signing secret',
      secretSet: 'A secret is set. Enter a new one (at least 16 characters) to replace it.',
      secretNew: 'After creating the inbox you will see a secret once.',
      rotate: 'Make a new secret',
      rotated: 'A new secret will be saved. Copy it now; it is not shown again:',
      inboundTitle: 'Sending messages in',
      inboundHint: 'Send customer messages with an API token to:',
    },
  },
}, true, true);

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function ApiInboxForm({ inbox, settings, onChange, errors }: InboxFormProps) {
  const { t } = useTranslation();
  const secret = typeof settings.webhookSecret === 'string' ? settings.webhookSecret : '';
  return (
    <div className="stack">
      <p className="muted">{t('inboxForm.api.intro')}</p>
      <div className={`field${errors.webhookUrl ? ' field-error' : ''}`}>
        <label htmlFor="api-webhook-url">{t('inboxForm.api.webhookUrl')}</label>
        <input
          id="api-webhook-url"
          className="input"
          type="url"
          placeholder="https://example.com/balie-replies"
          value={typeof settings.webhookUrl === 'string' ? settings.webhookUrl : ''}
          onChange={(e) => onChange({ ...settings, webhookUrl: e.target.value || (inbox ? null : undefined) })}
          aria-describedby="api-webhook-hint"
          aria-invalid={errors.webhookUrl ? true : undefined}
        />
        <p className="hint" id="api-webhook-hint">
          {t('inboxForm.api.webhookHint')}
        </p>
        {errors.webhookUrl ? <p className="error-text">{errors.webhookUrl}</p> : null}
      </div>
      <div className="field">
        <span className="label">{t('inboxForm.api.secret')}</span>
        <p className="hint">{inbox ? (inbox.secretsSet.includes('webhookSecret') ? t('inboxForm.api.secretSet') : '') : t('inboxForm.api.secretNew')}</p>
        {inbox ? (
          secret ? (
            <div className="notice">
              {t('inboxForm.api.rotated')} <code className="copyable">{secret}</code>
            </div>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => onChange({ ...settings, webhookSecret: randomSecret() })}>
              {t('inboxForm.api.rotate')}
            </button>
          )
        ) : null}
        {errors.webhookSecret ? <p className="error-text">{errors.webhookSecret}</p> : null}
      </div>
      {inbox ? <InboundHelp inboxId={inbox.id} /> : null}
    </div>
  );
}

function InboundHelp({ inboxId }: { inboxId: string }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <span className="label">{t('inboxForm.api.inboundTitle')}</span>
      <p className="hint">{t('inboxForm.api.inboundHint')}</p>
      <code className="copyable">POST {`${location.origin}/api/v1/inboxes/${inboxId}/inbound`}</code>
    </div>
  );
}

export const apiInboxForm: InboxKindForm = {
  Form: ApiInboxForm,
  AfterCreate: ({ inbox }) => (
    <>
      {inbox.generatedSecrets ? <SecretsOnce secrets={inbox.generatedSecrets} /> : null}
      <InboundHelp inboxId={inbox.id} />
    </>
  ),
};
