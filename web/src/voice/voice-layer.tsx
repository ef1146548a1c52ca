import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { realtime } from '../api/realtime';
import { callStore } from './call-store';
import { ScreenPop } from './screen-pop';
import { SummaryDialog } from './summary-dialog';
import './voice.css';
import type { ScreenPop as Pop } from './types';

/**
 * Pops the call that rings for (or talks with) this agent right now. The events went to the tab that was open
 * then; an app that starts or reconnects during a call asks the server instead — once the socket is subscribed,
 * so a call that starts while the app loads is either in this answer or arrives as an event.
 */
async function restorePop(userId: string) {
  try {
    const before = callStore.get().pop;
    const { items } = await api.get<{ items: Pop[] }>('/api/v1/calls/current');
    const first = items.find((i) => !callStore.hasEnded(i.call.id));
    const shown = callStore.get().pop;
    // A call that ended while the connection was down: its "ended" event never arrived. A pop that an event brought
    // while this read was on its way is newer than the answer and stays.
    if (shown && shown === before && !items.some((i) => i.call.id === shown.call.id)) callStore.dismissPop();
    if (first && !callStore.get().pop) callStore.onScreenPop(first, userId);
  } catch {
    // No pop is the state without a call as well; the next screen_pop event brings it.
  }
}

/** The phone layer over the whole app: the screen pop and the post-call summary, fed by `call.screen_pop` events. */
export function VoiceLayer({ userId, viewSegment }: { userId: string; viewSegment: string }) {
  const qc = useQueryClient();
  useEffect(() => {
    if (realtime.state === 'open') void restorePop(userId);
    return realtime.onOpen(() => void restorePop(userId));
  }, [userId]);
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.type === 'call.screen_pop') callStore.onScreenPop(e.data as unknown as Pop, userId);
        const changes = (e.data.changes as string[] | undefined) ?? [];
        if (e.type === 'conversation.updated' && changes.includes('callbackRequests')) void qc.invalidateQueries({ queryKey: ['callbacks'] });
        if (e.type === 'conversation.updated' && (changes.includes('call') || changes.includes('agreements'))) void qc.invalidateQueries({ queryKey: ['calls'] });
        // A call or its agreement changed on a message: the customer timelines show it too.
        const attrs = (e.data.message as { contentAttributes?: Record<string, unknown> } | undefined)?.contentAttributes;
        if (e.type === 'message.updated' && attrs && (attrs.call || attrs.agreement)) void qc.invalidateQueries({ queryKey: ['timeline'] });
      }),
    [userId, qc],
  );
  return (
    <>
      <ScreenPop viewSegment={viewSegment} />
      <SummaryDialog />
    </>
  );
}
