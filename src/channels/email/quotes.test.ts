import { describe, expect, it } from 'vitest';
import { splitQuoted } from './quotes';
import { noiseKind } from './noise';

describe('quoted history and signatures', () => {
  it('folds Gmail, Apple Mail and Dutch attributions away', () => {
    expect(splitQuoted('Thanks!\n\nOn Mon, 3 Jun 2024 at 10:00, Acme <support@acme.test> wrote:\n> old text').body).toBe('Thanks!');
    expect(splitQuoted('Top.\n\nOp 3 jun. 2024 om 10:00 heeft Acme <support@acme.test> het volgende geschreven:\n\n> oud').body).toBe('Top.');
    const dutch = splitQuoted('Prima.\n\nOp ma 3 jun 2024 schreef Acme <support@acme.test>:\n> oud');
    expect(dutch.body).toBe('Prima.');
    expect(dutch.quote).toContain('> oud');
  });

  it('folds Outlook header blocks and mobile signatures', () => {
    const outlook = splitQuoted('Graag.\n\n________________________________\nVan: Acme <support@acme.test>\nVerzonden: maandag\nAan: jan@klant.test\nOnderwerp: x\n\noud');
    expect(outlook.body).toBe('Graag.');
    const mobile = splitQuoted('Ok\n\nSent from my iPhone');
    expect(mobile.body).toBe('Ok');
    expect(mobile.signature).toBe('Sent from my iPhone');
    const dashes = splitQuoted('Hoi\n-- \nJan\n06-12345678');
    expect(dashes).toMatchObject({ body: 'Hoi', signature: '-- \nJan\n06-12345678' });
  });

  it('keeps a message that is only a quote', () => {
    expect(splitQuoted('> only quoted').body).toBe('> only quoted');
  });
});

describe('auto-replies and list mail', () => {
  it('recognises RFC 3834 headers, X-Autoreply, Precedence and out-of-office subjects', () => {
    expect(noiseKind({ 'auto-submitted': 'auto-replied' }, 'Hallo', false)).toBe('auto_reply');
    expect(noiseKind({ 'auto-submitted': 'no' }, 'Hallo', false)).toBeNull();
    expect(noiseKind({ 'x-autoreply': 'yes' }, 'x', false)).toBe('auto_reply');
    expect(noiseKind({}, 'Automatisch antwoord: Re: levering', false)).toBe('auto_reply');
    expect(noiseKind({}, 'Out of Office: your question', false)).toBe('auto_reply');
    expect(noiseKind({}, 'Afwezig tot maandag', false)).toBe('auto_reply');
    expect(noiseKind({ precedence: 'bulk' }, 'Nieuwsbrief', false)).toBe('bulk');
    expect(noiseKind({}, 'Vraag over factuur', true)).toBe('bounce');
    expect(noiseKind({}, 'Vraag over factuur', false)).toBeNull();
  });
});
