import type { QueryClient } from '@tanstack/react-query';
import { keys } from './query-keys';
import { realtime } from './realtime';

/**
 * The conversation lists of the first screen are read while the realtime socket is still being set up: a
 * conversation that arrives between that read and the subscription would be in neither. Once the socket is
 * subscribed, the lists read before that moment are read again (in the background — what is on screen stays):
 * settled ones at once, those still on their way as soon as they land. The counts need no second read: every
 * later event refreshes them whole. Reconnects are covered by `reloadEverything` (the shell's onReconnect).
 */
export function catchUpOnFirstSubscribe(qc: QueryClient) {
  const off = realtime.onOpen(() => {
    off();
    const inFlight = new Set(qc.getQueryCache().findAll({ queryKey: keys.lists, fetchStatus: 'fetching' }).map((q) => q.queryHash));
    void qc.invalidateQueries({ queryKey: keys.lists, predicate: (q) => !inFlight.has(q.queryHash) }, { cancelRefetch: false });
    if (!inFlight.size) return;
    // The reads still on their way started before the subscription too: read them again once they are in.
    const unsubscribe = qc.getQueryCache().subscribe((e) => {
      if (e.type !== 'updated' || !inFlight.has(e.query.queryHash) || e.query.state.fetchStatus === 'fetching') return;
      inFlight.delete(e.query.queryHash);
      void qc.invalidateQueries({ queryKey: e.query.queryKey, exact: true });
      if (!inFlight.size) unsubscribe();
    });
  });
  return off;
}
