import { metaMessagingChannel } from '../meta/messaging-platform';

/**
 * Instagram messaging through the Graph Send API (Instagram-scoped ids). Instagram takes no uploads with the
 * send call, so outbound files go as a link Meta fetches: Balie's signed, expiring media link.
 */
export const instagramChannel = metaMessagingChannel({ kind: 'instagram', object: 'instagram', profileFields: 'name,username,profile_pic', media: 'url', maxLength: 1000 });
