import { describe, expect, it } from 'vitest';
import { callSummaryText } from './call-summary-text';

describe('the post-call confirmation text', () => {
  const base = { timeZone: 'Europe/Amsterdam', summary: 'Het modem is kapot.', nextStep: 'Monteur vervangt het modem', dueAt: new Date('2026-12-03T13:00:00Z'), link: 'https://balie.test/s/abc' };
  it('names the next step and its time, and asks "Klopt dit?" with the link', () => {
    expect(callSummaryText({ ...base, locale: 'nl', name: 'Sanne' })).toBe(
      'Hoi Sanne, zoals we aan de telefoon afspraken: Het modem is kapot. Volgende stap: Monteur vervangt het modem — uiterlijk donderdag 3 december om 14:00.\nKlopt dit? https://balie.test/s/abc',
    );
  });
  it('speaks English and still names a time without a next step', () => {
    const en = callSummaryText({ ...base, locale: 'en', nextStep: '' });
    expect(en).toMatch(/^Hi, as we agreed on the phone: Het modem is kapot\. You will hear from us by Thursday,? 3 December,? (at )?14:00\.\nIs this right\? https:\/\/balie\.test\/s\/abc$/);
  });
});
