import { metaMessagingChannel } from '../meta/messaging-platform';

/**
 * Instagram messaging through the Graph Send API (Instagram-scoped ids). Outbound files would have to be
 * public URLs (Instagram takes no uploads), so this channel sends text only; inbound media is stored.
 */
export const instagramChannel = metaMessagingChannel({ kind: 'instagram', object: 'instagram', profileFields: 'name,username,profile_pic', uploads: false, maxLength: 1000 });
