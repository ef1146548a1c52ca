import { channelContract } from '../../../src/channels/contract';
import { instagramChannel } from '../../../src/channels/instagram/adapter';
import { startMetaMessagingFake } from '../../support/fakes/meta-messaging';
import { startContractApp, testHttp } from '../../support/channel-harness';

channelContract({ adapter: instagramChannel, startFake: () => startMetaMessagingFake('instagram'), startApp: () => startContractApp(), http: testHttp });
