import { channelContract } from '../../../src/channels/contract';
import { whatsappChannel } from '../../../src/channels/whatsapp/adapter';
import { startWhatsAppFake } from '../../support/fakes/whatsapp';
import { startContractApp, testHttp } from '../../support/channel-harness';

channelContract({ adapter: whatsappChannel, startFake: startWhatsAppFake, startApp: () => startContractApp(), http: testHttp });
