import { channelContract } from '../../../src/channels/contract';
import { apiChannel } from '../../../src/channels/api/adapter';
import { startApiReceiver } from '../../support/fakes/api-receiver';
import { startContractApp, testHttp } from '../../support/channel-harness';

channelContract({
  adapter: apiChannel,
  startFake: startApiReceiver,
  startApp: () => startContractApp(),
  http: testHttp,
  // The API channel has no provider webhook: messages come in through POST /api/v1/inboxes/{id}/inbound.
  async deliver(app, inboxId, n) {
    const res = await app.callApi('POST', `/api/v1/inboxes/${inboxId}/inbound`, {
      externalId: `crm-msg-${n}`,
      contact: { identifier: 'crm-42', name: 'Jan' },
      content: `Bericht ${n}`,
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`inbound answered ${res.status}`);
  },
});
