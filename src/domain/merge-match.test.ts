import { describe, expect, it } from 'vitest';
import { isFreemailDomain, matchReason, type MatchableContact } from './merge-match';

const c = (over: Partial<MatchableContact>): MatchableContact => ({ id: 'x', name: 'Jan Jansen', email: null, phone: null, attributes: {}, identities: [], ...over });

describe('freemail domains', () => {
  it.each(['gmail.com', 'GMAIL.COM', 'outlook.com', 'hotmail.co.uk', 'live.nl', 'yahoo.fr', 'icloud.com', 'ziggo.nl', 'kpnmail.nl', 'hetnet.nl', 'home.nl', 'planet.nl', 'xs4all.nl', 'me.com', 'telenet.be'])('%s is freemail', (d) => {
    expect(isFreemailDomain(d)).toBe(true);
  });
  it.each(['acme.nl', 'home.example', 'online-shop.nl', 'mail.acme.nl', 'gemeente.amsterdam.nl', 'planet-fitness.com'])('%s is a company domain', (d) => {
    expect(isFreemailDomain(d)).toBe(false);
  });
});

describe('matchReason', () => {
  it('matches the same name and phone, however the number is written', () => {
    const a = c({ identities: [{ kind: 'email', value: 'jan@gmail.com' }], attributes: { telefoon: '06-1234 5678' } });
    const b = c({ name: '  jan  JANSEN ', identities: [{ kind: 'phone', value: '+31612345678' }] });
    expect(matchReason(a, b)).toEqual({ reason: 'same_name_phone', detail: '+31612345678' });
  });

  it('matches the same name and company domain, never a freemail domain', () => {
    const a = c({ identities: [{ kind: 'email', value: 'jan@acme.nl' }] });
    expect(matchReason(a, c({ identities: [{ kind: 'email', value: 'j.jansen@acme.nl' }] }))).toEqual({ reason: 'same_name_domain', detail: 'acme.nl' });
    const g = c({ identities: [{ kind: 'email', value: 'jan@gmail.com' }] });
    expect(matchReason(g, c({ identities: [{ kind: 'email', value: 'jan.jansen@gmail.com' }] }))).toBeNull();
    expect(matchReason(g, c({ identities: [{ kind: 'email', value: 'jj@ziggo.nl' }] }))).toBeNull();
  });

  it('matches the same name on channels they do not share (messaging), not two accounts on one channel', () => {
    const tg = c({ name: 'Lotte Visser', identities: [{ kind: 'telegram', value: '1' }] });
    expect(matchReason(tg, c({ name: 'Lotte Visser', identities: [{ kind: 'messenger', value: '2' }] }))).toEqual({ reason: 'same_name' });
    expect(matchReason(tg, c({ name: 'Lotte Visser', identities: [{ kind: 'telegram', value: '3' }] }))).toBeNull();
  });

  it('needs the same name, and a real one', () => {
    const a = c({ identities: [{ kind: 'phone', value: '+31612345678' }] });
    expect(matchReason(a, c({ name: 'Piet Jansen', phone: '+31612345678' }))).toBeNull();
    expect(matchReason(c({ name: 'Jo', phone: '+31612345678' }), c({ name: 'jo', phone: '+31612345678' }))).toBeNull();
    expect(matchReason(c({ name: '', phone: '+31612345678' }), c({ name: '', phone: '+31612345678' }))).toBeNull();
  });
});
