import { i18next } from '../i18n';
import { voiceEn, voiceErrorsEn, voiceErrorsNl, voiceNl } from './texts';

/**
 * Registers the phone texts under `voice.*` (and their error codes under `errors.*`). Imported by every voice
 * component; the app shell imports it before i18next is initialised, so it waits for that when needed.
 */
const register = () => {
  i18next.addResourceBundle('nl', 'translation', { voice: voiceNl, errors: voiceErrorsNl }, true, true);
  i18next.addResourceBundle('en', 'translation', { voice: voiceEn, errors: voiceErrorsEn }, true, true);
};
if (i18next.isInitialized) register();
else i18next.on('initialized', register);
