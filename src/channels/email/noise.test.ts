import { describe, expect, it } from 'vitest';
import { isAutomaticMail, noiseKind } from './noise';

describe('auto-reply recognition (RFC 3834 and out-of-office patterns)', () => {
  it('reads Auto-Submitted, X-Autoreply, X-Autorespond and Precedence', () => {
    expect(noiseKind({ 'auto-submitted': 'auto-generated' }, 'Hallo', false)).toBe('auto_reply');
    expect(noiseKind({ 'auto-submitted': 'Auto-Replied; owner-email="x@y.test"' }, 'Hallo', false)).toBe('auto_reply');
    expect(noiseKind({ 'auto-submitted': 'no' }, 'Hallo', false)).toBeNull();
    expect(noiseKind({ 'auto-submitted': 'No ' }, 'Hallo', false)).toBeNull();
    expect(noiseKind({ 'x-autorespond': 'vacation' }, 'Hallo', false)).toBe('auto_reply');
    expect(noiseKind({ precedence: 'auto_reply' }, 'Hallo', false)).toBe('auto_reply');
    expect(noiseKind({ precedence: 'list' }, 'Hallo', false)).toBe('bulk');
    expect(noiseKind({ precedence: 'junk' }, 'Hallo', false)).toBe('bulk');
    expect(noiseKind({ 'list-id': '<klanten.lists.test>' }, 'Hallo', false)).toBe('bulk');
  });

  it('recognises out-of-office subjects in Dutch and English, also under Re:/Fwd:', () => {
    for (const s of ['Automatisch antwoord: Re: levering', 'Automatic reply: your order', 'AW: Automatische reactie', 'Out of Office: vraag', 'Re: Afwezigheidsassistent', 'Afwezig tot 12 augustus', 'Autoreply: bestelling', 'Vacation reply']) {
      expect(noiseKind({}, s, false), s).toBe('auto_reply');
    }
  });

  it('recognises how an out-of-office body opens', () => {
    for (const b of [
      'Dit is een automatisch antwoord. Ik ben tot maandag afwezig.',
      'This is an automatic reply. I will be back on Monday.',
      'Bedankt voor je e-mail. Ik ben momenteel afwezig en lees mijn mail vanaf 3 juni.',
      'Hello, thank you for your message. I am currently out of the office.',
      "I'm out of the office until Monday with limited access to e-mail.",
      'Ik ben afwezig tot en met vrijdag.',
      'Beste afzender,\nDeze melding komt van mijn afwezigheidsassistent.',
    ]) {
      expect(noiseKind({}, 'Re: Uw vraag [#12]', false, b), b).toBe('auto_reply');
    }
  });

  it('leaves ordinary customer mail alone', () => {
    expect(noiseKind({}, 'Vakantie naar Spanje: annuleren', false, 'Ik wil mijn vakantie annuleren.')).toBeNull();
    expect(noiseKind({}, 'Afwezig bij levering', false, 'Ik was afwezig, waar is mijn pakket?')).toBeNull();
    expect(noiseKind({}, 'Re: vraag', false, 'I only got an automatic reply from you, where is my answer?')).toBeNull();
    expect(noiseKind({}, 'Re: vraag', false, 'Ik kreeg alleen een automatisch antwoord. Waar blijft het echte?')).toBeNull();
    expect(noiseKind({}, 'Vraag over factuur', false, 'Bedankt voor je mail. Ik heb nog een vraag.')).toBeNull();
    expect(noiseKind({}, 'Vraag over factuur', true)).toBe('bounce');
  });

  it('treats auto-replies and list mail as automatic, bounces and people not', () => {
    expect([isAutomaticMail('auto_reply'), isAutomaticMail('bulk'), isAutomaticMail('bounce'), isAutomaticMail(null)]).toEqual([true, true, false, false]);
  });
});
