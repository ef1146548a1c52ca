import { i18next } from '../../i18n';
import { messagingInboxForm } from './messaging-form';

/** SMS: set-up steps, settings, webhook URL and "check connection" (see messaging-form.tsx). */
i18next.addResourceBundle('nl', 'translation', { inboxForm: { sms: {"intro": "Sms via Twilio. Lange berichten worden in delen verstuurd; wie STOP stuurt, krijgt geen sms meer tot START.", "steps": ["Kopieer in de Twilio-console de Account SID en het Auth Token.", "Vul het Twilio-nummer in als E.164 (bijv. +3197010200300).", "Zet na het opslaan bij het nummer onder \"A message comes in\" het webhook-adres (HTTP POST)."]} } }, true, true);
i18next.addResourceBundle('en', 'translation', { inboxForm: { sms: {"intro": "SMS through Twilio. Long messages go out in segments; whoever sends STOP gets no SMS until START.", "steps": ["Copy the Account SID and Auth Token from the Twilio console.", "Enter the Twilio number in E.164 form (e.g. +3197010200300).", "After saving, set the number’s \"A message comes in\" webhook to the webhook address (HTTP POST)."]} } }, true, true);

export const smsInboxForm = messagingInboxForm('sms');
