import { i18next } from '../../i18n';
import { messagingInboxForm } from './messaging-form';

/** Messenger: set-up steps, settings, webhook URL and "check connection" (see messaging-form.tsx). */
i18next.addResourceBundle('nl', 'translation', { inboxForm: { messenger: {"intro": "Berichten aan uw Facebook-pagina komen binnen in deze inbox.", "steps": ["Maak in developers.facebook.com een app met het product Messenger en koppel uw pagina.", "Maak een paginatoegangstoken, kopieer het app-geheim en kies een verificatietoken.", "Plak na het opslaan het webhook-adres en het verificatietoken bij Messenger → Webhooks; abonneer op messages, message_deliveries en messaging_postbacks.", "Zet humanAgentTag alleen aan als Meta u de Human Agent-toestemming gaf: dan kunt u tot 7 dagen na het laatste klantbericht antwoorden."]} } }, true, true);
i18next.addResourceBundle('en', 'translation', { inboxForm: { messenger: {"intro": "Messages to your Facebook page arrive in this inbox.", "steps": ["In developers.facebook.com create an app with the Messenger product and connect your page.", "Create a page access token, copy the app secret and choose a verify token.", "After saving, paste the webhook address and the verify token under Messenger → Webhooks; subscribe to messages, message_deliveries and messaging_postbacks.", "Turn on humanAgentTag only when Meta granted you the Human Agent permission: then you can reply up to 7 days after the customer’s last message."]} } }, true, true);

export const messengerInboxForm = messagingInboxForm('messenger');
