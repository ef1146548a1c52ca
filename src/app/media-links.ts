import type { Deps } from './context';
import { safeEqual } from './signature';

/**
 * Providers that fetch outbound media themselves (Twilio MMS `MediaUrl`, Instagram's attachment `url`) get a
 * link that needs no login: signed with the server's secret key, for one attachment of one workspace, and
 * valid for a short time only — long enough for the provider to fetch it right after the send (Twilio fetches
 * at once; retries within minutes), too short to be a lasting public copy of a customer's file.
 */
export const MEDIA_LINK_TTL_SECONDS = 2 * 3600;
const PURPOSE = 'outbound-media';
const payload = (workspaceId: string, attachmentId: string, expires: number) => `${workspaceId}:${attachmentId}:${expires}`;

export function mediaLinkPath(
  deps: Pick<Deps, 'secrets' | 'runtime'>,
  a: { workspaceId: string; id: string; fileName: string },
  ttlSeconds = MEDIA_LINK_TTL_SECONDS,
): string {
  const expires = Math.floor(deps.runtime.now().getTime() / 1000) + ttlSeconds;
  const sig = deps.secrets.mac(PURPOSE, payload(a.workspaceId, a.id, expires));
  // The file name at the end: some providers take the type from the URL's extension.
  const name = encodeURIComponent(a.fileName.replace(/[/\\?#]/g, '_').slice(0, 120) || 'file');
  return `/media/${a.workspaceId}/${a.id}/${expires}.${sig}/${name}`;
}

export function mediaLinkUrl(deps: Pick<Deps, 'secrets' | 'runtime' | 'config'>, a: { workspaceId: string; id: string; fileName: string }): string {
  return `${deps.config.publicUrl}${mediaLinkPath(deps, a)}`;
}

/** `expired` and `invalid` are told apart only for the log; both answer the same 404 to the caller. */
export function checkMediaLink(deps: Pick<Deps, 'secrets' | 'runtime'>, workspaceId: string, attachmentId: string, token: string): 'ok' | 'expired' | 'invalid' {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return 'invalid';
  const expires = Number(m[1]);
  if (!safeEqual(m[2]!, deps.secrets.mac(PURPOSE, payload(workspaceId, attachmentId, expires)))) return 'invalid';
  return expires * 1000 < deps.runtime.now().getTime() ? 'expired' : 'ok';
}
