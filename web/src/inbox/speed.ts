import { useSyncExternalStore } from 'react';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { SPEED_WARNING_SHARE, speedTargetMinutes, type SpeedState } from '../../../src/domain/speed-targets';
import type { Conversation, ListSpeed } from '../api/types';

/**
 * Per-channel first-response targets in the inbox list. The server sends each waiting conversation's `speed`
 * (its channel's target and when it runs out); the state (on time → at risk → breached) depends only on the
 * clock, so the list recomputes it on a shared ticker and the markers change without a reload or a request.
 */
export const SPEED_TICK_MS = 5_000;

/** The certainty settings query holds the workspace's targets (`GET /api/v1/certainty/settings`). */
export const speedSettingsKey = ['certainty-settings'] as const;
type SpeedSettings = { speedTargets?: Record<string, number> };

export function speedStateAt(speed: Pick<ListSpeed, 'dueAt' | 'targetMinutes'>, now: number): SpeedState {
  const left = Date.parse(speed.dueAt) - now;
  if (left <= 0) return 'breached';
  const used = 1 - left / (speed.targetMinutes * 60_000);
  return used >= SPEED_WARNING_SHARE ? 'warning' : 'ok';
}

/**
 * A conversation pushed over the socket carries no `speed`: recompute it as the server would (open and waiting →
 * waiting since + the channel's target), with the workspace's targets when this tab has them.
 */
export function liveSpeed(qc: QueryClient, c: Pick<Conversation, 'status' | 'waitingSince' | 'channel'>, previous: ListSpeed | null | undefined): ListSpeed | null {
  if (c.status !== 'open' || !c.waitingSince) return null;
  const settings = qc.getQueryData<SpeedSettings>(speedSettingsKey);
  const targetMinutes = settings ? speedTargetMinutes(c.channel, settings.speedTargets) : (previous?.targetMinutes ?? speedTargetMinutes(c.channel));
  const dueAt = new Date(Date.parse(c.waitingSince) + targetMinutes * 60_000).toISOString();
  return { targetMinutes, dueAt, state: speedStateAt({ dueAt, targetMinutes }, Date.now()) };
}

// One ticker for every marker on screen, running only while some marker listens.
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
function subscribe(l: () => void) {
  listeners.add(l);
  if (!timer) timer = setInterval(() => listeners.forEach((x) => x()), SPEED_TICK_MS);
  return () => {
    listeners.delete(l);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

// Rounded to the tick, so every read within one tick gives the same value (React requires a stable snapshot).
const snapshot = () => Math.floor(Date.now() / SPEED_TICK_MS) * SPEED_TICK_MS;

/** The current time to the tick, refreshed every few seconds, for components whose text depends on it. */
export function useTicker(): number {
  return useSyncExternalStore(subscribe, snapshot);
}

/** Loads the targets once for live updates (the list items carry their own). */
export function useSpeedTargets() {
  return useQuery({ queryKey: speedSettingsKey, queryFn: () => api.get<SpeedSettings>('/api/v1/certainty/settings'), staleTime: 5 * 60_000 });
}
