import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db';
import { contacts, conversations, inboxes } from '../store/schema';
import type { SearchResult } from '../shared/agent-app';
import { HIT_END, HIT_START } from '../shared/highlight';
import type { Actor } from './context';
import { conversationDto } from './dto';
import { likeEscape, searchTerms, textQuery, visibleConversations } from './conversation-list';

const HEADLINE_OPTIONS = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "`;
/** ts_headline re-parses the text; long e-mails are cut so one search never parses megabytes. */
const HEADLINE_CHARS = 20_000;

/** Wraps every case-insensitive occurrence of the query words in hit markers (names, e-mail addresses, subjects). */
export function markTerms(text: string, q: string): string {
  const terms = searchTerms(q).filter((t) => t.length >= 2);
  if (terms.length === 0) return text;
  const clean = text.replaceAll(HIT_START, '').replaceAll(HIT_END, '');
  const re = new RegExp(`(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length).join('|')})`, 'giu');
  return clean.replace(re, `${HIT_START}$1${HIT_END}`);
}

const hits = (s: string) => s.split(HIT_START).length - 1;

/**
 * Ctrl+K: conversations (by case number, contact or subject), contacts (name, e-mail, phone, any identity) and
 * message text (Dutch and English stems) with the matching words marked. Only what the actor may see.
 */
export async function searchEverything(tx: Db, actor: Actor, q: string, limit: number): Promise<SearchResult> {
  const lower = q.toLowerCase();
  const like = `%${likeEscape(lower)}%`;
  const number = /^#?(\d{1,9})$/.exec(q.trim())?.[1];
  const terms = searchTerms(q);

  // One query per way a conversation can match, each able to use its own index (case number, trigram index on
  // the subject, the contact's trigram index); one OR-ed query made PostgreSQL walk every conversation instead.
  const convMatch: SQL[] = [];
  if (number) convMatch.push(eq(conversations.number, Number(number)));
  if (q.length >= 2) {
    convMatch.push(sql`lower(coalesce(${conversations.subject}, '')) like ${like}`);
    convMatch.push(
      inArray(
        conversations.contactId,
        sql`(select c.id from contacts c where c.workspace_id = ${actor.workspaceId} and c.search_text like ${like} limit 500)`,
      ),
    );
  }
  const conversationsWhere = (match: SQL) =>
    tx
      .select({ conversation: conversations, contact: contacts, channel: inboxes.kind })
      .from(conversations)
      .innerJoin(contacts, and(eq(contacts.workspaceId, conversations.workspaceId), eq(contacts.id, conversations.contactId)))
      .innerJoin(inboxes, and(eq(inboxes.workspaceId, conversations.workspaceId), eq(inboxes.id, conversations.inboxId)))
      .where(and(visibleConversations(actor), match))
      .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
      .limit(limit);
  const conversationHits = async () => {
    const seen = new Set<string>();
    return (await Promise.all(convMatch.map(conversationsWhere)))
      .flat()
      .filter((r) => !seen.has(r.conversation.id) && seen.add(r.conversation.id))
      .sort((a, b) => b.conversation.lastActivityAt.getTime() - a.conversation.lastActivityAt.getTime() || (a.conversation.id < b.conversation.id ? 1 : -1))
      .slice(0, limit);
  };

  const [convRows, contactRows, messageRows] = await Promise.all([
    conversationHits(),
    q.length >= 2
      ? tx
          .select()
          .from(contacts)
          .where(
            and(
              eq(contacts.workspaceId, actor.workspaceId),
              sql`${contacts.mergedIntoId} is null`,
              or(
                sql`${contacts.searchText} like ${like}`,
                sql`exists (select 1 from contact_identities i where i.workspace_id = ${contacts.workspaceId} and i.contact_id = ${contacts.id} and i.value like ${like})`,
              ),
            ),
          )
          .orderBy(sql`${contacts.lastActivityAt} desc nulls last`, desc(contacts.id))
          .limit(limit)
      : [],
    terms.length ? messageHits(tx, actor, q, limit) : [],
  ]);

  return {
    conversations: convRows.map((r) => ({
      ...conversationDto(r.conversation, r.contact, r.channel),
      highlight: r.conversation.subject && hits(markTerms(r.conversation.subject, q)) ? markTerms(r.conversation.subject, q) : null,
    })),
    contacts: contactRows.map((c) => ({
      id: c.id,
      name: c.name,
      email: c.email,
      phone: c.phone,
      avatarUrl: c.avatarUrl,
      attributes: c.attributes,
      mergedIntoId: c.mergedIntoId,
      lastActivityAt: c.lastActivityAt?.toISOString() ?? null,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      highlight: markTerms([c.name, c.email, c.phone].filter(Boolean).join(' · '), q),
    })),
    messages: messageRows,
  };
}

