import { describe, expect, it } from 'vitest';
import { canSee, canSeeEphemeral, type Viewer } from './visibility';

const agent: Viewer = { userId: 'u1', workspaceId: 'w1', role: 'agent', inboxIds: new Set(['i1']) };
const admin: Viewer = { userId: 'u2', workspaceId: 'w1', role: 'admin', inboxIds: new Set() };
const ev = (scope: Record<string, unknown>, workspaceId = 'w1') => ({ workspaceId, scope });

describe('realtime visibility', () => {
  it('never crosses workspaces, whatever the role', () => {
    expect(canSee(admin, ev({ inboxId: 'i1' }, 'w2'))).toBe(false);
    expect(canSee({ ...admin, role: 'owner' }, ev({}, 'w2'))).toBe(false);
    expect(canSee(agent, ev({ userIds: ['u1'] }, 'w2'))).toBe(false);
  });
  it('shows agents only the inboxes they have access to', () => {
    expect(canSee(agent, ev({ inboxId: 'i1', conversationId: 'c1' }))).toBe(true);
    expect(canSee(agent, ev({ inboxId: 'i2', conversationId: 'c2' }))).toBe(false);
  });
  it('shows admins every inbox of their workspace', () => {
    expect(canSee(admin, ev({ inboxId: 'i2' }))).toBe(true);
  });
  it('delivers addressed events only to the addressees', () => {
    expect(canSee(agent, ev({ userIds: ['u1'] }))).toBe(true);
    expect(canSee(admin, ev({ userIds: ['u1'] }))).toBe(false);
  });
  it('shares workspace-wide events with every member', () => {
    expect(canSee(agent, ev({ contactId: 'k1' }))).toBe(true);
  });
  it('does not echo presence to its sender and respects inbox access', () => {
    const p = { type: 'presence' as const, workspaceId: 'w1', inboxId: 'i1', conversationId: 'c1', userId: 'u1', userName: 'A', state: 'typing' as const, at: '' };
    expect(canSeeEphemeral(agent, p)).toBe(false);
    expect(canSeeEphemeral(admin, p)).toBe(true);
    expect(canSeeEphemeral({ ...agent, userId: 'u3', inboxIds: new Set() }, p)).toBe(false);
  });
});
