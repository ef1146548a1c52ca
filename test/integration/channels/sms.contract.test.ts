import { channelContract } from '../../../src/channels/contract';
import { smsChannel } from '../../../src/channels/sms/adapter';
import { startTwilioFake } from '../../support/fakes/twilio';
import { startContractApp, testHttp } from '../../support/channel-harness';

channelContract({ adapter: smsChannel, startFake: startTwilioFake, startApp: () => startContractApp(), http: testHttp });
