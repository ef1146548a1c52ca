import { useTranslation } from 'react-i18next';
import '../../voice/i18n';
import { useUsers } from '../../api/queries';
import { IconPlus, IconTrash } from '../../ui/icons';
import { CheckConnection } from './messaging-form';
import type { InboxFormProps, InboxKindForm } from './registry';

/**
 * A phone line (kind `voice`): the Twilio account, what callers hear in Dutch and English (greeting, closed text,
 * optional audio), the queue (timeout, ring time, voicemail, "press 1" callback) and which agents are rung on
 * which phone number. Opening hours are the inbox's calendar, saved on their own.
 */
type Texts = { greeting: string; closed: string; greetingAudioUrl?: string };
type Agent = { userId: string; number: string };
type Slots = { minutes: number; days: number; capacity: number };
/** src/domain/callback-slots.ts defaultSlotOptions. */
const DEFAULT_SLOTS: Slots = { minutes: 30, days: 5, capacity: 3 };
/** The server's defaults (src/channels/voice/adapter.ts), shown so a new line starts with something sayable. */
const DEFAULT_TEXTS: Record<'nl' | 'en', Texts> = {
  nl: { greeting: 'Welkom bij onze klantenservice.', closed: 'We zijn nu gesloten. Tijdens openingstijden helpen we u graag.' },
  en: { greeting: 'Welcome to our customer service.', closed: 'We are closed right now. We are happy to help you during opening hours.' },
};