interface MessageHitRow {
  id: string;
  conversation_id: string;
  kind: 'message' | 'note' | 'activity';
  direction: 'inbound' | 'outbound' | null;
  sender_name: string | null;
  created_at: Date | string;
  number: number;
  status: SearchResult['messages'][number]['conversation']['status'];
  channel: SearchResult['messages'][number]['conversation']['channel'];
  contact_name: string;
  h_nl: string;
  h_en: string;
  h_simple: string;
}

/**
 * Recency windows searched one after another, newest first. A frequent word ("storing") matches hundreds of
 * thousands of messages; sorting all of them to show the newest 50 took seconds at 10 M messages. Inside a window
 * the matches are few, and the newest window usually fills the page.
 */
const SEARCH_WINDOWS_DAYS = [2, 14];

/** Newest matching messages and notes; the highlight comes from whichever language's stems marked the most words. */
async function messageHits(tx: Db, actor: Actor, q: string, limit: number): Promise<SearchResult['messages']> {
  const query = textQuery(q);
  const now = Date.now();
  const bounds = [...SEARCH_WINDOWS_DAYS.map((d) => new Date(now - d * 86_400_000)), null];
  const ids: { id: string; created_at: string }[] = [];
  let upper: Date | null = null;
  for (const lower of bounds) {
    // Everything older is one lookup in the full-text index (fast for rare words; frequent ones have filled the
    // page in the recent windows already). OFFSET 0 keeps the planner from turning it back into a walk.
    const textMatch = lower
      ? sql`m.fts @@ ${query}`
      : sql`m.id in (select x.id from (select id from messages where workspace_id = ${actor.workspaceId} and fts @@ ${query} offset 0) x)`;
    const window = sql.join(
      [lower ? sql`m.created_at >= ${lower}` : sql`true`, upper ? sql`m.created_at < ${upper}` : sql`true`],
      sql` and `,
    );
    const found = (await tx.execute(sql`
      select m.id, m.created_at
      from messages m
      join ${conversations} on ${conversations.workspaceId} = m.workspace_id and ${conversations.id} = m.conversation_id
      where m.workspace_id = ${actor.workspaceId} and ${window} and ${visibleConversations(actor)} and m.kind <> 'activity' and ${textMatch}
      order by m.created_at desc, m.id desc
      limit ${limit - ids.length}`)) as unknown as { rows: { id: string; created_at: string }[] };
    ids.push(...found.rows);
    if (ids.length >= limit) break;
    upper = lower;
  }
  if (ids.length === 0) return [];
  const result = await tx.execute(sql`
    with hit as (
      select m.id, m.conversation_id, m.kind, m.direction, m.sender_type, m.sender_id, m.created_at, left(m.content, ${HEADLINE_CHARS}) as content,
             ${conversations.number} as number, ${conversations.status} as status, ${conversations.inboxId} as inbox_id, ${conversations.contactId} as contact_id
      from messages m
      join ${conversations} on ${conversations.workspaceId} = m.workspace_id and ${conversations.id} = m.conversation_id
      where m.workspace_id = ${actor.workspaceId} and m.id in (${sql.join(ids.map((r) => sql`${r.id}::uuid`), sql`, `)})
    )
    select hit.id, hit.conversation_id, hit.kind, hit.direction, hit.created_at, hit.number, hit.status,
           i.kind as channel, c.name as contact_name,
           case when hit.sender_type = 'user' then u.name when hit.sender_type = 'contact' then c.name else null end as sender_name,
           ts_headline('public.balie_nl', hit.content, ${query}, ${HEADLINE_OPTIONS}) as h_nl,
           ts_headline('public.balie_en', hit.content, ${query}, ${HEADLINE_OPTIONS}) as h_en,
           ts_headline('simple', hit.content, ${query}, ${HEADLINE_OPTIONS}) as h_simple
    from hit
    join inboxes i on i.workspace_id = ${actor.workspaceId} and i.id = hit.inbox_id
    join contacts c on c.workspace_id = ${actor.workspaceId} and c.id = hit.contact_id
    left join users u on u.id = hit.sender_id and hit.sender_type = 'user'
    order by hit.created_at desc, hit.id desc`);
  const rows = (result as unknown as { rows: MessageHitRow[] }).rows;
  return rows.map((r) => {
    const best = [r.h_nl, r.h_en, r.h_simple].reduce((a, b) => (hits(b) > hits(a) ? b : a));
    return {
      message: {
        id: r.id,
        conversationId: r.conversation_id,
        kind: r.kind,
        direction: r.direction,
        senderName: r.sender_name,
        createdAt: new Date(r.created_at).toISOString(),
      },
      conversation: { id: r.conversation_id, number: Number(r.number), status: r.status, channel: r.channel, contactName: r.contact_name },
      highlight: best.replace(/\s+/g, ' ').trim(),
    };
  });
}
