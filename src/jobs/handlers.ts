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
import { sendBatch } from '../app/send-batch';
import { EMAIL_COPY_JOB, sendEmailCopies } from '../app/widget-email-copy';
import { fetchCallRecording } from '../app/voice-calls';
import { runBroadcastPage } from '../app/incidents';
import { acknowledgeWithPromise, computeAllPromiseStats, watchPromises } from '../app/promises';
import { remindPhoneWork } from '../app/phone-reminders';

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
    'process-inbound-event': async (d, meta) => {
      // The acknowledgement of the next webhook comes first (shared/web-load.ts).
      await deps.webLoad?.giveWay();
      await processInboundEvent(deps, { workspaceId: str(d, 'workspaceId'), eventId: str(d, 'eventId') }, meta);
    },
    'fetch-call-recording': (d) => fetchCallRecording(deps, { workspaceId: str(d, 'workspaceId'), callId: str(d, 'callId') }),
    'wake-snoozed': async () => {
      await wakeSnoozed(deps);
    },
    'send-batch': async (d) => {
      const ids = d.messageIds;
      if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) throw new Error('job data is missing messageIds');
      await sendBatch(deps, { workspaceId: str(d, 'workspaceId'), messageIds: ids as string[] });
    },
    'incident-broadcast': (d) =>
      runBroadcastPage(deps, { workspaceId: str(d, 'workspaceId'), broadcastId: str(d, 'broadcastId'), ...(typeof d.after === 'string' ? { after: d.after } : {}), ...(typeof d.nextAt === 'number' ? { nextAt: d.nextAt } : {}) }),
    'promise-stats': async () => {
      await computeAllPromiseStats(deps);
    },
    'promise-ack': async (d) => {
      await acknowledgeWithPromise(deps, { workspaceId: str(d, 'workspaceId'), conversationId: str(d, 'conversationId') });
    },
    [EMAIL_COPY_JOB]: async (d) => {
      await sendEmailCopies(deps, { workspaceId: str(d, 'workspaceId'), conversationId: str(d, 'conversationId') });
    },
    'promise-watch': async () => {
      await watchPromises(deps);
    },
    'phone-reminders': async () => {
      await remindPhoneWork(deps);
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
