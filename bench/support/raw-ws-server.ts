/** Baseline for the realtime benchmark: a bare `ws` server that broadcasts what it is sent over HTTP. */
import http from 'node:http';
import { WebSocketServer } from 'ws';

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const frame = Buffer.concat(chunks).toString();
    for (const client of wss.clients) client.send(frame);
    res.end('ok');
  });
});
const wss = new WebSocketServer({ server });
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('raw ws ready'));
