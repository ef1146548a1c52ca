import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../store/db';
import { kbArticles, kbCategories, type KbLocale } from '../store/schema';
import { AppError, conflict, notFound } from '../shared/errors';
import type { Deps } from './context';
import { buildKbIndex, type KbIndex } from './kb-search';

/** Knowledge base: categories and articles (Markdown, NL/EN versions, draft/published) and their search index. */
export type ArticleRow = typeof kbArticles.$inferSelect;
export type CategoryRow = typeof kbCategories.$inferSelect;

export interface ArticleInput {
  locale: KbLocale;
  title: string;
  slug?: string;
  body: string;
  status: 'draft' | 'published';
  categoryId?: string | null;
  /** Another article this one translates (its NL or EN version). */
  translationOf?: string | null;
}

export function slugify(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'artikel'
  );
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const articleDto = (a: ArticleRow) => ({
  id: a.id,
  translationKey: a.translationKey,
  locale: a.locale,
  categoryId: a.categoryId,
  title: a.title,
  slug: a.slug,
  body: a.body,
  status: a.status,
  helpfulYes: a.helpfulYes,
  helpfulNo: a.helpfulNo,
  publishedAt: iso(a.publishedAt),
  updatedAt: a.updatedAt.toISOString(),
});
export const categoryDto = (c: CategoryRow) => ({ id: c.id, locale: c.locale, name: c.name, slug: c.slug, position: c.position });

function uniqueViolation(err: unknown, name: string): boolean {
  return new RegExp(name).test(String((err as Error).message) + String((err as { cause?: Error }).cause?.message));
}

export async function listArticles(db: Db, workspaceId: string, opts: { publishedOnly?: boolean; locale?: KbLocale } = {}) {
  return db
    .select()
    .from(kbArticles)
    .where(
      and(
        eq(kbArticles.workspaceId, workspaceId),
        opts.publishedOnly ? eq(kbArticles.status, 'published') : undefined,
        opts.locale ? eq(kbArticles.locale, opts.locale) : undefined,
      ),
    )
    .orderBy(asc(kbArticles.title));
}

/** An article named in a request body (`translationOf`); path ids are loaded by the HTTP resource loader. */
async function articleInWorkspace(db: Db, workspaceId: string, id: string) {
  const [a] = await db.select().from(kbArticles).where(and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.id, id)));
  if (!a) throw new AppError('validation', 'unknown_article', 'translationOf: is not an article of this workspace', { fields: [{ path: 'translationOf', message: 'is not an article of this workspace' }] });
  return a;
}

async function checkCategory(db: Db, workspaceId: string, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const [c] = await db.select({ id: kbCategories.id }).from(kbCategories).where(and(eq(kbCategories.workspaceId, workspaceId), eq(kbCategories.id, categoryId)));
  if (!c) throw new AppError('validation', 'unknown_category', 'categoryId: is not a category of this workspace', { fields: [{ path: 'categoryId', message: 'is not a category of this workspace' }] });
}

/** Creates an article (`current` null) or replaces `current`, which the caller loaded within the workspace. */
export async function saveArticle(deps: Deps, workspaceId: string, current: ArticleRow | null, input: ArticleInput): Promise<ArticleRow> {
  const now = deps.runtime.now();
  await checkCategory(deps.store.db, workspaceId, input.categoryId);
  let translationKey = deps.runtime.id();
  if (input.translationOf) {
    const other = await articleInWorkspace(deps.store.db, workspaceId, input.translationOf);
    if (other.locale === input.locale) throw new AppError('validation', 'same_locale', 'translationOf: a translation must be in the other language');
    translationKey = other.translationKey;
  }
  const slug = slugify(input.slug || input.title);
  try {
    if (current) {
      const [row] = await deps.store.db
        .update(kbArticles)
        .set({
          locale: input.locale,
          title: input.title,
          slug,
          body: input.body,
          status: input.status,
          categoryId: input.categoryId ?? null,
          ...(input.translationOf ? { translationKey } : {}),
          publishedAt: input.status === 'published' ? (current.publishedAt ?? now) : null,
          updatedAt: now,
        })
        .where(and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.id, current.id)))
        .returning();
      invalidateIndex(workspaceId);
      if (!row) throw notFound('article');
      return row;
    }
    const [row] = await deps.store.db
      .insert(kbArticles)
      .values({
        workspaceId,
        id: deps.runtime.id(),
        translationKey,
        locale: input.locale,
        categoryId: input.categoryId ?? null,
        title: input.title,
        slug,
        body: input.body,
        status: input.status,
        publishedAt: input.status === 'published' ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    invalidateIndex(workspaceId);
    return row!;
  } catch (err) {
    if (uniqueViolation(err, 'kb_articles_slug_key')) throw conflict('slug_taken', `An article with the address "${slug}" already exists in this language.`);
    if (uniqueViolation(err, 'kb_articles_translation_key')) throw conflict('translation_exists', 'That article already has a version in this language.');
    throw err;
  }
}

