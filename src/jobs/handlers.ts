import type { Deps } from '../app/context';
import { autoAssign } from '../app/auto-assign';
import { wakeSnoozed } from '../app/conversations';
import { deliverWebhook } from '../app/deliver-webhook';
import { runMaintenance } from '../app/maintenance';
import { processInboundEvent } from '../app/receive-webhook';
import { sendOutbound } from '../app/send-outbound';
import { sweepPendingEmail } from '../app/email-inbound';
import { pollAllImap } from '../app/email-imap';
import type { JobHandler } from './queue';

const str = (data: Record<string, unknown>, key: string): string => {
  const v = data[key];
  if (typeof v !== 'string') throw new Error(`job data is missing ${key}`);
  return v;
};

/** Queue name → use case. Jobs carry ids only; handlers load fresh state, so a late or repeated job is harmless. */
export function jobHandlers(deps: Deps): Record<string, JobHandler> {
  return {
    'send-outbound': (d, meta) => sendOutbound(deps, { workspaceId: str(d, 'workspaceId'), messageId: str(d, 'messageId') }, meta),
    'deliver-webhook': (d, meta) => deliverWebhook(deps, { workspaceId: str(d, 'workspaceId'), deliveryId: str(d, 'deliveryId') }, meta),
    'auto-assign': async (d) => {
      await autoAssign(deps, { workspaceId: str(d, 'workspaceId'), conversationId: str(d, 'conversationId') });
    },
    'process-inbound-event': (d, meta) => processInboundEvent(deps, { workspaceId: str(d, 'workspaceId'), eventId: str(d, 'eventId') }, meta),
    'wake-snoozed': async () => {
      await wakeSnoozed(deps);
    },
    maintenance: async () => {
      const removed = await runMaintenance(deps);
      deps.log.info({ removed }, 'maintenance done');
    },
    'email-poll': async () => {
      await sweepPendingEmail(deps);
      await pollAllImap(deps);
    },
  };
}
