import { channelContract } from '../../../src/channels/contract';
import { messengerChannel } from '../../../src/channels/messenger/adapter';
import { startMetaMessagingFake } from '../../support/fakes/meta-messaging';
import { startContractApp, testHttp } from '../../support/channel-harness';

channelContract({ adapter: messengerChannel, startFake: () => startMetaMessagingFake('messenger'), startApp: () => startContractApp(), http: testHttp });
