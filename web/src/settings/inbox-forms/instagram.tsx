import { i18next } from '../../i18n';
import { messagingInboxForm } from './messaging-form';

/** Instagram: set-up steps, settings, webhook URL and "check connection" (see messaging-form.tsx). */
i18next.addResourceBundle('nl', 'translation', { inboxForm: { instagram: {"intro": "Directe berichten aan uw Instagram-account komen binnen in deze inbox (antwoorden: alleen tekst).", "steps": ["Koppel uw professionele Instagram-account aan een Facebook-pagina en een Meta-app met Instagram-berichten.", "Vul het Instagram-account-ID in als pageId, met het toegangstoken, het app-geheim en een zelfgekozen verificatietoken.", "Plak na het opslaan het webhook-adres en het verificatietoken bij de Instagram-webhooks; abonneer op messages en messaging_seen."]} } }, true, true);
i18next.addResourceBundle('en', 'translation', { inboxForm: { instagram: {"intro": "Direct messages to your Instagram account arrive in this inbox (replies: text only).", "steps": ["Connect your professional Instagram account to a Facebook page and a Meta app with Instagram messaging.", "Enter the Instagram account id as pageId, with the access token, the app secret and a verify token of your choice.", "After saving, paste the webhook address and the verify token into the Instagram webhooks; subscribe to messages and messaging_seen."]} } }, true, true);

export const instagramInboxForm = messagingInboxForm('instagram');
