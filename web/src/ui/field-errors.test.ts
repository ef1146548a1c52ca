import { beforeAll, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { en } from '../i18n/en';
import { nl } from '../i18n/nl';
import { fieldErrorText, fieldErrors } from './field';

const i18n = i18next.createInstance();
beforeAll(() => i18n.init({ resources: { nl: { translation: nl }, en: { translation: en } }, lng: 'nl', fallbackLng: 'en', interpolation: { escapeValue: false }, showSupportNotice: false }));

/** A server 422's field issues shown in the user's language by their code, the server's text for unknown codes. */
describe('field errors from the server', () => {
  const t = (lng: string) => i18n.getFixedT(lng) as (k: string, o?: Record<string, unknown>) => string;

  it('says a known code with its limit in Dutch and English', () => {
    const issue = { path: 'statusLinkDays', message: 'Too small: expected number to be >=1', code: 'too_small', params: { minimum: 1, origin: 'number' } };
    expect(fieldErrorText(t('nl'), issue)).toBe('Moet minstens 1 zijn.');
    expect(fieldErrorText(t('en'), issue)).toBe('Must be at least 1.');
    expect(fieldErrorText(t('nl'), { path: 'x', message: 'm', code: 'too_big', params: { maximum: 60, origin: 'number' } })).toBe('Mag hoogstens 60 zijn.');
    expect(fieldErrorText(t('en'), { path: 'x', message: 'must be later than start', code: 'end_before_start' })).toBe('The closing time must be later than the opening time.');
    expect(fieldErrorText(t('nl'), { path: 'calendar.timeZone', message: 'unknown IANA time zone', code: 'unknown_time_zone' })).toBe('Onbekende tijdzone; gebruik een naam zoals Europe/Amsterdam.');
  });

  it('says an empty required text as "fill this in", not "at least 1 characters"', () => {
    expect(fieldErrorText(t('nl'), { path: 'name', message: 'Too small', code: 'too_small', params: { minimum: 1, origin: 'string' } })).toBe('Vul dit in.');
  });

  it('falls back to the server message for an unknown code or none', () => {
    expect(fieldErrorText(t('nl'), { path: 'phone', message: 'must be a phone number in E.164 form', code: 'invalid_format' })).toBe('must be a phone number in E.164 form');
    expect(fieldErrorText(t('nl'), { path: 'teamId', message: 'is not a team of this workspace' })).toBe('is not a team of this workspace');
  });

  it('keys by path without the prefix, first issue per field, translated only when given a t', () => {
    const fields = [
      { path: 'settings.imapPollMinutes', message: 'Too big', code: 'too_big', params: { maximum: 60, origin: 'number' } },
      { path: 'settings.imapPollMinutes', message: 'second', code: 'invalid' },
    ];
    expect(fieldErrors(fields, 'settings', t('en'))).toEqual({ imapPollMinutes: 'Must be at most 60.' });
    expect(fieldErrors(fields, 'settings')).toEqual({ imapPollMinutes: 'Too big' });
  });
});
