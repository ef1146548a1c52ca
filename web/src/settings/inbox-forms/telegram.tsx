import { i18next } from '../../i18n';
import { messagingInboxForm } from './messaging-form';

/** Telegram: set-up steps, settings, webhook URL and "check connection" (see messaging-form.tsx). */
i18next.addResourceBundle('nl', 'translation', { inboxForm: { telegram: {"intro": "Klanten schrijven uw Telegram-bot; antwoorden gaan met correcte opmaak terug.", "steps": ["Maak een bot bij @BotFather met /newbot en kopieer het token.", "Kies een geheim token (16–256 tekens: letters, cijfers, _ en -).", "Sla op en klik op \"Verbinding controleren\": Balie registreert dan zelf de webhook bij Telegram."]} } }, true, true);
i18next.addResourceBundle('en', 'translation', { inboxForm: { telegram: {"intro": "Customers write to your Telegram bot; replies go back with correct formatting.", "steps": ["Create a bot with @BotFather (/newbot) and copy its token.", "Choose a secret token (16–256 characters: letters, digits, _ and -).", "Save and click \"Check connection\": Balie then registers the webhook with Telegram itself."]} } }, true, true);

export const telegramInboxForm = messagingInboxForm('telegram');
