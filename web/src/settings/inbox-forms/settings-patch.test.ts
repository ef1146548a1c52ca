import { describe, expect, it } from 'vitest';
import { settingsForSave } from './settings-patch';

const secretKeys = ['smtpPassword', 'imapPassword', 'identitySecret'];

describe('settingsForSave', () => {
  it('sends null for a public setting the inbox had and the admin emptied, in any way a form empties it', () => {
    const original = { address: 'hallo@example.nl', signature: 'Groet, Team', smtpHost: 'smtp.example.nl', smtpPort: 587, fromName: 'Team' };
    const edited = { address: 'hallo@example.nl', signature: '', smtpHost: undefined, smtpPort: null, fromName: '   ' };
    expect(settingsForSave(edited, { original, secretKeys })).toEqual({ address: 'hallo@example.nl', signature: null, smtpHost: null, smtpPort: null, fromName: null });
  });

  it('sends a setting that was dropped from the form object altogether as null too', () => {
    expect(settingsForSave({ address: 'a@example.nl' }, { original: { address: 'a@example.nl', signature: 'x' }, secretKeys })).toEqual({ address: 'a@example.nl', signature: null });
  });

  it('keeps false, 0 and empty lists: they are values, not empty fields', () => {
    expect(settingsForSave({ smtpSecure: false, imapPollMinutes: 0, allowedOrigins: [] }, { original: { smtpSecure: true, imapPollMinutes: 5, allowedOrigins: ['https://a.nl'] }, secretKeys })).toEqual({
      smtpSecure: false,
      imapPollMinutes: 0,
      allowedOrigins: [],
    });
  });

  it('leaves a stored secret alone when its field is left empty, replaces it when typed, clears it on an explicit null', () => {
    const original = { address: 'a@example.nl' };
    expect(settingsForSave({ address: 'a@example.nl', smtpPassword: '', imapPassword: undefined }, { original, secretKeys })).toEqual({ address: 'a@example.nl' });
    expect(settingsForSave({ address: 'a@example.nl', smtpPassword: 'nieuw-geheim' }, { original, secretKeys })).toEqual({ address: 'a@example.nl', smtpPassword: 'nieuw-geheim' });
    expect(settingsForSave({ identitySecret: null }, { original: {}, secretKeys })).toEqual({ identitySecret: null });
  });

  it('on a create leaves every empty field out (nothing is stored to clear)', () => {
    expect(settingsForSave({ address: 'a@example.nl', signature: '', smtpHost: null, smtpPassword: '', identitySecret: null }, { secretKeys })).toEqual({ address: 'a@example.nl' });
  });
});
