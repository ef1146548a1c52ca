import { describe, expect, it } from 'vitest';
import { templateFor } from './incident-templates';
import { allowedTemplateVariables, bareVariable, fillTemplateBody, mappingProblems, templateValues, windowClosed } from './incident-whatsapp';

const declaredAt = new Date('2026-12-02T09:00:00Z');

describe('incident notices as WhatsApp templates', () => {
  it('offers the scenario variables and the name, {update} only for updates', () => {
    const texts = templateFor('cable_break')!;
    expect(allowedTemplateVariables(texts, 'notice')).toEqual(['area', 'expected', 'name']);
    expect(allowedTemplateVariables(texts, 'update')).toEqual(['area', 'expected', 'name', 'update']);
    expect(allowedTemplateVariables(templateFor('service_disruption')!, 'resolution')).toEqual(['area', 'expected', 'name', 'product']);
  });

  it('finds an unknown variable and a parameter count that does not fit', () => {
    const allowed = ['area', 'expected', 'name'];
    expect(mappingProblems(['name', 'area', 'expected'], 3, allowed)).toEqual([]);
    expect(mappingProblems(['name', 'postcode', 'expected'], 3, allowed)).toEqual([{ index: 1, code: 'unknown_variable', variable: 'postcode' }]);
    expect(mappingProblems(['name', 'area'], 3, allowed)).toEqual([{ index: null, code: 'template_parameter_count' }]);
    expect(bareVariable(' {area} ')).toBe('area');
    expect(bareVariable('area')).toBe('area');
  });

  it('fills the parameters per contact and language, never empty and on one line', () => {
    const variables = { area: 'Utrecht-Oost', expected: '2026-12-04T18:00' };
    const base = { variables, timeZone: 'Europe/Amsterdam', declaredAt };
    const mapping = { parameters: ['name', 'area', 'expected', 'product'] };
    expect(templateValues(mapping, { ...base, locale: 'nl', contactName: 'Eva Jansen' })).toEqual(['Eva', 'Utrecht-Oost', 'vrijdag 4 december om 18:00', '–']);
    expect(templateValues(mapping, { ...base, locale: 'en', contactName: '' })).toEqual(['there', 'Utrecht-Oost', 'Friday 4 December at 18:00', '–']);
    expect(templateValues({ parameters: ['name', 'update'] }, { ...base, locale: 'nl', contactName: null, update: 'De monteurs\nzijn   er.' })).toEqual(['daar', 'De monteurs zijn er.']);
    expect(fillTemplateBody('Hoi {{1}}, storing in {{2}}. Herstel {{3}}.', ['Eva', 'Utrecht', 'morgen'])).toBe('Hoi Eva, storing in Utrecht. Herstel morgen.');
  });

  it('counts a window closing within the margin as closed, and one never opened', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const ago = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
    expect(windowClosed(ago(1), now)).toBe(false);
    expect(windowClosed(ago(23.5), now)).toBe(false);
    expect(windowClosed(ago(23.9), now)).toBe(true);
    expect(windowClosed(ago(30), now)).toBe(true);
    expect(windowClosed(undefined, now)).toBe(true);
  });
});
