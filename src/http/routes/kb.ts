import { z } from 'zod';
import { articleDto, categoryDto, deleteArticle, deleteCategory, listArticles, listCategories, saveArticle, saveCategory } from '../../app/kb';
import { renderMarkdown } from '../../shared/markdown';
import { route, type RouteSpec } from '../route';

/**
 * Knowledge-base management for the agent app's editor. Everyone in the workspace reads (drafts included);
 * owners and admins write. Path ids go through the shared resource loader, so another workspace's article or
 * category is the same 404 as everywhere else.
 */
const locale = z.enum(['nl', 'en']);
const articleInput = z.object({
  locale,
  title: z.string().trim().min(1).max(200),
  slug: z.string().max(80).optional(),
  body: z.string().max(100_000).default(''),
  status: z.enum(['draft', 'published']).default('draft'),
  categoryId: z.uuid().nullable().optional(),
  translationOf: z.uuid().nullable().optional(),
});
const categoryInput = z.object({ locale, name: z.string().trim().min(1).max(120), slug: z.string().max(80).optional(), position: z.number().int().min(0).max(10_000).optional() });

/** The parts every knowledge-base route shares: its tag, member auth, and who may use it. */
type KbRouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = Omit<RouteSpec<P, Q, B>, 'tags' | 'auth' | 'roles'>;
const readRoute = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: KbRouteSpec<P, Q, B>) =>
  route<P, Q, B>({ ...spec, tags: ['Knowledge base'], auth: 'member' });
const writeRoute = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: KbRouteSpec<P, Q, B>) =>
  route<P, Q, B>({ ...spec, tags: ['Knowledge base'], auth: 'member', roles: ['owner', 'admin'] });

/** `/:id` of an article or a category, loaded by the resource loader (404 outside the workspace). */
const articleId = { params: z.object({ id: z.string() }), resources: { id: 'article' as const } };
const categoryId = { params: z.object({ id: z.string() }), resources: { id: 'category' as const } };

export const kbRoutes: RouteSpec[] = [
  readRoute({
    method: 'GET',
    url: '/api/v1/kb/articles',
    summary: 'Knowledge-base articles (drafts included)',
    query: z.object({ locale: locale.optional() }),
    handler: async ({ deps, actor, query }) => ({ items: (await listArticles(deps.store.db, actor.workspaceId, { locale: query.locale })).map(articleDto) }),
  }),
  writeRoute({
    method: 'POST',
    url: '/api/v1/kb/articles',
    summary: 'Create an article (Markdown; `translationOf` links the NL and EN versions)',
    body: articleInput,
    response: { status: 201 },
    errors: [409],
    handler: async ({ deps, actor, body }) => articleDto(await saveArticle(deps, actor.workspaceId, null, body)),
  }),
  readRoute({
    method: 'GET',
    url: '/api/v1/kb/articles/:id',
    summary: 'One article',
    ...articleId,
    handler: ({ resources }) => articleDto(resources.article!),
  }),
  writeRoute({
    method: 'PUT',
    url: '/api/v1/kb/articles/:id',
    summary: 'Replace an article',
    ...articleId,
    body: articleInput,
    errors: [409],
    handler: async ({ deps, actor, resources, body }) => articleDto(await saveArticle(deps, actor.workspaceId, resources.article!, body)),
  }),
  writeRoute({
    method: 'DELETE',
    url: '/api/v1/kb/articles/:id',
    summary: 'Delete an article',
    ...articleId,
    response: { status: 204 },
    handler: async ({ deps, resources }) => {
      await deleteArticle(deps, resources.article!);
    },
  }),
  readRoute({
    method: 'POST',
    url: '/api/v1/kb/preview',
    summary: 'Render Markdown as the help center shows it (safe HTML)',
    body: z.object({ body: z.string().max(100_000) }),
    handler: ({ body }) => ({ html: renderMarkdown(body.body) }),
  }),
  readRoute({
    method: 'GET',
    url: '/api/v1/kb/categories',
    summary: 'Knowledge-base categories',
    handler: async ({ deps, actor }) => ({ items: (await listCategories(deps.store.db, actor.workspaceId)).map(categoryDto) }),
  }),
  writeRoute({
    method: 'POST',
    url: '/api/v1/kb/categories',
    summary: 'Create a category',
    body: categoryInput,
    response: { status: 201 },
    errors: [409],
    handler: async ({ deps, actor, body }) => categoryDto(await saveCategory(deps, actor.workspaceId, null, body)),
  }),
  writeRoute({
    method: 'PUT',
    url: '/api/v1/kb/categories/:id',
    summary: 'Replace a category',
    ...categoryId,
    body: categoryInput,
    errors: [409],
    handler: async ({ deps, actor, resources, body }) => categoryDto(await saveCategory(deps, actor.workspaceId, resources.category!, body)),
  }),
  writeRoute({
    method: 'DELETE',
    url: '/api/v1/kb/categories/:id',
    summary: 'Delete a category (its articles stay, uncategorised)',
    ...categoryId,
    response: { status: 204 },
    handler: async ({ deps, resources }) => {
      await deleteCategory(deps, resources.category!);
    },
  }),
];
