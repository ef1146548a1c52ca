import WebSocket from 'ws';

/** A realtime client that collects frames and can wait for one matching a predicate. */
export async function connectRealtime(baseUrl: string, opts: { token?: string; cookie?: string; origin?: string; workspaceId?: string }) {
  const url = new URL('/api/v1/realtime', baseUrl.replace(/^http/, 'ws'));
  if (opts.token) url.searchParams.set('token', opts.token);
  if (opts.workspaceId) url.searchParams.set('workspaceId', opts.workspaceId);
  const ws = new WebSocket(url, { headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.origin ? { origin: opts.origin } : {}) } });
  const frames: any[] = [];
  const waiters: { pred: (f: any) => boolean; resolve: (f: any) => void }[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString());
    frames.push(f);
    for (const w of [...waiters]) if (w.pred(f)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(f);
    }
  });
  const ready = new Promise<void>((resolve, reject) => {
    ws.on('close', (code, reason) => {
      closed = { code, reason: reason.toString() };
      reject(new Error(`closed ${code} ${reason.toString()}`));
    });
    const check = (f: any) => f.type === 'ready';
    waiters.push({ pred: check, resolve: () => resolve() });
  });
  return {
    ws,
    frames,
    ready,
    get closed() {
      return closed;
    },
    next(pred: (f: any) => boolean, timeoutMs = 5000): Promise<any> {
      const found = frames.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no matching realtime frame')), timeoutMs);
        waiters.push({ pred, resolve: (f) => (clearTimeout(t), resolve(f)) });
      });
    },
    send: (msg: unknown) => ws.send(JSON.stringify(msg)),
    close: () => ws.close(),
  };
}
