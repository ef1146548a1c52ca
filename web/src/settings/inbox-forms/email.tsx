import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { api, ApiError } from '../../api/client';
import type { InboxFormProps, InboxKindForm } from './registry';

/** E-mail inboxes: the support address, optional IMAP and SMTP accounts, DKIM, and two checks that say what is wrong. */
i18next.addResourceBundle('nl', 'translation', {
  inboxForm: {
    email: {
      intro: 'Laat uw mailserver mail voor dit adres doorsturen naar de SMTP-poort van Balie, of koppel een IMAP-postvak. Antwoorden gaan via de SMTP-server hieronder (of de server van Balie).',
      address: 'Supportadres',
      fromName: 'Afzendernaam',
      signature: 'Handtekening van de inbox',
      imap: 'IMAP-postvak (optioneel)',
      smtp: 'Uitgaande mail via SMTP (optioneel)',
      dkim: 'DKIM-ondertekening (optioneel)',
      host: 'Server',
      port: 'Poort',
      secure: 'TLS vanaf de start (poort 465/993)',
      user: 'Gebruikersnaam',
      password: 'Wachtwoord',
      passwordSet: 'Er is een wachtwoord ingesteld; vul alleen in om het te vervangen.',
      mailbox: 'Map',
      idle: 'Nieuwe mail direct ophalen (IMAP IDLE)',
      idleHint: 'Balie houdt een verbinding open en haalt nieuwe mail binnen een paar seconden op, als de server IDLE ondersteunt. Uit: alleen periodiek ophalen.',
      pollMinutes: 'Ophalen elke … minuten',
      pollHint: 'Zonder IDLE (of als IDLE uitvalt) haalt Balie het postvak zo vaak op. Standaard elke minuut.',
      trustedHops: 'Received-headers van uw provider',
      trustedHopsHint: 'Voor SPF en DMARC van opgehaalde mail: hoeveel van de bovenste Received-headers uw mailprovider zelf toevoegt. Standaard 1 (de MX van de provider levert direct in het postvak af); 0 gebruikt ze niet.',
      authServId: 'Authserv-id van uw provider (optioneel)',
      authServIdHint: 'Bijvoorbeeld mx.google.com. Alleen Authentication-Results van deze server (boven de Received-headers van de provider) worden geloofd; die van de afzender nooit.',
      senderLimit: 'Maximaal aantal mails per afzender per uur',
      senderLimitHint: 'Wat een afzender daarboven stuurt (een mail-lus, een vloed) komt in quarantaine met de reden, niet in een gesprek. Standaard 60.',
      dkimDomain: 'Domein',
      dkimSelector: 'Selector',
      dkimKey: 'Privésleutel (PEM)',
      dkimKeySet: 'Er is een sleutel ingesteld; plak alleen een nieuwe om hem te vervangen.',
      saveFirst: 'Sla de inbox eerst op; daarna kunt u de verbindingen testen.',
      testTo: 'Testmail naar',
      sendTest: 'Testmail versturen',
      checkImap: 'IMAP controleren',
      busy: 'Bezig…',
      ok: 'Gelukt: {{detail}}',
      failed: 'Mislukt ({{code}}): {{message}}',
    },
  },
}, true, true);
i18next.addResourceBundle('en', 'translation', {
  inboxForm: {
    email: {
      intro: 'Have your mail server forward mail for this address to Balie’s SMTP port, or connect an IMAP mailbox. Replies go out through the SMTP server below (or Balie’s own).',
      address: 'Support address',
      fromName: 'Sender name',
      signature: 'Inbox signature',
      imap: 'IMAP mailbox (optional)',
      smtp: 'Outgoing mail through SMTP (optional)',
      dkim: 'DKIM signing (optional)',
      host: 'Server',
      port: 'Port',
      secure: 'TLS from the start (port 465/993)',
      user: 'User name',
      password: 'Password',
      passwordSet: 'A password is set; fill this in only to replace it.',
      mailbox: 'Folder',
      idle: 'Fetch new mail immediately (IMAP IDLE)',
      idleHint: 'Balie keeps a connection open and fetches new mail within seconds when the server supports IDLE. Off: fetch on a schedule only.',
      pollMinutes: 'Fetch every … minutes',
      pollHint: 'Without IDLE (or while IDLE is down) Balie checks the mailbox this often. Default: every minute.',
      trustedHops: 'Received headers from your provider',
      trustedHopsHint: 'For SPF and DMARC of fetched mail: how many of the topmost Received headers your mail provider adds itself. Default 1 (the provider’s MX delivers straight to the mailbox); 0 does not use them.',
      authServId: 'Your provider’s authserv-id (optional)',
      authServIdHint: 'For example mx.google.com. Only Authentication-Results from this server (above the provider’s Received headers) are believed; the sender’s never.',
      senderLimit: 'Most mails per sender per hour',
      senderLimitHint: 'What a sender sends beyond this (a mail loop, a flood) is quarantined with the reason instead of becoming a conversation. Default 60.',
      dkimDomain: 'Domain',
      dkimSelector: 'Selector',
      dkimKey: 'Private key (PEM)',
      dkimKeySet: 'A key is set; paste a new one only to replace it.',
      saveFirst: 'Save the inbox first; then you can test the connections.',
      testTo: 'Test mail to',
      sendTest: 'Send test mail',
      checkImap: 'Check IMAP',
      busy: 'Working…',
      ok: 'Done: {{detail}}',
      failed: 'Failed ({{code}}): {{message}}',
    },
  },
}, true, true);

