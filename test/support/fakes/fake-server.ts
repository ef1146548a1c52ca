import http from 'node:http';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json(): any;
  form(): URLSearchParams;
  /** multipart/form-data parts (fields and files). */
  parts(): { name: string; fileName?: string; contentType?: string; data: Buffer }[];
}
export interface FakeResponse {
  status: number;
  json?: unknown;
  body?: Buffer | string;
  contentType?: string;
}
export type FakeRoute = (req: FakeRequest, match: RegExpMatchArray) => FakeResponse | Promise<FakeResponse>;

/** A tiny real HTTP server for provider fakes: method + path regex → handler; everything is recorded. */
export async function startFakeServer(routes: [string, RegExp, FakeRoute][]) {
  const log: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const body = Buffer.concat(chunks);
      const fr: FakeRequest = {
        method: req.method ?? 'GET',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body,
        json: () => JSON.parse(body.toString('utf8')),
        form: () => new URLSearchParams(body.toString('utf8')),
        parts: () => parseMultipart(String(req.headers['content-type'] ?? ''), body),
      };
      log.push(fr);
      try {
        const route = routes.find(([m, re]) => m === fr.method && re.test(fr.path));
        const out: FakeResponse = route ? await route[2](fr, fr.path.match(route[1])!) : { status: 404, json: { error: 'not found' } };
        res.writeHead(out.status, { 'content-type': out.contentType ?? 'application/json' });
        res.end(out.body ?? JSON.stringify(out.json ?? {}));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String((err as Error).stack));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseMultipart(contentType: string, body: Buffer) {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) return [];
  const out: { name: string; fileName?: string; contentType?: string; data: Buffer }[] = [];
  const sep = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(sep);
  while (pos >= 0) {
    const next = body.indexOf(sep, pos + sep.length);
    if (next < 0) break;
    const part = body.subarray(pos + sep.length + 2, next - 2);
    const headEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headEnd).toString('utf8');
    out.push({
      name: /name="([^"]*)"/.exec(head)?.[1] ?? '',
      fileName: /filename="([^"]*)"/.exec(head)?.[1],
      contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
      data: part.subarray(headEnd + 4),
    });
    pos = next;
  }
  return out;
}
