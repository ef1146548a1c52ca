import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { useInboxes } from '../../api/queries';
import { messagingInboxForm } from './messaging-form';

/** WhatsApp: set-up steps, settings, webhook URL and "check connection" (see messaging-form.tsx). */
i18next.addResourceBundle('nl', 'translation', { inboxForm: { whatsapp: {"intro": "Klanten schrijven u via WhatsApp (Cloud API van Meta). Antwoorden kan vrij binnen 24 uur na het laatste bericht van de klant; daarna alleen met een goedgekeurde sjabloon.", "steps": ["Maak in developers.facebook.com een app met het product WhatsApp.", "Noteer het Phone number ID en het WhatsApp Business Account ID, maak een permanent toegangstoken (systeemgebruiker) en kopieer het app-geheim (App settings → Basic).", "Kies zelf een verificatietoken en vul alles hieronder in.", "Plak na het opslaan het webhook-adres en hetzelfde verificatietoken bij WhatsApp → Configuration en abonneer op het veld \"messages\".", "Optioneel: kies bij Sms-fallback een sms-inbox die berichten overneemt die WhatsApp niet kan bezorgen."], "fallback": { "label": "Sms-fallback", "hint": "Een bericht dat WhatsApp niet kan bezorgen (buiten het 24-uursvenster zonder sjabloon, of mislukt) gaat via deze sms-inbox naar het telefoonnummer van de klant.", "none": "Geen (niet via sms versturen)", "unknown": "Onbekende of gearchiveerde inbox", "noSms": "Er is nog geen sms-inbox; maak er eerst een aan om sms-fallback te gebruiken." }} } }, true, true);
i18next.addResourceBundle('en', 'translation', { inboxForm: { whatsapp: {"intro": "Customers write to you on WhatsApp (Meta’s Cloud API). Free-form replies are allowed within 24 hours of the customer’s last message; after that only an approved template.", "steps": ["In developers.facebook.com create an app with the WhatsApp product.", "Note the Phone number ID and the WhatsApp Business Account ID, create a permanent access token (system user) and copy the app secret (App settings → Basic).", "Choose a verify token yourself and fill everything in below.", "After saving, paste the webhook address and the same verify token under WhatsApp → Configuration and subscribe to the \"messages\" field.", "Optional: under SMS fallback choose an SMS inbox that takes over messages WhatsApp cannot deliver."], "fallback": { "label": "SMS fallback", "hint": "A message WhatsApp cannot deliver (outside the 24-hour window without a template, or failed) goes to the customer’s phone number through this SMS inbox.", "none": "None (do not send by SMS)", "unknown": "Unknown or archived inbox", "noSms": "There is no SMS inbox yet; create one first to use the SMS fallback." }} } }, true, true);

/**
 * The fallback inbox is chosen from the workspace's SMS inboxes, not typed as an id. "None" sends `null`, which
 * removes a stored fallback (leaving the key out would keep it). A stored inbox that is no longer listed (archived)
 * stays visible as such, so saving does not silently drop or keep it unseen; the server checks the choice again.
 */
function FallbackInboxSelect({ id, value, set, invalid }: { id: string; value: unknown; set(v: unknown): void; invalid: boolean }) {
  const { t } = useTranslation();
  const smsInboxes = (useInboxes().data ?? []).filter((i) => i.kind === 'sms');
  const current = typeof value === 'string' ? value : '';
  const listed = !current || smsInboxes.some((i) => i.id === current);
  return (
    <>
      <select id={id} className="input" value={current} onChange={(e) => set(e.target.value || null)} aria-invalid={invalid || undefined}>
        <option value="">{t('inboxForm.whatsapp.fallback.none')}</option>
        {smsInboxes.map((i) => (
          <option key={i.id} value={i.id}>
            {i.name}
          </option>
        ))}
        {listed ? null : <option value={current}>{t('inboxForm.whatsapp.fallback.unknown')}</option>}
      </select>
      {smsInboxes.length === 0 ? <p className="hint">{t('inboxForm.whatsapp.fallback.noSms')}</p> : null}
    </>
  );
}

export const whatsappInboxForm = messagingInboxForm('whatsapp', {
  fallbackInboxId: { labelKey: 'inboxForm.whatsapp.fallback.label', hintKey: 'inboxForm.whatsapp.fallback.hint', render: (p) => <FallbackInboxSelect {...p} /> },
});
