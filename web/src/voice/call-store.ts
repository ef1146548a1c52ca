import { useSyncExternalStore } from 'react';
import type { CallInfo, ScreenPop } from './types';

/**
 * The phone state of this tab: the screen pop (the call ringing for or talking with this agent) and the call
 * whose summary is asked for. Fed by `call.screen_pop` events (see voice-live.ts); read by the pop and the dialog.
 */
interface State {
  pop: ScreenPop | null;
  summaryFor: { call: CallInfo; conversationId: string } | null;
}
let state: State = { pop: null, summaryFor: null };
const listeners = new Set<() => void>();
const set = (patch: Partial<State>) => {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};

/** Summaries already asked for in this tab: a repeated "ended" event (several webhooks end a call) asks once. */
const asked = new Set<string>();
/** Calls this tab saw end: a read of the current calls that was on its way when the "ended" event came is older. */
const ended = new Set<string>();

export const callStore = {
  get: () => state,
  onScreenPop(p: ScreenPop, me: string) {
    if (p.state === 'ended') {
      ended.add(p.call.id);
      if (state.pop?.call.id === p.call.id) set({ pop: null });
      if (p.call.outcome === 'answered' && p.call.agentUserId === me && !asked.has(p.call.id)) {
        asked.add(p.call.id);
        set({ summaryFor: { call: p.call, conversationId: p.conversationId } });
      }
      return;
    }
    // "answered" keeps the pop as the context of the conversation; a later "ringing" of another call replaces it.
    set({ pop: { ...p, known: p.known ?? (state.pop?.call.id === p.call.id ? state.pop.known : true) } });
  },
  hasEnded: (callId: string) => ended.has(callId),
  dismissPop: () => set({ pop: null }),
  askSummary: (call: CallInfo, conversationId: string) => {
    asked.add(call.id);
    set({ summaryFor: { call, conversationId } });
  },
  closeSummary: () => set({ summaryFor: null }),
};

export function useCallStore(): State {
  return useSyncExternalStore(subscribe, callStore.get);
}
