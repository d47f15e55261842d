// The fan-out reference (fanout.mjs --target ws): a bare Node `ws` server,
// no Marquee, no database. Every WebSocket client gets the snapshot (read
// from stdin, a real one from marquee-server) on connecting; a POST
// /broadcast sends its body as a text message to every client, with the
// loop of ws's own broadcast example, and then answers 201. Any other
// request gets 200. Prints "listening PORT" once it accepts connections.
import http from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const snapshot = Buffer.concat(chunks);

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, skipUTF8Validation: true });
wss.on('connection', (socket) => socket.send(snapshot, { binary: false }));

const server = http.createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/broadcast') {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  const body = [];
  request.on('data', (chunk) => body.push(chunk));
  request.on('end', () => {
    const data = Buffer.concat(body);
    wss.clients.forEach((client) => {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: false });
    });
    response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
  });
});
server.keepAliveTimeout = 600_000;
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
