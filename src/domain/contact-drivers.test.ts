import { describe, expect, it } from 'vitest';
import { contactDrivers, driversCsv, type DriverInput } from './contact-drivers';

const D = 86_400_000;
const t0 = new Date('2026-11-02T09:00:00Z').getTime();
const conv = (id: string, contactId: string, day: number, resolvedAfterDays: number | null, labels: string[] = ['factuur'], duringIncident = false): DriverInput => ({
  id,
  contactId,
  inboxId: 'mail',
  labels,
  createdAt: new Date(t0 + day * D),
  resolvedAt: resolvedAfterDays === null ? null : new Date(t0 + (day + resolvedAfterDays) * D),
  duringIncident,
});

describe('contact drivers', () => {
  it('computes volume, first-contact resolution, repeat contacts, incident contacts and handling time per label', () => {
    const rows = contactDrivers([
      conv('a1', 'anna', 0, 1), // Anna comes back 3 days later: not resolved first time, a repeat
      conv('a2', 'anna', 3, 1),
      conv('b1', 'bram', 0, 2), // Bram comes back after 20 days: resolved first time
      conv('b2', 'bram', 20, 1, ['storing'], true),
      conv('c1', 'cor', 0, null),
    ]);
    expect(rows[0]).toMatchObject({ label: 'factuur', volume: 4, incidentContacts: 0 });
    expect(rows[0]!.firstContactResolutionRate).toBe(2 / 4); // a2 and b1
    expect(rows[0]!.repeatContactRate).toBe(1 / 4); // a1
    expect(rows[0]!.avgHandlingMs).toBe(Math.round(((1 + 1 + 2) * D) / 3));
    expect(rows[1]).toMatchObject({ label: 'storing', volume: 1, incidentContacts: 1, firstContactResolutionRate: 1 });
  });

  it('groups unlabelled conversations and exports CSV', () => {
    const rows = contactDrivers([conv('x', 'x', 0, 0.5, [])]);
    expect(rows[0]!.label).toBe('(none)');
    expect(driversCsv(rows, () => 'Mail, NL')).toBe(
      'label,inbox,volume,first_contact_resolution_rate,repeat_contact_rate,incident_contacts,avg_handling_hours\n(none),"Mail, NL",1,1.000,0.000,0,12.00\n',
    );
  });
});
