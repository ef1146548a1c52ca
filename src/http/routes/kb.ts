import { z } from 'zod';
import { articleDto, categoryDto, deleteArticle, deleteCategory, getArticle, listArticles, listCategories, saveArticle, saveCategory } from '../../app/kb';
import { renderMarkdown } from '../../shared/markdown';
import { route, type RouteSpec } from '../route';

/** Knowledge-base management for the agent app's editor. Everyone in the workspace reads; admins write. */
const tags = ['Knowledge base'];
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
const idParams = z.object({ id: z.string() });

export const kbRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/api/v1/kb/articles',
    summary: 'Knowledge-base articles (drafts included)',
    tags,
    auth: 'member',
    query: z.object({ locale: locale.optional() }),
    handler: async ({ deps, actor, query }) => ({ items: (await listArticles(deps.store.db, actor.workspaceId, { locale: query.locale })).map(articleDto) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/kb/articles',
    summary: 'Create an article (Markdown; `translationOf` links the NL and EN versions)',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    body: articleInput,
    response: { status: 201 },
    handler: async ({ deps, actor, body }) => articleDto(await saveArticle(deps, actor.workspaceId, null, body)),
  }),
  route({
    method: 'GET',
    url: '/api/v1/kb/articles/:id',
    summary: 'One article',
    tags,
    auth: 'member',
    params: idParams,
    handler: async ({ deps, actor, params }) => articleDto(await getArticle(deps.store.db, actor.workspaceId, params.id)),
  }),
  route({
    method: 'PUT',
    url: '/api/v1/kb/articles/:id',
    summary: 'Replace an article',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    params: idParams,
    body: articleInput,
    handler: async ({ deps, actor, params, body }) => articleDto(await saveArticle(deps, actor.workspaceId, params.id, body)),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/kb/articles/:id',
    summary: 'Delete an article',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    params: idParams,
    response: { status: 204 },
    handler: async ({ deps, actor, params }) => {
      await deleteArticle(deps, actor.workspaceId, params.id);
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/kb/preview',
    summary: 'Render Markdown as the help center shows it (safe HTML)',
    tags,
    auth: 'member',
    body: z.object({ body: z.string().max(100_000) }),
    handler: ({ body }) => ({ html: renderMarkdown(body.body) }),
  }),
  route({
    method: 'GET',
    url: '/api/v1/kb/categories',
    summary: 'Knowledge-base categories',
    tags,
    auth: 'member',
    handler: async ({ deps, actor }) => ({ items: (await listCategories(deps.store.db, actor.workspaceId)).map(categoryDto) }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/kb/categories',
    summary: 'Create a category',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    body: categoryInput,
    response: { status: 201 },
    handler: async ({ deps, actor, body }) => categoryDto(await saveCategory(deps, actor.workspaceId, null, body)),
  }),
  route({
    method: 'PUT',
    url: '/api/v1/kb/categories/:id',
    summary: 'Replace a category',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    params: idParams,
    body: categoryInput,
    handler: async ({ deps, actor, params, body }) => categoryDto(await saveCategory(deps, actor.workspaceId, params.id, body)),
  }),
  route({
    method: 'DELETE',
    url: '/api/v1/kb/categories/:id',
    summary: 'Delete a category (its articles stay, uncategorised)',
    tags,
    auth: 'member',
    roles: ['owner', 'admin'],
    params: idParams,
    response: { status: 204 },
    handler: async ({ deps, actor, params }) => {
      await deleteCategory(deps, actor.workspaceId, params.id);
    },
  }),
];
