import { z } from 'zod';

/** What WhatsApp, Messenger and Instagram share: the Graph API and the credentials a Meta app gives an inbox. */
export const GRAPH_API = 'https://graph.facebook.com';
export const GRAPH_VERSION = 'v21.0';

/** The access token calls the Graph API, the app secret signs webhooks (X-Hub-Signature-256), the verify token answers the subscription handshake. */
export const metaSecretsSchema = z.object({
  accessToken: z.string().min(10).max(1000),
  appSecret: z.string().min(8).max(200),
  verifyToken: z.string().min(8).max(200),
});
