import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { api } from '../../api/client';
import type { Inbox } from '../../api/types';
import type { InboxFormProps, InboxKindForm } from './registry';
import { GenericInboxForm, type CustomControl } from './generic';

/**
 * The shared shape of the messaging channels' settings forms (WhatsApp, Messenger, Instagram, Telegram, SMS):
 * the provider's set-up steps, the settings fields (from the server's schema), the webhook URL to paste into
 * the provider, and a "check connection" button. Each channel's own file supplies its texts and calls this.
 */
i18next.addResourceBundle('nl', 'translation', {
  inboxForm: {
    messaging: {
      steps: 'Zo koppelt u het',
      webhookUrl: 'Webhook-adres voor de provider',
      webhookHint: 'Plak dit adres in de instellingen van de provider.',
      check: 'Verbinding controleren',
      checking: 'Bezig met controleren…',
      ok: 'Verbinding werkt',
      failed: 'Verbinding mislukt',
      checkAfterCreate: 'Sla de inbox eerst op; daarna kunt u de verbinding controleren.',
      detail: {
        webhook_set: 'het webhook-adres staat goed bij het nummer',
        webhook_not_set: 'het nummer hoort bij dit account, maar het webhook-adres staat er nog niet bij',
      },
    },
  },
}, true, true);
i18next.addResourceBundle('en', 'translation', {
  inboxForm: {
    messaging: {
      steps: 'How to connect it',
      webhookUrl: 'Webhook address for the provider',
      webhookHint: 'Paste this address into the provider’s settings.',
      check: 'Check connection',
      checking: 'Checking…',
      ok: 'Connection works',
      failed: 'Connection failed',
      checkAfterCreate: 'Save the inbox first; then you can check the connection.',
      detail: {
        webhook_set: 'the number’s webhook is set to this address',
        webhook_not_set: 'the number belongs to this account, but its webhook is not set to this address yet',
      },
    },
  },
}, true, true);

type Check = { ok: true; detail: string | null } | { ok: false; code: string; message: string };

export function CheckConnection({ inbox }: { inbox: Pick<Inbox, 'id'> }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'busy' | Check>('idle');
  // A provider's own detail (page name, bot name) is shown as is; Balie's codes get a sentence.
  const detailText = (d: string) => (/^[a-z_]+$/.test(d) ? t(`inboxForm.messaging.detail.${d}`, { defaultValue: d }) : d);
  const run = async () => {
    setState('busy');
    try {
      setState(await api.post<Check>(`/api/v1/inboxes/${inbox.id}/check-connection`));
    } catch (err) {
      setState({ ok: false, code: 'request_failed', message: (err as Error).message });
    }
  };
  return (
    <div className="field">
      <button type="button" className="btn btn-small" onClick={run} disabled={state === 'busy'} data-testid="check-connection">
        {state === 'busy' ? t('inboxForm.messaging.checking') : t('inboxForm.messaging.check')}
      </button>
      {typeof state === 'object' ? (
        <p className={state.ok ? 'hint' : 'error-text'} role="status">
          {state.ok ? `✓ ${t('inboxForm.messaging.ok')}${state.detail ? ` — ${detailText(state.detail)}` : ''}` : `${t('inboxForm.messaging.failed')}: ${state.message}`}
        </p>
      ) : null}
    </div>
  );
}

function WebhookUrl({ url }: { url: string }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <span className="label">{t('inboxForm.messaging.webhookUrl')}</span>
      <code className="copyable" data-testid="provider-webhook-url">
        {url}
      </code>
      <p className="hint">{t('inboxForm.messaging.webhookHint')}</p>
    </div>
  );
}

/**
 * `kind` names the i18n block inboxForm.<kind> with `intro` and `steps` (an array of strings); `controls`
 * replaces the text box of a setting by a tailored control (WhatsApp's fallback inbox picker).
 */
export function messagingInboxForm(kind: string, controls?: Record<string, CustomControl>): InboxKindForm {
  function Form(props: InboxFormProps) {
    const { t } = useTranslation();
    const steps = t(`inboxForm.${kind}.steps`, { returnObjects: true }) as unknown;
    return (
      <div className="stack">
        <p className="muted">{t(`inboxForm.${kind}.intro`)}</p>
        {Array.isArray(steps) ? (
          <details className="setup-steps" open={!props.inbox}>
            <summary>{t('inboxForm.messaging.steps')}</summary>
            <ol>
              {steps.map((s, i) => (
                <li key={i}>{String(s)}</li>
              ))}
            </ol>
          </details>
        ) : null}
        <GenericInboxForm {...props} controls={controls} />
        {props.inbox?.webhookUrl ? <WebhookUrl url={props.inbox.webhookUrl} /> : null}
        {props.inbox ? <CheckConnection inbox={props.inbox} /> : <p className="hint">{t('inboxForm.messaging.checkAfterCreate')}</p>}
      </div>
    );
  }
  return {
    Form,
    AfterCreate: ({ inbox }) => (
      <>
        {inbox.webhookUrl ? <WebhookUrl url={inbox.webhookUrl} /> : null}
        <CheckConnection inbox={inbox} />
      </>
    ),
  };
}
