import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { nl } from './nl';

/**
 * Dutch and English, complete (a unit test compares the two key sets). The language is the user's choice,
 * else the workspace's, else the browser's; before login the browser's or the one picked on the login page.
 */
export type Language = 'nl' | 'en';
const STORAGE_KEY = 'balie.language';

export function browserLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'nl' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

export function initI18n() {
  const lng = browserLanguage();
  document.documentElement.lang = lng;
  return i18next.use(initReactI18next).init({
    resources: { nl: { translation: nl }, en: { translation: en } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export async function setLanguage(lng: Language, remember = true) {
  if (remember) localStorage.setItem(STORAGE_KEY, lng);
  document.documentElement.lang = lng;
  if (i18next.language !== lng) await i18next.changeLanguage(lng);
}

export const currentLanguage = (): Language => (i18next.language === 'nl' ? 'nl' : 'en');
export { i18next };
