import type { FastifyInstance, FastifyReply } from 'fastify';
import { eq } from 'drizzle-orm';
import { workspaces } from '../store/schema';
import type { Services } from '../app/context';
import { articleFeedback, helpCenterUrl, kbIndex, listArticles, listCategories, publishedBySlug, translationOf, type ArticleRow } from '../app/kb';
import { escapeHtml, markdownToText, renderMarkdown } from '../shared/markdown';
import { UUID_RE } from '../shared/runtime';

/**
 * The public help center: server-rendered HTML, no JavaScript, one small inline-free stylesheet, so it is fast
 * and works on any phone. /help/{workspaceId}/{nl|en}[/{slug}] with ?q= search and "was this helpful?" as a
 * plain form POST.
 */
const t = {
  nl: { title: 'Helpcentrum', search: 'Zoeken', placeholder: 'Waar kunnen we mee helpen?', results: 'Zoekresultaten', none: 'Niets gevonden. Stel uw vraag gerust in de chat.', helpful: 'Was dit artikel nuttig?', yes: 'Ja', no: 'Nee', thanks: 'Bedankt voor uw reactie!', other: 'Read in English', back: 'Alle artikelen', uncategorised: 'Overig' },
  en: { title: 'Help center', search: 'Search', placeholder: 'How can we help?', results: 'Search results', none: 'Nothing found. Feel free to ask in the chat.', helpful: 'Was this article helpful?', yes: 'Yes', no: 'No', thanks: 'Thank you for your feedback!', other: 'Lees in het Nederlands', back: 'All articles', uncategorised: 'Other' },
};

const css = `body{margin:0;font:16px/1.55 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330;background:#f7f8fa}
header{background:#1f2a44;color:#fff;padding:20px 16px}header a{color:#fff;text-decoration:none}
main{max-width:760px;margin:0 auto;padding:16px}h1{font-size:1.6rem;margin:.2em 0}
form.s{display:flex;gap:8px;margin:12px 0}form.s input{flex:1;min-width:0;padding:10px;border:1px solid #c5cad3;border-radius:8px;font-size:1rem}
button{padding:10px 14px;border:0;border-radius:8px;background:#1f6feb;color:#fff;font-size:1rem;cursor:pointer}
.card{background:#fff;border:1px solid #e3e6eb;border-radius:10px;padding:14px 16px;margin:10px 0}
.card a{font-weight:600;color:#1f4fbf;text-decoration:none}.muted{color:#5b6475;font-size:.92rem}
article{background:#fff;border:1px solid #e3e6eb;border-radius:10px;padding:8px 20px 20px}
article pre{overflow:auto;background:#f1f3f6;padding:10px;border-radius:6px}nav{margin:10px 0}
.fb{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-top:16px}`;