type Check = { ok: true; detail?: string } | { ok: false; code: string; message: string };

function EmailInboxForm({ inbox, settings, onChange, errors }: InboxFormProps) {
  const { t } = useTranslation();
  const str = (k: string) => (typeof settings[k] === 'string' ? (settings[k] as string) : '');
  // An emptied field is left empty here; the editor sends null for a stored setting and leaves secrets alone.
  const set = (k: string, v: unknown) => onChange({ ...settings, [k]: v === '' ? undefined : v });
  const text = (k: string, label: string, type = 'text', hint?: string) => (
    <div className={`field${errors[k] ? ' field-error' : ''}`}>
      <label htmlFor={`email-${k}`}>{label}</label>
      <input
        id={`email-${k}`}
        className="input"
        type={type}
        value={str(k)}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        placeholder={type === 'password' && isSet(k) ? '••••••••' : undefined}
        onChange={(e) => set(k, e.target.value)}
        aria-invalid={errors[k] ? true : undefined}
      />
      {hint ? <p className="hint">{hint}</p> : null}
      {errors[k] ? <p className="error-text">{errors[k]}</p> : null}
    </div>
  );
  const num = (k: string, label: string) => (
    <div className={`field${errors[k] ? ' field-error' : ''}`}>
      <label htmlFor={`email-${k}`}>{label}</label>
      <input id={`email-${k}`} className="input" type="number" min={1} max={65535} value={typeof settings[k] === 'number' ? String(settings[k]) : ''} onChange={(e) => set(k, e.target.value ? Number(e.target.value) : '')} />
      {errors[k] ? <p className="error-text">{errors[k]}</p> : null}
    </div>
  );
  const bounded = (k: string, label: string, hint: string, min: number, max: number, placeholder: string) => (
    <div className={`field${errors[k] ? ' field-error' : ''}`}>
      <label htmlFor={`email-${k}`}>{label}</label>
      <input
        id={`email-${k}`}
        className="input"
        type="number"
        min={min}
        max={max}
        placeholder={placeholder}
        value={typeof settings[k] === 'number' ? String(settings[k]) : ''}
        onChange={(e) => set(k, e.target.value ? Number(e.target.value) : '')}
        aria-describedby={`email-${k}-hint`}
        aria-invalid={errors[k] ? true : undefined}
      />
      <p className="hint" id={`email-${k}-hint`}>
        {hint}
      </p>
      {errors[k] ? <p className="error-text">{errors[k]}</p> : null}
    </div>
  );
  const bool = (k: string, label: string) => (
    <label className="checkbox">
      <input type="checkbox" checked={settings[k] === true} onChange={(e) => onChange({ ...settings, [k]: e.target.checked })} /> {label}
    </label>
  );
  const isSet = (k: string) => inbox?.secretsSet.includes(k) ?? false;
  return (
    <div className="stack">
      <p className="muted">{t('inboxForm.email.intro')}</p>
      {text('address', t('inboxForm.email.address'), 'email')}
      {text('fromName', t('inboxForm.email.fromName'))}
      <div className="field">
        <label htmlFor="email-signature">{t('inboxForm.email.signature')}</label>
        <textarea id="email-signature" className="input" rows={3} value={str('signature')} onChange={(e) => set('signature', e.target.value)} />
      </div>
      {bounded('senderLimitPerHour', t('inboxForm.email.senderLimit'), t('inboxForm.email.senderLimitHint'), 1, 10000, '60')}
      <fieldset className="stack">
        <legend>{t('inboxForm.email.imap')}</legend>
        {text('imapHost', t('inboxForm.email.host'))}
        {num('imapPort', t('inboxForm.email.port'))}
        {bool('imapSecure', t('inboxForm.email.secure'))}
        {text('imapUser', t('inboxForm.email.user'))}
        {text('imapPassword', t('inboxForm.email.password'), 'password', isSet('imapPassword') ? t('inboxForm.email.passwordSet') : undefined)}
        {text('imapMailbox', t('inboxForm.email.mailbox'))}
        <label className="checkbox">
          {/* Unset means on: IDLE is used whenever the server offers it. */}
          <input type="checkbox" checked={settings.imapIdle !== false} onChange={(e) => onChange({ ...settings, imapIdle: e.target.checked })} aria-describedby="email-imapIdle-hint" /> {t('inboxForm.email.idle')}
        </label>
        <p className="hint" id="email-imapIdle-hint">
          {t('inboxForm.email.idleHint')}
        </p>
        <div className={`field${errors.imapPollMinutes ? ' field-error' : ''}`}>
          <label htmlFor="email-imapPollMinutes">{t('inboxForm.email.pollMinutes')}</label>
          <input
            id="email-imapPollMinutes"
            className="input"
            type="number"
            min={1}
            max={60}
            placeholder="1"
            value={typeof settings.imapPollMinutes === 'number' ? String(settings.imapPollMinutes) : ''}
            onChange={(e) => set('imapPollMinutes', e.target.value ? Number(e.target.value) : '')}
            aria-describedby="email-imapPollMinutes-hint"
          />
          <p className="hint" id="email-imapPollMinutes-hint">
            {t('inboxForm.email.pollHint')}
          </p>
          {errors.imapPollMinutes ? <p className="error-text">{errors.imapPollMinutes}</p> : null}
        </div>
        {bounded('imapTrustedHops', t('inboxForm.email.trustedHops'), t('inboxForm.email.trustedHopsHint'), 0, 10, '1')}
        {text('imapAuthServId', t('inboxForm.email.authServId'), 'text', t('inboxForm.email.authServIdHint'))}
      </fieldset>
      <fieldset className="stack">
        <legend>{t('inboxForm.email.smtp')}</legend>
        {text('smtpHost', t('inboxForm.email.host'))}
        {num('smtpPort', t('inboxForm.email.port'))}
        {bool('smtpSecure', t('inboxForm.email.secure'))}
        {text('smtpUser', t('inboxForm.email.user'))}
        {text('smtpPassword', t('inboxForm.email.password'), 'password', isSet('smtpPassword') ? t('inboxForm.email.passwordSet') : undefined)}
      </fieldset>
      <fieldset className="stack">
        <legend>{t('inboxForm.email.dkim')}</legend>
        {text('dkimDomain', t('inboxForm.email.dkimDomain'))}
        {text('dkimSelector', t('inboxForm.email.dkimSelector'))}
        <div className="field">
          <label htmlFor="email-dkimPrivateKey">{t('inboxForm.email.dkimKey')}</label>
          <textarea id="email-dkimPrivateKey" className="input" rows={3} value={str('dkimPrivateKey')} onChange={(e) => set('dkimPrivateKey', e.target.value)} />
          {isSet('dkimPrivateKey') ? <p className="hint">{t('inboxForm.email.dkimKeySet')}</p> : null}
          {errors.dkimPrivateKey ? <p className="error-text">{errors.dkimPrivateKey}</p> : null}
        </div>
      </fieldset>
      {inbox ? <ConnectionChecks inboxId={inbox.id} /> : <p className="hint">{t('inboxForm.email.saveFirst')}</p>}
    </div>
  );
}

