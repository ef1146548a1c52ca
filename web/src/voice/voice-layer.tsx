import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { realtime } from '../api/realtime';
import { callStore } from './call-store';
import { ScreenPop } from './screen-pop';
import { SummaryDialog } from './summary-dialog';
import './voice.css';
import type { ScreenPop as Pop } from './types';

/** The phone layer over the whole app: the screen pop and the post-call summary, fed by `call.screen_pop` events. */
export function VoiceLayer({ userId, viewSegment }: { userId: string; viewSegment: string }) {
  const qc = useQueryClient();
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