export async function helpCenterHttp(app: FastifyInstance, deps: Services) {
  // The feedback form posts urlencoded; only this scope accepts that.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => done(null, body));
  app.get('/help/assets/help.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css));

  const layout = (reply: FastifyReply, locale: 'nl' | 'en', wsName: string, home: string, title: string, body: string, status = 200) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .header('content-security-policy', "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
      .send(
        `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
          `<title>${escapeHtml(title)} · ${escapeHtml(wsName)}</title><link rel="stylesheet" href="/help/assets/help.css"></head><body>` +
          `<header><a href="${home}"><strong>${escapeHtml(wsName)}</strong> · ${t[locale].title}</a></header><main>${body}</main></body></html>`,
      );

  const searchForm = (locale: 'nl' | 'en', home: string, q = '') =>
    `<form class="s" method="get" action="${home}" role="search"><input type="search" name="q" value="${escapeHtml(q)}" aria-label="${t[locale].search}" placeholder="${t[locale].placeholder}"><button>${t[locale].search}</button></form>`;

  async function workspaceName(id: string) {
    if (!UUID_RE.test(id)) return null;
    const [w] = await deps.store.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, id.toLowerCase()));
    return w?.name ?? null;
  }

  const card = (a: ArticleRow, home: string) =>
    `<div class="card"><a href="${home}/${escapeHtml(a.slug)}">${escapeHtml(a.title)}</a><div class="muted">${escapeHtml(markdownToText(a.body).slice(0, 160))}</div></div>`;

  app.get('/help/:workspaceId/:locale', async (req, reply) => {
    const { workspaceId, locale } = req.params as { workspaceId: string; locale: string };
    const q = String((req.query as { q?: string }).q ?? '').slice(0, 200).trim();
    const name = await workspaceName(workspaceId);
    if (!name || (locale !== 'nl' && locale !== 'en')) return reply.status(404).type('text/plain').send('Not found');
    const home = helpCenterUrl('', workspaceId, locale);
    if (q) {
      const { index, articles } = await kbIndex(deps.store.db, workspaceId);
      const hits = index.search(q, { locale, limit: 10 }).map((h) => articles.get(h.id)!);
      const list = hits.length ? hits.map((a) => card(a, home)).join('') : `<p>${t[locale].none}</p>`;
      return layout(reply, locale, name, home, t[locale].results, `${searchForm(locale, home, q)}<h1>${t[locale].results}</h1>${list}`);
    }
    const [articles, categories] = await Promise.all([listArticles(deps.store.db, workspaceId, { publishedOnly: true, locale }), listCategories(deps.store.db, workspaceId, locale)]);
    const groups = [...categories.map((c) => ({ name: c.name, items: articles.filter((a) => a.categoryId === c.id) })), { name: t[locale].uncategorised, items: articles.filter((a) => !a.categoryId || !categories.some((c) => c.id === a.categoryId)) }].filter((g) => g.items.length);
    const other = locale === 'nl' ? 'en' : 'nl';
    const body = `<h1>${t[locale].title}</h1>${searchForm(locale, home)}${groups.map((g) => `<h2>${escapeHtml(g.name)}</h2>${g.items.map((a) => card(a, home)).join('')}`).join('')}<nav><a href="${helpCenterUrl('', workspaceId, other)}">${t[locale].other}</a></nav>`;
    return layout(reply, locale, name, home, t[locale].title, body);
  });

  app.get('/help/:workspaceId/:locale/:slug', async (req, reply) => {
    const { workspaceId, locale, slug } = req.params as { workspaceId: string; locale: string; slug: string };
    const thanks = (req.query as { thanks?: string }).thanks === '1';
    const name = await workspaceName(workspaceId);
    if (!name || (locale !== 'nl' && locale !== 'en')) return reply.status(404).type('text/plain').send('Not found');
    const home = helpCenterUrl('', workspaceId, locale);
    const a = await publishedBySlug(deps.store.db, workspaceId.toLowerCase(), locale, slug);
    if (!a) return layout(reply, locale, name, home, '404', `${searchForm(locale, home)}<p>${t[locale].none}</p>`, 404);
    const tr = await translationOf(deps.store.db, a);
    const fb = thanks
      ? `<p class="fb">${t[locale].thanks}</p>`
      : `<form class="fb" method="post" action="${home}/${escapeHtml(a.slug)}/feedback"><span>${t[locale].helpful}</span><button name="helpful" value="yes">${t[locale].yes}</button><button name="helpful" value="no">${t[locale].no}</button></form>`;
    const body = `${searchForm(locale, home)}<nav><a href="${home}">← ${t[locale].back}</a>${tr ? ` · <a href="${helpCenterUrl('', workspaceId, tr.locale, tr.slug)}" hreflang="${tr.locale}">${t[locale].other}</a>` : ''}</nav><article><h1>${escapeHtml(a.title)}</h1>${renderMarkdown(a.body)}${fb}</article>`;
    return layout(reply, locale, name, home, a.title, body);
  });

  app.post('/help/:workspaceId/:locale/:slug/feedback', async (req, reply) => {
    const { workspaceId, locale, slug } = req.params as { workspaceId: string; locale: string; slug: string };
    if (!UUID_RE.test(workspaceId) || (locale !== 'nl' && locale !== 'en')) return reply.status(404).send();
    const a = await publishedBySlug(deps.store.db, workspaceId.toLowerCase(), locale, slug);
    if (!a) return reply.status(404).type('text/plain').send('Not found');
    const body = String(req.body ?? '');
    const helpful = /(^|&)helpful=yes(&|$)/.test(body);
    // One vote per IP and article a day, so a script cannot stuff the counts.
    const limited = await deps.limiter.hit(`kb:feedback:${req.ip}:${a.id}`, 1, 86_400_000);
    if (limited.allowed) await articleFeedback(deps, a.workspaceId, a.id, helpful);
    return reply.redirect(`${helpCenterUrl('', workspaceId, locale, slug)}?thanks=1`, 303);
  });
}
