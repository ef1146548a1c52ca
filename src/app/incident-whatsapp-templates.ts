import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { certaintySettings, inboxes } from '../store/schema';
import { templateFor } from '../domain/incident-templates';
import { allowedTemplateVariables, bareVariable, broadcastKinds, mappingProblems, type BroadcastKind, type TemplateMapping } from '../domain/incident-whatsapp';
import { AppError, invalid } from '../shared/errors';
import type { Actor, Deps } from './context';
import { certaintySettingsSchema, loadCertainty } from './certainty-settings';
import { inboxTemplates } from './channel-actions';

/**
 * The admin picks, per scenario, language and broadcast kind, one of the WhatsApp inbox's approved templates and
 * which incident variable fills each of its body parameters. Checked against the templates the provider lists
 * now (name, language, parameter count) and against the scenario's variables, so a broadcast never finds out
 * mid-way that its template cannot be sent.
 */
export const templateMappingParams = z.object({ scenario: z.string().trim().min(1).max(60), locale: z.enum(['nl', 'en']), kind: z.enum(broadcastKinds) });
export const templateMappingInput = z.object({
  inboxId: z.uuid(),
  name: z.string().trim().min(1).max(512),
  language: z.string().trim().min(2).max(15),
  /** One incident variable per body parameter, "{area}" or "area"; the first fills {{1}}. */
  parameters: z.array(z.string().trim().min(1).max(42)).max(20),
});

type Key = z.infer<typeof templateMappingParams>;

export async function setIncidentWhatsAppTemplate(deps: Deps, actor: Actor, key: Key, input: z.infer<typeof templateMappingInput>): Promise<TemplateMapping> {
  const { settings } = await loadCertainty(deps.store.db, deps, actor.workspaceId);
  const texts = templateFor(key.scenario, settings.incidentTemplates);
  if (!texts) throw invalid('scenario', 'is not a known scenario', 'unknown_scenario');
  const [inbox] = await deps.store.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, actor.workspaceId), eq(inboxes.id, input.inboxId), isNull(inboxes.archivedAt)));
  if (!inbox || inbox.kind !== 'whatsapp') throw invalid('inboxId', 'is not a WhatsApp inbox of this workspace', 'not_whatsapp_inbox');
  const template = (await inboxTemplates(deps, inbox)).find((t) => t.name === input.name && t.language === input.language);
  if (!template) {
    throw new AppError('validation', 'unknown_template', `"${input.name}" (${input.language}) is not an approved template of this WhatsApp number.`, { fields: [{ path: 'name', message: 'not an approved template' }] });
  }
  const parameters = input.parameters.map(bareVariable);
  const allowed = allowedTemplateVariables(texts, key.kind as BroadcastKind);
  const problems = mappingProblems(parameters, template.variables, allowed);
  const unknown = problems.filter((p) => p.code === 'unknown_variable');
  if (unknown.length) {
    throw new AppError('validation', 'unknown_variable', `Unknown variable: ${unknown.map((p) => `{${p.variable}}`).join(', ')}. Use one of ${allowed.map((v) => `{${v}}`).join(', ')}.`, {
      fields: unknown.map((p) => ({ path: `parameters.${p.index}`, message: 'is not a variable of this scenario' })),
    });
  }
  if (problems.length) {
    throw new AppError('validation', 'template_parameter_count', `The template has ${template.variables} parameter(s); ${parameters.length} given.`, {
      fields: [{ path: 'parameters', message: `needs exactly ${template.variables}` }],
    });
  }
  const mapping: TemplateMapping = { inboxId: inbox.id, name: template.name, language: template.language, parameters, body: template.body };
  await store(deps, actor.workspaceId, key, mapping);
  return mapping;
}

export async function removeIncidentWhatsAppTemplate(deps: Deps, actor: Actor, key: Key) {
  await store(deps, actor.workspaceId, key, null);
}

async function store(deps: Deps, workspaceId: string, key: Key, mapping: TemplateMapping | null) {
  await deps.store.transaction(async (tx) => {
    const { settings } = await loadCertainty(tx, deps, workspaceId);
    const all = structuredClone(settings.incidentWhatsAppTemplates);
    const perLocale = (all[key.scenario] ??= {});
    const perKind = (perLocale[key.locale] ??= {});
    if (mapping) perKind[key.kind] = mapping;
    else delete perKind[key.kind];
    const next = certaintySettingsSchema.parse({ ...settings, incidentWhatsAppTemplates: all });
    await tx.update(certaintySettings).set({ settings: next, updatedAt: deps.runtime.now() }).where(eq(certaintySettings.workspaceId, workspaceId));
  });
}

/** The template for one broadcast to one contact's conversation: only on the inbox it was chosen from. */
export function mappingFor(all: z.infer<typeof certaintySettingsSchema>['incidentWhatsAppTemplates'], scenario: string, locale: 'nl' | 'en', kind: BroadcastKind, inboxId: string): TemplateMapping | null {
  const m = all[scenario]?.[locale]?.[kind];
  return m && m.inboxId === inboxId ? m : null;
}
