import { channelContract } from '../../../src/channels/contract';
import { telegramChannel } from '../../../src/channels/telegram/adapter';
import { startTelegramFake } from '../../support/fakes/telegram';
import { startContractApp, testHttp } from '../../support/channel-harness';

channelContract({ adapter: telegramChannel, startFake: startTelegramFake, startApp: () => startContractApp(), http: testHttp });
