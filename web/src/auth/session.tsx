import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, api, sessionEvents, setCsrfToken, setWorkspaceId } from '../api/client';
import type { Session, SessionWorkspace } from '../api/types';
import { realtime } from '../api/realtime';
import { reloadEverything, startBootstrap } from '../api/bootstrap';
import { prefetchFirstList } from '../api/first-screen';
import { catchUpOnFirstSubscribe } from '../api/catch-up';
import { browserLanguage, setLanguage, type Language } from '../i18n';
import { setTimeZone } from '../i18n/format';

/**
 * Who is logged in and in which workspace. A session that ends while the agent works (expired, logged out
 * elsewhere) does not throw them out of the screen: the login appears over it, and after logging in they are
 * back where they were, with their draft (drafts live in localStorage).
 */
type Status = 'loading' | 'anonymous' | 'ready' | 'expired' | 'error';

interface SessionValue {
  status: Status;
  session: Session | null;
  workspace: SessionWorkspace | null;
  needsSetup: boolean;
  error: ApiError | null;
  isAdmin: boolean;
  login(email: string, password: string): Promise<void>;
  adopt(session: Session, workspaceId?: string): void;
  logout(): Promise<void>;
  switchWorkspace(id: string): void;
  reload(): void;
}

const Ctx = createContext<SessionValue | null>(null);
const WORKSPACE_KEY = 'balie.workspace';

function pickWorkspace(session: Session, wanted?: string | null): SessionWorkspace | null {
  const stored = wanted ?? localStorage.getItem(WORKSPACE_KEY);
  return session.workspaces.find((w) => w.id === stored) ?? session.workspaces[0] ?? null;
}

export function languageFor(session: Session | null, workspace: SessionWorkspace | null): Language {
  const l = session?.user.locale ?? (workspace?.locale === 'nl' || workspace?.locale === 'en' ? workspace.locale : null);
  return l ?? browserLanguage();
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<Status>('loading');
  const [session, setSession] = useState<Session | null>(null);
  const [workspace, setWorkspace] = useState<SessionWorkspace | null>(null);
  const [needsSetup, setNeedsSetup] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  /** The user and workspace whose reference lists are loaded (see api/bootstrap.ts). */
  const loadedFor = useRef<string | null>(null);

  const adopt = useCallback((s: Session, workspaceId?: string) => {
    const ws = pickWorkspace(s, workspaceId);
    setCsrfToken(s.csrfToken);
    setWorkspaceId(ws?.id ?? null);
    // Before the shell renders: the first screen's lists are already on their way in one request. Adopting the
    // same session again (a changed availability) loads nothing.
    const loadFor = ws ? `${s.user.id}/${ws.id}` : null;
    if (ws && loadedFor.current !== loadFor) {
      startBootstrap(qc, ws.id);
      prefetchFirstList(qc);
      catchUpOnFirstSubscribe(qc);
    }
    loadedFor.current = loadFor;
    if (ws) localStorage.setItem(WORKSPACE_KEY, ws.id);
    setTimeZone(ws?.timeZone);
    void setLanguage(languageFor(s, ws), false);
    setSession(s);
    setWorkspace(ws);
    setNeedsSetup(false);
    setStatus('ready');
    if (ws) realtime.connect(ws.id);
  }, [qc]);

  useEffect(() => {
    let cancelled = false;
    setStatus((s) => (s === 'ready' ? s : 'loading'));
    (async () => {
      try {
        const s = await api.get<Session>('/api/v1/auth/session', { anonymous: true });
        if (!cancelled) adopt(s);
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && err.status === 401) {
          try {
            const setup = await api.get<{ needsSetup: boolean }>('/api/v1/setup', { anonymous: true });
            if (cancelled) return;
            setNeedsSetup(setup.needsSetup);
            setStatus('anonymous');
          } catch (e) {
            if (!cancelled) {
              setError(e as ApiError);
              setStatus('error');
            }
          }
        } else {
          setError(err as ApiError);
          setStatus('error');
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [adopt, attempt]);

  useEffect(() => {
    const onExpired = () => {
      setStatus((s) => (s === 'ready' ? 'expired' : s));
      realtime.disconnect();
    };
    sessionEvents.addEventListener('expired', onExpired);
    return () => sessionEvents.removeEventListener('expired', onExpired);
  }, []);

  const login = useCallback(
    async (email: string, password: string) => {
      const s = await api.post<Session>('/api/v1/auth/login', { email, password }, { anonymous: true });
      const sameUser = session?.user.id === s.user.id;
      // Back from an expired session: what failed meanwhile is fetched again; a different user starts clean.
      if (!sameUser) qc.clear();
      adopt(s, sameUser ? workspace?.id : undefined);
      if (sameUser) reloadEverything(qc, workspace?.id ?? null);
    },
    [adopt, qc, session, workspace],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } catch {
      /* the session may already be gone; logging out locally is what matters */
    }
    realtime.disconnect();
    setCsrfToken(null);
    setWorkspaceId(null);
    setSession(null);
    setWorkspace(null);
    qc.clear();
    loadedFor.current = null;
    setStatus('anonymous');
  }, [qc]);

  const switchWorkspace = useCallback(
    (id: string) => {
      if (!session) return;
      qc.clear();
      loadedFor.current = null;
      adopt(session, id);
    },
    [adopt, qc, session],
  );

  const value = useMemo<SessionValue>(
    () => ({
      status,
      session,
      workspace,
      needsSetup,
      error,
      isAdmin: workspace?.role === 'owner' || workspace?.role === 'admin',
      login,
      adopt,
      logout,
      switchWorkspace,
      reload: () => setAttempt((a) => a + 1),
    }),
    [status, session, workspace, needsSetup, error, login, adopt, logout, switchWorkspace],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** For screens that only render with a logged-in user in a workspace. */
export function useMe() {
  const { session, workspace, isAdmin } = useSession();
  return { user: session!.user, workspace: workspace!, isAdmin, workspaces: session!.workspaces };
}
