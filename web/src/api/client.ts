/**
 * The one way the agent app talks to the API: same-origin fetch with the session cookie, the CSRF token on
 * changes and the chosen workspace in X-Workspace-Id. Every failure becomes an ApiError with the server's
 * stable code, so screens can show a clear message and a retry instead of a blank page.
 */
export interface FieldIssue {
  path: string;
  /** English; the app shows its own text for `code` when it has one (ui/field.tsx fieldErrorText). */
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth retrying as is: the network or the server failed, not the request. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

const state: { csrfToken: string | null; workspaceId: string | null } = { csrfToken: null, workspaceId: null };

export function setCsrfToken(token: string | null) {
  state.csrfToken = token;
}
export function setWorkspaceId(id: string | null) {
  state.workspaceId = id;
}
export const currentWorkspaceId = () => state.workspaceId;

/** Fired when a call answers 401: the session ended (expired, logged out elsewhere). */
export const sessionEvents = new EventTarget();

export interface RequestOptions {
  signal?: AbortSignal;
  /** Public endpoints (login, setup): a 401 there is an answer, not an ended session. */
  anonymous?: boolean;
  headers?: Record<string, string>;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;
  if (state.workspaceId && !opts.anonymous) headers['x-workspace-id'] = state.workspaceId;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; fields?: FieldIssue[] } } | undefined)?.error;
    if (res.status === 401 && !opts.anonymous) sessionEvents.dispatchEvent(new Event('expired'));
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? res.statusText, e?.fields ?? []);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body ?? {}, opts),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body ?? {}, opts),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/** Query-string helper that drops empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
