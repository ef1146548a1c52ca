import { z } from 'zod';
import type { RouteSpec } from './route';

/**
 * OpenAPI 3.1 generated from the route declarations and their zod schemas (JSON Schema 2020-12, which
 * OpenAPI 3.1 uses as is). Named schemas (`.meta({ id })`) become components.
 */
type Json = Record<string, unknown>;

function convert(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  delete json.$schema;
  for (const [name, def] of Object.entries(defs)) {
    delete def.$schema;
    delete def.$id;
    components[name] = JSON.parse(JSON.stringify(def).replaceAll('"#/$defs/', '"#/components/schemas/'));
  }
  return JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable snake_case code' },
        message: { type: 'string' },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              path: { type: 'string' },
              message: { type: 'string' },
              code: { type: 'string', description: 'What is wrong: too_small, too_big, invalid_type, invalid_format, end_before_start, …' },
              params: { type: 'object', description: 'The limit broken (minimum, maximum, origin)', additionalProperties: true },
            },
          },
        },
      },
    },
  },
};

const errorText: Record<number, string> = {
  400: 'Malformed request (e.g. invalid JSON)',
  401: 'Not authenticated',
  403: 'Not allowed (role, CSRF)',
  404: 'Not found (also for resources of other workspaces)',
  409: 'Conflict with the current state',
  413: 'Body too large',
  422: 'Validation failed; `fields` names the offending fields',
  429: 'Rate limited; see Retry-After',
};

export function buildOpenApi(routes: RouteSpec[], info: { version: string; serverUrl: string }) {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    if (r.hidden) continue;
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const parameters: Json[] = [];
    for (const m of r.url.matchAll(/:(\w+)/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    if (r.query) {
      const q = convert(r.query, 'input', components) as { properties?: Record<string, Json>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    if (r.method === 'POST') {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Replays the first response for retries with the same key and body.' });
    }
    const status = String(r.response?.status ?? 200);
    const responses: Json = {
      [status]: {
        description: r.response?.description ?? (status === '204' ? 'No content' : 'OK'),
        ...(r.response?.schema
          ? { content: { 'application/json': { schema: convert(r.response.schema, 'output', components) } } }
          : r.response?.contentType
            ? { content: { [r.response.contentType]: { schema: { type: 'string', format: 'binary' } } } }
            : {}),
      },
    };
    const codes = new Set<number>([...(r.errors ?? [])]);
    if (r.auth !== 'public') codes.add(401);
    if (r.roles) codes.add(403);
    if (r.resources) codes.add(404);
    if (r.body || r.query || r.params) codes.add(422);
    if (r.body) codes.add(400).add(413);
    for (const c of [...codes].sort()) {
      responses[String(c)] = { description: errorText[c] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    paths[path] ??= {};
    paths[path]![r.method.toLowerCase()] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags,
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(r.auth === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: convert(r.body, 'input', components) } } } } : {}),
      responses,
    };
  }
  components.Error = errorSchema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Balie API',
      version: info.version,
      description:
        'Omnichannel customer service. Authenticate with `Authorization: Bearer <apiToken>` or the session cookie (then send `X-CSRF-Token` on changes and `X-Workspace-Id` to pick a workspace). Errors are `{"error":{"code","message"}}`; lists are `{"items","nextCursor"}`.',
    },
    servers: [{ url: info.serverUrl }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (blt_…)' },
        session: { type: 'apiKey', in: 'cookie', name: 'balie_session' },
      },
    },
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Human-readable API reference, server-rendered from the same document (no CDN, no JavaScript). */
export function renderDocs(doc: ReturnType<typeof buildOpenApi>): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops as Record<string, Json>)) {
      const tag = ((op.tags as string[]) ?? ['Other'])[0]!;
      const body = (op.requestBody as Json | undefined)?.content as Record<string, { schema: Json }> | undefined;
      const ok = Object.entries(op.responses as Record<string, Json>).find(([code]) => code.startsWith('2'));
      const okSchema = ((ok?.[1].content as Record<string, { schema: Json }> | undefined)?.['application/json']?.schema) ?? null;
      const params = ((op.parameters as Json[]) ?? []).filter((p) => p.in === 'query').map((p) => `<code>${esc(String(p.name))}</code>`).join(' ');
      byTag.set(tag, [
        ...(byTag.get(tag) ?? []),
        `<details><summary><span class="m m-${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> — ${esc(String(op.summary))}</summary>
        ${op.description ? `<p>${esc(String(op.description))}</p>` : ''}
        ${params ? `<p>Query: ${params}</p>` : ''}
        ${body ? `<h4>Request body</h4><pre>${esc(JSON.stringify(body['application/json']?.schema, null, 2))}</pre>` : ''}
        ${okSchema ? `<h4>Response ${esc(ok![0])}</h4><pre>${esc(JSON.stringify(okSchema, null, 2))}</pre>` : ''}
        <p class="codes">Responses: ${Object.keys(op.responses as Json).join(', ')}</p></details>`,
      ]);
    }
  }
  const sections = [...byTag].map(([tag, items]) => `<section><h2 id="${esc(tag)}">${esc(tag)}</h2>${items.join('\n')}</section>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Balie API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1e293b}
h1{margin-bottom:.2rem} details{border:1px solid #e2e8f0;border-radius:6px;margin:.4rem 0;padding:.4rem .8rem}
summary{cursor:pointer} pre{background:#f8fafc;padding:.6rem;overflow:auto;font-size:12px;border-radius:4px}
.m{display:inline-block;min-width:4.2em;font:600 12px monospace;padding:2px 6px;border-radius:4px;color:#fff;text-align:center}
.m-get{background:#0369a1}.m-post{background:#15803d}.m-patch,.m-put{background:#a16207}.m-delete{background:#b91c1c}
.codes{color:#475569;font-size:13px} nav a{margin-right:.8rem}
</style></head><body><h1>Balie API</h1><p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#${esc(t)}">${esc(t)}</a>`).join('')}</nav>${sections}</body></html>`;
}
