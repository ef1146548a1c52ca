import { i18next } from '../i18n';
import { voiceEn, voiceErrorsEn, voiceErrorsNl, voiceNl } from './texts';

/** Registers the phone texts under `voice.*` (imported by every voice component, so they load with them). */
i18next.addResourceBundle('nl', 'translation', { voice: voiceNl, errors: voiceErrorsNl }, true, true);
i18next.addResourceBundle('en', 'translation', { voice: voiceEn, errors: voiceErrorsEn }, true, true);