function ConnectionChecks({ inboxId }: { inboxId: string }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState<'smtp' | 'imap' | null>(null);
  const [result, setResult] = useState<{ which: string; check: Check } | null>(null);
  const run = async (which: 'smtp' | 'imap') => {
    setBusy(which);
    setResult(null);
    try {
      const check =
        which === 'smtp'
          ? await api.post<Check>(`/api/v1/inboxes/${inboxId}/email/test-mail`, { to })
          : await api.post<Check>(`/api/v1/inboxes/${inboxId}/email/check-imap`, {});
      setResult({ which, check });
    } catch (err) {
      const e = err as ApiError;
      setResult({ which, check: { ok: false, code: e.code ?? 'error', message: e.message } });
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="stack email-checks">
      <div className="field">
        <label htmlFor="email-test-to">{t('inboxForm.email.testTo')}</label>
        <input id="email-test-to" className="input" type="email" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <div className="row">
        <button type="button" className="btn btn-small" disabled={!to || busy !== null} onClick={() => void run('smtp')}>
          {busy === 'smtp' ? t('inboxForm.email.busy') : t('inboxForm.email.sendTest')}
        </button>
        <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void run('imap')}>
          {busy === 'imap' ? t('inboxForm.email.busy') : t('inboxForm.email.checkImap')}
        </button>
      </div>
      {result ? (
        <p className={result.check.ok ? 'notice' : 'error-text'} role="status" data-check={result.which}>
          {result.check.ok ? t('inboxForm.email.ok', { detail: result.check.detail ?? '' }) : t('inboxForm.email.failed', { code: result.check.code, message: result.check.message })}
        </p>
      ) : null}
    </div>
  );
}

export const emailInboxForm: InboxKindForm = { Form: EmailInboxForm };
