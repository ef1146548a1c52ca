import { describe, expect, it } from 'vitest';
import { defaultTemplates, inSegment, matchesKeywords, optedOut, personalize, renderTemplates, scenarios, templateFor, textKeys } from './incident-templates';

const ctx = { timeZone: 'Europe/Amsterdam', now: new Date('2026-12-02T09:00:00Z') };

describe('incident templates', () => {
  it('ships every text for every scenario in Dutch and English', () => {
    for (const s of scenarios) for (const l of ['nl', 'en'] as const) for (const k of textKeys) expect(defaultTemplates[s][l][k].length, `${s}.${l}.${k}`).toBeGreaterThan(10);
  });

  it('fills declared variables, keeps {name} for the send step and reports missing ones', () => {
    const { texts, missing } = renderTemplates(templateFor('power_outage')!, { area: 'Utrecht-Oost' }, ctx);
    expect(texts.nl.banner).toContain('Utrecht-Oost');
    expect(texts.nl.email).toContain('{name}');
    expect(missing).toEqual(['expected']);
    expect(renderTemplates(templateFor('power_outage')!, { area: 'Utrecht', expected: { nl: 'vandaag om 18:00', en: 'today at 18:00' } }, ctx).missing).toEqual([]);
  });

  it('writes a date and time in each language on every surface, and text per language where given', () => {
    const { texts } = renderTemplates(templateFor('cable_break')!, { area: 'Utrecht-Oost', expected: '2026-12-04T18:00' }, ctx);
    for (const k of ['banner', 'sms', 'email_subject', 'email', 'whatsapp', 'ivr'] as const) {
      expect(texts.nl[k], k).toContain('vrijdag 4 december om 18:00');
      expect(texts.en[k], k).toContain('Friday 4 December at 18:00');
      expect(texts.en[k], k).not.toMatch(/vrijdag|december om/);
    }
    expect(texts.en.banner).toBe('Cable break in Utrecht-Oost: internet and TV are down there. The repair is expected to take until Friday 4 December at 18:00.');
    const free = renderTemplates(templateFor('power_outage')!, { area: 'Zwolle', expected: { nl: 'binnen twee uur', en: 'within two hours' } }, ctx).texts;
    expect(free.nl.sms).toContain('verwacht herstel binnen twee uur');
    expect(free.en.sms).toContain('expected fix within two hours');
    // Without an English text the Dutch one is used rather than leaving the variable empty.
    expect(renderTemplates(templateFor('power_outage')!, { area: 'Zwolle', expected: { nl: 'vanavond' } }, ctx).texts.en.sms).toContain('vanavond');
  });

  it('takes workspace edits over the defaults and allows a custom scenario', () => {
    const t = templateFor('cable_break', { cable_break: { nl: { sms: 'Eigen tekst {area}' } } })!;
    expect(t.nl.sms).toBe('Eigen tekst {area}');
    expect(t.nl.banner).toBe(defaultTemplates.cable_break.nl.banner);
    expect(templateFor('gas_leak', { gas_leak: { nl: { banner: 'Gaslek' } } })!.nl.banner).toBe('Gaslek');
    expect(templateFor('unknown')).toBeNull();
  });

  it('personalizes with the first name or a neutral greeting', () => {
    expect(personalize('Hoi {name}, de stroom is uit.', 'Anna de Boer', 'nl')).toBe('Hoi Anna, de stroom is uit.');
    expect(personalize('Hoi {name}, de stroom is uit.', '', 'nl')).toBe('Hallo, de stroom is uit.');
    expect(personalize('Hi {name}, power is out.', null, 'en')).toBe('Hello, power is out.');
  });

  it('selects contacts by postcode range, product and attributes', () => {
    const seg = { postcodeFrom: 3500, postcodeTo: 3599, products: ['Glasvezel'] };
    expect(inSegment({ postcode: '3512 AB', product: 'glasvezel' }, seg)).toBe(true);
    expect(inSegment({ postcode: '3612AB', product: 'glasvezel' }, seg)).toBe(false);
    expect(inSegment({ postcode: '3512AB', products: ['tv', 'glasvezel'] }, seg)).toBe(true);
    expect(inSegment({ postcode: '3512AB', products: 'tv, Glasvezel' }, seg)).toBe(true);
    expect(inSegment({ postcode: '3512AB', product: 'dsl' }, seg)).toBe(false);
    expect(inSegment({}, seg)).toBe(false);
    expect(inSegment({}, {})).toBe(true);
    expect(inSegment({ city: 'Utrecht' }, { attributes: { city: 'utrecht' } })).toBe(true);
  });

  it('matches keywords as whole words, ignoring case and accents', () => {
    expect(matchesKeywords('Is er een STORING bij jullie?', ['storing'])).toBe(true);
    expect(matchesKeywords('storingsdienst gebeld', ['storing'])).toBe(false);
    expect(matchesKeywords('Geen stroom in café', ['cafe'])).toBe(true);
    expect(matchesKeywords('x', [])).toBe(false);
  });

  it('respects opt-out', () => {
    expect(optedOut({ incidentOptOut: true })).toBe(true);
    expect(optedOut({})).toBe(false);
  });
});