export async function deleteArticle(deps: Deps, article: ArticleRow) {
  await deps.store.db.delete(kbArticles).where(and(eq(kbArticles.workspaceId, article.workspaceId), eq(kbArticles.id, article.id)));
  invalidateIndex(article.workspaceId);
}

export async function listCategories(db: Db, workspaceId: string, locale?: KbLocale) {
  return db
    .select()
    .from(kbCategories)
    .where(and(eq(kbCategories.workspaceId, workspaceId), locale ? eq(kbCategories.locale, locale) : undefined))
    .orderBy(asc(kbCategories.position), asc(kbCategories.name));
}

export interface CategoryInput {
  locale: KbLocale;
  name: string;
  slug?: string;
  position?: number;
}

/** Creates a category (`current` null) or replaces `current`, which the caller loaded within the workspace. */
export async function saveCategory(deps: Deps, workspaceId: string, current: CategoryRow | null, input: CategoryInput) {
  const slug = slugify(input.slug || input.name);
  try {
    if (current) {
      const [row] = await deps.store.db
        .update(kbCategories)
        .set({ locale: input.locale, name: input.name, slug, position: input.position ?? 0, updatedAt: deps.runtime.now() })
        .where(and(eq(kbCategories.workspaceId, workspaceId), eq(kbCategories.id, current.id)))
        .returning();
      if (!row) throw notFound('category');
      return row;
    }
    const [row] = await deps.store.db
      .insert(kbCategories)
      .values({ workspaceId, id: deps.runtime.id(), locale: input.locale, name: input.name, slug, position: input.position ?? 0 })
      .returning();
    return row!;
  } catch (err) {
    if (uniqueViolation(err, 'kb_categories_slug_key')) throw conflict('slug_taken', `A category with the address "${slug}" already exists in this language.`);
    throw err;
  }
}

/** Its articles stay, uncategorised (the foreign key sets their category to null). */
export async function deleteCategory(deps: Deps, category: CategoryRow) {
  await deps.store.db.delete(kbCategories).where(and(eq(kbCategories.workspaceId, category.workspaceId), eq(kbCategories.id, category.id)));
  invalidateIndex(category.workspaceId);
}

/** "Was this helpful?" — counted on the article; the help center and the widget both send it. */
export async function articleFeedback(deps: Deps, workspaceId: string, id: string, helpful: boolean) {
  const rows = await deps.store.db
    .update(kbArticles)
    .set(helpful ? { helpfulYes: sql`${kbArticles.helpfulYes} + 1` } : { helpfulNo: sql`${kbArticles.helpfulNo} + 1` })
    .where(and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.id, id), eq(kbArticles.status, 'published')))
    .returning({ id: kbArticles.id });
  if (!rows.length) throw notFound('article');
}

export async function publishedBySlug(db: Db, workspaceId: string, locale: KbLocale, slug: string) {
  const [a] = await db
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.workspaceId, workspaceId), eq(kbArticles.locale, locale), eq(kbArticles.slug, slug), eq(kbArticles.status, 'published')));
  return a ?? null;
}

export async function translationOf(db: Db, a: ArticleRow) {
  const [t] = await db
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.workspaceId, a.workspaceId), eq(kbArticles.translationKey, a.translationKey), eq(kbArticles.status, 'published')))
    .orderBy(desc(kbArticles.locale));
  return t && t.id !== a.id ? t : null;
}

// The published articles' search index, per workspace, rebuilt when an article changes in this process or
// after a minute (another process may have changed one); building it for a few hundred articles takes ms.
const cache = new Map<string, { at: number; index: KbIndex; articles: Map<string, ArticleRow> }>();
const TTL_MS = 60_000;
function invalidateIndex(workspaceId: string) {
  cache.delete(workspaceId);
}

export async function kbIndex(db: Db, workspaceId: string) {
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit;
  const rows = await listArticles(db, workspaceId, { publishedOnly: true });
  const entry = { at: Date.now(), index: buildKbIndex(rows.map((r) => ({ id: r.id, locale: r.locale, title: r.title, body: r.body }))), articles: new Map(rows.map((r) => [r.id, r])) };
  cache.set(workspaceId, entry);
  return entry;
}

export const helpCenterUrl = (publicUrl: string, workspaceId: string, locale: KbLocale, slug?: string) =>
  `${publicUrl}/help/${workspaceId}/${locale}${slug ? `/${slug}` : ''}`;
