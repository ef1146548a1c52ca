/**
 * Contact drivers: which case types (labels) and inboxes cause the most contacts, and which of them come back.
 * First-contact resolution = resolved with no new conversation by the same customer within 7 days; a repeat
 * contact = a conversation followed by another from the same customer within 7 days of it starting.
 */
export interface DriverInput {
  id: string;
  contactId: string;
  inboxId: string;
  labels: string[];
  createdAt: Date;
  resolvedAt: Date | null;
  /** Linked to an incident. */
  duringIncident: boolean;
}

export interface DriverRow {
  label: string;
  inboxId: string;
  volume: number;
  firstContactResolutionRate: number;
  repeatContactRate: number;
  incidentContacts: number;
  avgHandlingMs: number | null;
}

export const REPEAT_WINDOW_MS = 7 * 86_400_000;
export const NO_LABEL = '(none)';

export function contactDrivers(rows: DriverInput[]): DriverRow[] {
  const byContact = new Map<string, DriverInput[]>();
  for (const r of rows) byContact.set(r.contactId, [...(byContact.get(r.contactId) ?? []), r]);
  for (const list of byContact.values()) list.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const nextOf = (r: DriverInput) => byContact.get(r.contactId)!.find((o) => o.id !== r.id && o.createdAt > r.createdAt);

  const groups = new Map<string, { label: string; inboxId: string; items: DriverInput[] }>();
  for (const r of rows) {
    for (const label of r.labels.length ? r.labels : [NO_LABEL]) {
      const key = `${label}\u0000${r.inboxId}`;
      const g = groups.get(key) ?? { label, inboxId: r.inboxId, items: [] };
      g.items.push(r);
      groups.set(key, g);
    }
  }
  return [...groups.values()]
    .map((g) => {
      let fcr = 0;
      let repeat = 0;
      let handled = 0;
      let handlingTotal = 0;
      for (const r of g.items) {
        const next = nextOf(r);
        if (next && next.createdAt.getTime() - r.createdAt.getTime() <= REPEAT_WINDOW_MS) repeat++;
        if (r.resolvedAt) {
          handled++;
          handlingTotal += r.resolvedAt.getTime() - r.createdAt.getTime();
          if (!next || next.createdAt.getTime() - r.resolvedAt.getTime() > REPEAT_WINDOW_MS) fcr++;
        }
      }
      const n = g.items.length;
      return {
        label: g.label,
        inboxId: g.inboxId,
        volume: n,
        firstContactResolutionRate: fcr / n,
        repeatContactRate: repeat / n,
        incidentContacts: g.items.filter((r) => r.duringIncident).length,
        avgHandlingMs: handled ? Math.round(handlingTotal / handled) : null,
      };
    })
    .sort((a, b) => b.volume - a.volume || a.label.localeCompare(b.label));
}

/** CSV with a header; values quoted where needed (RFC 4180). */
export function driversCsv(rows: DriverRow[], inboxName: (id: string) => string): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const head = 'label,inbox,volume,first_contact_resolution_rate,repeat_contact_rate,incident_contacts,avg_handling_hours';
  const lines = rows.map((r) =>
    [q(r.label), q(inboxName(r.inboxId)), r.volume, r.firstContactResolutionRate.toFixed(3), r.repeatContactRate.toFixed(3), r.incidentContacts, r.avgHandlingMs === null ? '' : (r.avgHandlingMs / 3_600_000).toFixed(2)].join(','),
  );
  return [head, ...lines].join('\n') + '\n';
}