function VoiceForm({ inbox, settings, onChange, errors }: InboxFormProps) {
  const { t } = useTranslation();
  const users = useUsers().data ?? [];
  const set = (patch: Record<string, unknown>) => onChange({ ...settings, ...patch });
  const texts = (settings.texts as Record<'nl' | 'en', Texts> | undefined) ?? DEFAULT_TEXTS;
  const agents = (settings.agents as Agent[] | undefined) ?? [];
  const setText = (lang: 'nl' | 'en', key: keyof Texts, value: string) => {
    const next = { ...texts[lang], [key]: value };
    if (key === 'greetingAudioUrl' && !value.trim()) delete next.greetingAudioUrl;
    set({ texts: { ...texts, [lang]: next } });
  };
  const setAgents = (list: Agent[]) => set({ agents: list });
  const slots = { ...DEFAULT_SLOTS, ...(settings.callbackSlots as Partial<Slots> | undefined) };
  const setSlots = (patch: Partial<Slots>) => set({ callbackSlots: { ...slots, ...patch } });
  const err = (k: string) => errors[k] ?? Object.entries(errors).find(([p]) => p.startsWith(`${k}.`))?.[1];
  const num = (k: string, fallback: number) => (typeof settings[k] === 'number' ? (settings[k] as number) : fallback);
  const text = (label: string, key: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input className="input" value={String(settings[key] ?? '')} onChange={(e) => set({ [key]: e.target.value || undefined })} aria-invalid={err(key) ? true : undefined} {...props} />
      {err(key) ? <span className="error-text">{err(key)}</span> : null}
    </label>
  );
  return (
    <div className="stack voice-form">
      <p className="muted">{t('voice.settings.intro')}</p>
      <details className="setup-steps" open={!inbox}>
        <summary>{t('voice.settings.steps')}</summary>
        <ol>
          <li>{t('voice.settings.step1')}</li>
          <li>{t('voice.settings.step2')}</li>
          <li>{t('voice.settings.step3')}</li>
        </ol>
      </details>
      <fieldset className="stack">
        <legend>{t('voice.settings.account')}</legend>
        {text(`${t('voice.settings.accountSid')} *`, 'accountSid', { required: true, placeholder: 'AC…' })}
        <label className="field">
          <span>{t('voice.settings.authToken')}{inbox?.secretsSet.includes('authToken') ? '' : ' *'}</span>
          <input className="input" type="password" autoComplete="off" value={String(settings.authToken ?? '')} onChange={(e) => set({ authToken: e.target.value || undefined })} required={!inbox?.secretsSet.includes('authToken')} />
          {inbox?.secretsSet.includes('authToken') ? <span className="hint">{t('voice.settings.authTokenSet')}</span> : null}
          {err('authToken') ? <span className="error-text">{err('authToken')}</span> : null}
        </label>
        {text(`${t('voice.settings.phoneNumber')} *`, 'phoneNumber', { required: true, type: 'tel', placeholder: '+3197010200300' })}
        {inbox?.webhookUrl ? (
          <div className="field">
            <span className="label">{t('inboxForm.messaging.webhookUrl')}</span>
            <code className="copyable" data-testid="provider-webhook-url">
              {inbox.webhookUrl}
            </code>
          </div>
        ) : null}
        {inbox ? <CheckConnection inbox={inbox} /> : null}
      </fieldset>
      <fieldset className="stack">
        <legend>{t('voice.settings.texts')}</legend>
        <label className="field">
          <span>{t('voice.settings.language')}</span>
          <select className="input" value={String(settings.language ?? 'nl')} onChange={(e) => set({ language: e.target.value })}>
            <option value="nl">{t('voice.settings.nl')}</option>
            <option value="en">{t('voice.settings.en')}</option>
          </select>
        </label>
        <div className="voice-texts">
          {(['nl', 'en'] as const).map((lang) => (
            <div key={lang} className="stack" lang={lang}>
              <h4>{t(`voice.settings.${lang}`)}</h4>
              <label className="field">
                <span>{t('voice.settings.greeting')}</span>
                <textarea className="input" rows={2} maxLength={1000} value={texts[lang].greeting} onChange={(e) => setText(lang, 'greeting', e.target.value)} aria-invalid={err(`texts.${lang}.greeting`) ? true : undefined} />
              </label>
              <label className="field">
                <span>{t('voice.settings.closed')}</span>
                <textarea className="input" rows={2} maxLength={1000} value={texts[lang].closed} onChange={(e) => setText(lang, 'closed', e.target.value)} aria-invalid={err(`texts.${lang}.closed`) ? true : undefined} />
              </label>
              <label className="field">
                <span>{t('voice.settings.audio')}</span>
                <input className="input" type="url" value={texts[lang].greetingAudioUrl ?? ''} onChange={(e) => setText(lang, 'greetingAudioUrl', e.target.value)} placeholder="https://…/welkom.mp3" />
              </label>
              {err(`texts.${lang}`) ? <span className="error-text">{err(`texts.${lang}`)}</span> : null}
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset className="stack">
        <legend>{t('voice.settings.queue')}</legend>
        <label className="field">
          <span>{t('voice.settings.queueTimeout')}</span>
          <input className="input" type="number" min={10} max={1800} value={num('queueTimeoutSeconds', 120)} onChange={(e) => set({ queueTimeoutSeconds: Number(e.target.value) })} />
          {err('queueTimeoutSeconds') ? <span className="error-text">{err('queueTimeoutSeconds')}</span> : null}
        </label>
        <label className="field">
          <span>{t('voice.settings.ringSeconds')}</span>
          <input className="input" type="number" min={5} max={60} value={num('ringSeconds', 20)} onChange={(e) => set({ ringSeconds: Number(e.target.value) })} />
          {err('ringSeconds') ? <span className="error-text">{err('ringSeconds')}</span> : null}
        </label>
        <label className="checkbox-field">
          <input type="checkbox" checked={settings.voicemail !== false} onChange={(e) => set({ voicemail: e.target.checked })} /> {t('voice.settings.voicemail')}
        </label>
        <label className="checkbox-field">
          <input type="checkbox" checked={settings.callbackOffer !== false} onChange={(e) => set({ callbackOffer: e.target.checked })} /> {t('voice.settings.callbackOffer')}
        </label>
      </fieldset>
      <fieldset className="stack">
        <legend>{t('voice.settings.agents')}</legend>
        <p className="hint">{t('voice.settings.agentsHint')}</p>
        {agents.map((a, i) => {
          const name = users.find((u) => u.id === a.userId)?.name ?? '';
          return (
            <div key={i} className="attr-row voice-agent">
              <select className="input" aria-label={t('voice.settings.agent')} value={a.userId} onChange={(e) => setAgents(agents.map((x, j) => (j === i ? { ...x, userId: e.target.value } : x)))}>
                <option value="">{t('voice.settings.agent')}…</option>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
              <input className="input" type="tel" aria-label={t('voice.settings.agentNumber')} placeholder="+316…" value={a.number} onChange={(e) => setAgents(agents.map((x, j) => (j === i ? { ...x, number: e.target.value.replace(/[\s-]/g, '') } : x)))} aria-invalid={err(`agents.${i}`) ? true : undefined} />
              <button type="button" className="icon-btn" aria-label={t('voice.settings.removeAgent', { name })} onClick={() => setAgents(agents.filter((_, j) => j !== i))}>
                <IconTrash />
              </button>
              {err(`agents.${i}`) ? <span className="error-text">{err(`agents.${i}`)}</span> : null}
            </div>
          );
        })}
        <button type="button" className="link-btn" onClick={() => setAgents([...agents, { userId: '', number: '' }])}>
          <IconPlus /> {t('voice.settings.addAgent')}
        </button>
      </fieldset>
      <fieldset className="stack">
        <legend>{t('voice.settings.slots')}</legend>
        <p className="hint">{t('voice.settings.slotsHint')}</p>
        <div className="voice-slot-fields">
          <label className="field">
            <span>{t('voice.settings.slotMinutes')}</span>
            <select className="input" value={slots.minutes} onChange={(e) => setSlots({ minutes: Number(e.target.value) })}>
              {[15, 20, 30, 45, 60].map((m) => (
                <option key={m} value={m}>
                  {t('voice.settings.minutes', { count: m })}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('voice.settings.slotDays')}</span>
            <input className="input" type="number" min={1} max={20} value={slots.days} onChange={(e) => setSlots({ days: Number(e.target.value) })} aria-invalid={err('callbackSlots.days') ? true : undefined} />
            {err('callbackSlots.days') ? <span className="error-text">{err('callbackSlots.days')}</span> : null}
          </label>
          <label className="field">
            <span>{t('voice.settings.slotCapacity')}</span>
            <input className="input" type="number" min={1} max={100} value={slots.capacity} onChange={(e) => setSlots({ capacity: Number(e.target.value) })} aria-invalid={err('callbackSlots.capacity') ? true : undefined} />
            {err('callbackSlots.capacity') ? <span className="error-text">{err('callbackSlots.capacity')}</span> : null}
          </label>
        </div>
      </fieldset>
    </div>
  );
}

export const voiceInboxForm: InboxKindForm = {
  Form: VoiceForm,
  hoursHintKey: 'voice.settings.hoursHint',
  AfterCreate: ({ inbox }) =>
    inbox.webhookUrl ? (
      <div className="field">
        <code className="copyable" data-testid="provider-webhook-url">
          {inbox.webhookUrl}
        </code>
      </div>
    ) : null,
};
