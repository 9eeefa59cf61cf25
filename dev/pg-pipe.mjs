// WebSocket -> TCP pipe for local Postgres: what Neon's wsproxy does in production.
// The Neon driver (@neondatabase/serverless) speaks the Postgres wire protocol over a WebSocket at
// `/v1?address=host:port`; this server accepts that, dials the (loopback-only) target and pipes bytes.
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';

// A plain `import 'ws'` can resolve to the browser build under vitest.
const { WebSocketServer } = createRequire(import.meta.url)('ws');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

// Splits "host:port", "[::1]:port" or "::1:port" (last colon is the port separator).
function parseAddress(address) {
  if (!address) return null;
  const i = address.lastIndexOf(':');
  if (i <= 0) return null;
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return null;
  return { host, port };
}

// Tracks frontend message boundaries across arbitrary chunking so a Terminate ('X', length 4) can be
// recognised. Startup-phase packets have no type byte: int32 length + int32 code (SSLRequest/GSSENCRequest
// keep us in the startup phase; anything else ends it). Afterwards: 1 type byte + int32 length (incl. itself).
// `onMessage(type)` (optional) sees every typed message's type letter ('Q', 'P', 'B', 'S', …) and, for the
// untyped startup-phase packets, the string 'startup'.
function terminateWatcher(onMessage) {
  let startup = true;
  let remaining = 0; // body bytes of the current message still to skip
  const hdr = Buffer.alloc(8);
  let fill = 0;
  return function sawTerminate(chunk) {
    let i = 0;
    while (i < chunk.length) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - i);
        i += n;
        remaining -= n;
        continue;
      }
      const need = startup ? 8 : 5;
      const n = Math.min(need - fill, chunk.length - i);
      chunk.copy(hdr, fill, i, i + n);
      fill += n;
      i += n;
      if (fill < need) break;
      fill = 0;
      if (startup) {
        const code = hdr.readInt32BE(4);
        remaining = Math.max(0, hdr.readInt32BE(0) - 8);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
        onMessage?.('startup');
      } else {
        const len = hdr.readInt32BE(1);
        onMessage?.(String.fromCharCode(hdr[0]));
        if (hdr[0] === 0x58 && len === 4) return true;
        remaining = Math.max(0, len - 4);
      }
    }
    return false;
  };
}

export async function startPgPipe({ port = 0, host = '127.0.0.1' } = {}) {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new Set();
  // Frontend message counts across all connections since the start (or the last resetStats()). One SQL round
  // trip is a simple query ('Q') or an extended-protocol exchange, which ends with a Sync ('S').
  let counters;
  const resetStats = () => {
    counters = { connections: 0, messages: Object.create(null), startupPackets: 0 };
  };
  resetStats();
  const countMessage = (type) => {
    if (type === 'startup') counters.startupPackets++;
    else counters.messages[type] = (counters.messages[type] ?? 0) + 1;
  };
  const server = http.createServer((req, res) => {
    // Plain HTTP (e.g. Neon's /sql endpoint) is not something a local server speaks.
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket upgrade required\n');
  });

  server.on('upgrade', (req, socket, head) => {
    const u = new URL(req.url, 'http://x');
    const target = parseAddress(u.searchParams.get('address'));
    const reject = (code, text) => {
      socket.end(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (u.pathname !== '/v1') return reject(404, 'Not Found');
    if (!target) return reject(400, 'Bad Request');
    if (!LOOPBACK.has(target.host)) return reject(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => pipe(ws, target));
  });

  function pipe(ws, { host: tHost, port: tPort }) {
    const tcp = net.connect({ host: tHost, port: tPort });
    tcp.setNoDelay(true);
    sockets.add(tcp);
    counters.connections++;
    const sawTerminate = terminateWatcher(countMessage);
    let ended = false;

    ws.on('message', (data) => {
      if (ended) return;
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      tcp.write(buf);
      // PGlite never hangs up after Terminate, and the driver waits for the server to close first.
      if (sawTerminate(buf)) {
        ended = true;
        tcp.end();
      }
    });
    ws.on('close', () => tcp.destroy());
    ws.on('error', () => tcp.destroy());

    tcp.on('data', (data) => {
      if (ws.readyState === ws.OPEN) ws.send(data, { binary: true });
    });
    // No close frame: workerd turns a clean WebSocket close into "Network connection lost" errors.
    tcp.on('end', () => ws.terminate());
    tcp.on('close', () => {
      sockets.delete(tcp);
      ws.terminate();
    });
    tcp.on('error', () => ws.terminate());
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `ws://${urlHost}:${actualPort}/v1`,
    port: actualPort,
    /**
     * { connections (opened), open (now), messages: { Q, P, B, D, E, S, X, … }, syncs, simpleQueries,
     *   roundTrips (= syncs + simpleQueries), startupPackets } since the start or the last resetStats().
     */
    stats() {
      const messages = { ...counters.messages };
      const syncs = messages.S ?? 0;
      const simpleQueries = messages.Q ?? 0;
      return { connections: counters.connections, open: sockets.size, messages, syncs, simpleQueries,
        roundTrips: syncs + simpleQueries, startupPackets: counters.startupPackets };
    },
    resetStats,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      wss.close();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
