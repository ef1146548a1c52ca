import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../store/db';
import { contactIdentities, contacts, inboxes } from '../store/schema';
import { readWidgetSettings, type WidgetSecrets, type WidgetSettings } from '../channels/widget/settings';
import { verifyIdentifierHash } from '../domain/widget-identity';
import { AppError } from '../shared/errors';
import type { Deps } from './context';
import type { InboxRow } from './dto';
import { readSecrets } from './inboxes';
import type { IdentityInput } from './resolve-contact';

/**
 * Who a widget visitor is. A visitor holds a token sealed with Balie's secret key (authenticated encryption,
 * so it cannot be forged or altered) naming the inbox, an anonymous visitor id and — only after a valid
 * identifierHash — the site's verified identifier. The token lives in the widget's storage, so the
 * conversation survives reloads and tabs.
 */
export interface Visitor {
  workspaceId: string;
  inboxId: string;
  visitorId: string;
  /** The site's user id, present only when it came with a valid HMAC. */
  identifier?: string;
  /** Name and e-mail the site passed together with a valid identity hash: they count as verified. */
  attrs?: { name?: string; email?: string };
}

export interface WidgetInbox {
  inbox: InboxRow;
  settings: WidgetSettings;
  secrets: WidgetSecrets;
}

const TOKEN_KIND = 'widget-visitor';

export function issueVisitorToken(deps: Pick<Deps, 'secrets'>, v: Visitor): string {
  return deps.secrets.seal(JSON.stringify({ k: TOKEN_KIND, w: v.workspaceId, i: v.inboxId, v: v.visitorId, id: v.identifier, a: v.attrs }));
}

export function readVisitorToken(deps: Pick<Deps, 'secrets'>, token: string | undefined, inboxId?: string): Visitor {
  const bad = () => new AppError('unauthorized', 'invalid_visitor_token', 'The visitor token is missing or invalid.');
  if (!token || token.length > 2000) throw bad();
  let p: { k?: string; w?: string; i?: string; v?: string; id?: string; a?: Visitor['attrs'] };
  try {
    p = JSON.parse(deps.secrets.open(token)) as typeof p;
  } catch {
    throw bad();
  }
  if (p.k !== TOKEN_KIND || !p.w || !p.i || !p.v || (inboxId && p.i !== inboxId)) throw bad();
  return { workspaceId: p.w, inboxId: p.i, visitorId: p.v, ...(p.id ? { identifier: p.id, ...(p.a ? { attrs: p.a } : {}) } : {}) };
}

/** A widget inbox by its public id (the id is in the site's snippet; the workspace follows from it). */
export async function loadWidgetInbox(deps: Pick<Deps, 'store' | 'secrets'>, inboxId: string): Promise<WidgetInbox> {
  const [inbox] = /^[0-9a-f-]{36}$/i.test(inboxId)
    ? await deps.store.db
        .select()
        .from(inboxes)
        .where(and(eq(inboxes.id, inboxId), eq(inboxes.kind, 'widget'), isNull(inboxes.archivedAt)))
    : [];
  if (!inbox) throw new AppError('not_found', 'widget_not_found', 'This chat widget does not exist.');
  return { inbox, settings: readWidgetSettings(inbox.settings), secrets: readSecrets(deps, inbox) as WidgetSecrets };
}

/**
 * Requests must come from a page the inbox allows, or from the widget's own frame on Balie's origin (the frame
 * itself can only be embedded by allowed origins: frame-ancestors). Requests without an Origin (not a browser)
 * are refused too: the widget API is for browsers.
 */
export function checkOrigin(w: WidgetInbox, origin: string | undefined, ownOrigins: string[], hostOrigin?: string): void {
  const allowed = (o: string | undefined) => !!o && w.settings.allowedOrigins.includes(o.toLowerCase());
  if (origin && ownOrigins.some((own) => own.toLowerCase() === origin.toLowerCase())) {
    if (hostOrigin === undefined || allowed(hostOrigin)) return;
  } else if (allowed(origin)) return;
  throw new AppError('forbidden', 'origin_not_allowed', 'This site is not allowed to use this chat widget.');
}

/** The identities that find this visitor's contact: the verified identifier, or else the anonymous visitor id. */
/**
 * Whether the site vouches for this address. The identifierHash signs the identifier only, so an e-mail the page
 * passes next to it is as editable as anything in the visitor's browser — unless it IS the identifier. Only then
 * may chat copies go to it without a confirmation link, or mail from it enter the chat.
 */
export function siteVouchesForEmail(v: Visitor, email: string | undefined): boolean {
  return !!v.identifier && !!email && v.identifier.trim().toLowerCase() === email.trim().toLowerCase();
}

export function visitorIdentities(v: Visitor): IdentityInput[] {
  return v.identifier ? [{ kind: 'external', value: v.identifier, verified: true }] : [{ kind: 'widget', value: v.visitorId, verified: true }];
}

export async function findVisitorContact(tx: Db, v: Visitor) {
  const [id] = visitorIdentities(v);
  const [row] = await tx
    .select({ contact: contacts })
    .from(contactIdentities)
    .innerJoin(contacts, and(eq(contacts.workspaceId, contactIdentities.workspaceId), eq(contacts.id, contactIdentities.contactId)))
    .where(and(eq(contactIdentities.workspaceId, v.workspaceId), eq(contactIdentities.kind, id!.kind), eq(contactIdentities.value, id!.value)));
  return row?.contact ?? null;
}

/**
 * Starts or resumes a visitor. A claimed identity needs a valid identifierHash (else 401 and nothing changes);
 * a token that names another identity than the one now claimed is not reused, so logging out or switching user
 * on the site never shows the previous person's conversation.
 */
export function startVisitor(
  deps: Pick<Deps, 'secrets' | 'runtime'>,
  w: WidgetInbox,
  input: { token?: string; identifier?: string; identifierHash?: string; name?: string; email?: string },
): { token: string; visitor: Visitor } {
  let previous: Visitor | null = null;
  if (input.token) {
    try {
      previous = readVisitorToken(deps, input.token, w.inbox.id);
    } catch {
      previous = null;
    }
  }
  if (input.identifier !== undefined) {
    if (!w.secrets.identitySecret) throw new AppError('unauthorized', 'identity_not_enabled', 'This widget does not accept verified identities.');
    if (!input.identifierHash || !verifyIdentifierHash(w.secrets.identitySecret, input.identifier, input.identifierHash)) {
      throw new AppError('unauthorized', 'identity_invalid', 'The identifierHash does not match the identifier.');
    }
    const visitor: Visitor = {
      workspaceId: w.inbox.workspaceId,
      inboxId: w.inbox.id,
      visitorId: previous?.identifier === input.identifier ? previous.visitorId : deps.runtime.id(),
      identifier: input.identifier,
      ...(input.name || input.email ? { attrs: { name: input.name, email: input.email } } : {}),
    };
    return { token: issueVisitorToken(deps, visitor), visitor };
  }
  if (previous && !previous.identifier) return { token: input.token!, visitor: previous };
  const visitor: Visitor = { workspaceId: w.inbox.workspaceId, inboxId: w.inbox.id, visitorId: deps.runtime.id() };
  return { token: issueVisitorToken(deps, visitor), visitor };
}
