import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { route, type RouteSpec } from '../route';
import { attachments } from '../../store/schema';
import { checkMediaLink } from '../../app/media-links';

/**
 * Attachments are customer-supplied and hostile: always a download (Content-Disposition: attachment), a
 * content type that cannot execute (HTML, SVG and scripts become octet-stream), nosniff, and a sandbox CSP.
 * Images are the one thing the agent app may show inline, via `?inline=1`.
 */
const INLINE_SAFE = /^image\/(png|jpeg|gif|webp|avif|bmp)$/;

export function safeContentType(type: string): string {
  if (INLINE_SAFE.test(type) || type === 'application/pdf' || /^(audio|video)\//.test(type) || type === 'text/plain') return type;
  return 'application/octet-stream';
}

function contentDisposition(kind: 'inline' | 'attachment', fileName: string) {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const fileRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/api/v1/attachments/:attachmentId',
    summary: 'Download an attachment',
    tags: ['Conversations'],
    auth: 'member',
    params: z.object({ attachmentId: z.string() }),
    query: z.object({ inline: z.enum(['0', '1']).optional() }),
    resources: { attachmentId: 'attachment' },
    response: { contentType: 'application/octet-stream', description: 'The file' },
    handler: async ({ deps, resources, query, reply }) => {
      const a = resources.attachment!;
      const type = safeContentType(a.contentType);
      const inline = query.inline === '1' && INLINE_SAFE.test(type);
      const file = deps.files.path(a.sha256);
      if (!fs.existsSync(file)) {
        return reply.status(410).send({ error: { code: 'file_missing', message: 'The file is no longer stored.' } });
      }
      return reply
        .header('content-type', type)
        .header('content-length', String(a.size))
        .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', a.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=86400')
        .send(fs.createReadStream(file));
    },
  }),
  route({
    method: 'GET',
    url: '/media/:workspaceId/:attachmentId/:token/:fileName',
    summary: 'Fetch an outbound attachment through a signed, expiring link (for providers such as Twilio MMS)',
    tags: ['Conversations'],
    auth: 'public',
    hidden: true,
    params: z.object({ workspaceId: z.uuid(), attachmentId: z.uuid(), token: z.string().max(80), fileName: z.string().max(400) }),
    handler: async ({ deps, params, reply }) => {
      const gone = () => reply.status(404).send({ error: { code: 'not_found', message: 'This link is not valid (any more).' } });
      const verdict = checkMediaLink(deps, params.workspaceId, params.attachmentId, params.token);
      if (verdict !== 'ok') {
        deps.log.info({ attachmentId: params.attachmentId, verdict }, 'media link refused');
        return gone();
      }
      const [a] = await deps.store.db
        .select()
        .from(attachments)
        .where(and(eq(attachments.workspaceId, params.workspaceId), eq(attachments.id, params.attachmentId)));
      const file = a ? deps.files.path(a.sha256) : null;
      if (!a || !file || !fs.existsSync(file)) return gone();
      return reply
        .header('content-type', safeContentType(a.contentType))
        .header('content-length', String(a.size))
        .header('content-disposition', contentDisposition('attachment', a.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('x-robots-tag', 'noindex')
        .header('cache-control', 'private, no-store')
        .send(fs.createReadStream(file));
    },
  }),
];
