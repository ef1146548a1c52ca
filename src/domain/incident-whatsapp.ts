/**
 * Incident notices as WhatsApp templates. Outside the customer's 24-hour window WhatsApp only delivers an approved
 * template, whose body has numbered parameters ({{1}}, {{2}}, …). The admin maps incident variables ({name},
 * {area}, {expected}, …) onto those parameters once per scenario, language and broadcast kind; each broadcast then
 * fills them per contact. Pure rules: which variables a mapping may use, whether it fits the template, the values.
 */
import { variablesIn, type IncidentLocale, type TextSet } from './incident-templates';
import { variableText, type IncidentVariable } from './incident-variables';

export const broadcastKinds = ['notice', 'update', 'resolution'] as const;
export type BroadcastKind = (typeof broadcastKinds)[number];

export interface TemplateMapping {
  inboxId: string;
  name: string;
  language: string;
  /** The incident variable for each body parameter, in order: parameters[0] fills {{1}}. */
  parameters: string[];
  /** The template's body as synced when it was chosen: what the agent sees in the conversation. */
  body: string;
}

/** The variables a mapping may use: those of the scenario's texts, the customer's name, and for an update its text. */
export function allowedTemplateVariables(texts: Record<IncidentLocale, TextSet>, kind: BroadcastKind): string[] {
  const own = new Set(Object.values(texts).flatMap((set) => Object.values(set).flatMap(variablesIn)));
  own.add('name');
  if (kind === 'update') own.add('update');
  else own.delete('update');
  return [...own].sort();
}

export type MappingProblem = { index: number | null; code: 'unknown_variable' | 'template_parameter_count'; variable?: string };

/** What is wrong with a mapping against the template's parameter count; empty when it fits. */
export function mappingProblems(parameters: string[], expected: number, allowed: string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  parameters.forEach((p, index) => {
    if (!allowed.includes(p)) problems.push({ index, code: 'unknown_variable', variable: p });
  });
  if (parameters.length !== expected) problems.push({ index: null, code: 'template_parameter_count' });
  return problems;
}

/** "{area}" or "area" → "area": admins write variables the way the texts show them. */
export const bareVariable = (p: string) => p.trim().replace(/^\{(\w+)\}$/, '$1');

/**
 * The parameter values for one contact. WhatsApp refuses an empty parameter and one with line breaks, so a missing
 * value becomes a dash, white space is folded, and a contact without a name is greeted neutrally ("Hoi daar").
 */
export function templateValues(
  mapping: Pick<TemplateMapping, 'parameters'>,
  input: { locale: IncidentLocale; contactName: string | null | undefined; variables: Record<string, IncidentVariable>; update?: string; timeZone: string; declaredAt: Date },
): string[] {
  const first = (input.contactName ?? '').trim().split(/\s+/)[0] ?? '';
  return mapping.parameters.map((p) => {
    const raw =
      p === 'name'
        ? first || (input.locale === 'nl' ? 'daar' : 'there')
        : p === 'update'
          ? (input.update ?? '')
          : input.variables[p] === undefined
            ? ''
            : variableText(input.variables[p]!, input.locale, { timeZone: input.timeZone, now: input.declaredAt });
    const text = raw.replace(/\s+/g, ' ').trim();
    return (text || '–').slice(0, 1000);
  });
}

/** The body with its parameters filled in: what the customer reads. */
export const fillTemplateBody = (body: string, values: string[]) => body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => values[Number(n) - 1] ?? whole);

/**
 * Whether a notice must go as a template: the window is closed, or closes within `marginMinutes` (the message may
 * wait in the paced queue for a while before it is sent).
 */
export function windowClosed(lastCustomerMessageAt: unknown, now: Date, marginMinutes = 15): boolean {
  const at = typeof lastCustomerMessageAt === 'string' ? Date.parse(lastCustomerMessageAt) : NaN;
  if (!Number.isFinite(at)) return true;
  return now.getTime() - at >= 24 * 3_600_000 - marginMinutes * 60_000;
}
