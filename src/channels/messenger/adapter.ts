import { metaMessagingChannel } from '../meta/messaging-platform';

/** Facebook Messenger through the Graph Send API; the customer is identified by their page-scoped id (PSID). */
export const messengerChannel = metaMessagingChannel({ kind: 'messenger', object: 'page', profileFields: 'first_name,last_name,profile_pic', media: 'upload', maxLength: 2000 });
