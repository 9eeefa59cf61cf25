// Local stand-ins for the Worker's cloud services, started in one call by tests, `npm run dev` and benchmarks:
// Postgres (a real server, or embedded PGlite) behind the Neon-style WebSocket pipe, Redis (a real server, or
// in-memory) behind the Upstash REST bridge, and optionally the provider replay server.
import net from 'node:net';
import { startPgPipe } from './pg-pipe.mjs';
import { startUpstashBridge } from './upstash-bridge.mjs';
import { startReplay } from './replay.mjs';

// True if something accepts TCP connections at host:port (used to detect local Postgres/Redis).
export function probeTcp(host, port, timeoutMs = 300) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function startPglite(dataDir) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  // PGlite has one backend: connections share it and their queries are serialized (see TOOLCHAIN.md).
  // Past maxConnections, new sockets get a plain-text refusal, so leave room for per-request Pools.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 100 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

export async function startStandins({ databaseUrl, redisUrl, replay = false, pgliteDataDir, log = console.log } = {}) {
  const closers = [];
  const stop = async () => {
    // Reverse order: the pipe goes before the database behind it.
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };
  try {
    let pgMode = 'postgres';
    if (databaseUrl) {
      // The pipe dials lazily; fail here, with the address, rather than in the first query.
      const u = new URL(databaseUrl);
      const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
      if (!(await probeTcp(host, Number(u.port || 5432), 1000))) {
        throw new Error(`stand-ins: Postgres is not reachable at ${host}:${u.port || 5432}`);
      }
    } else {
      const pg = await startPglite(pgliteDataDir);
      closers.push(pg.close);
      databaseUrl = pg.databaseUrl;
      pgMode = 'pglite';
    }
    const pipe = await startPgPipe();
    closers.push(pipe.close);
    const bridge = await startUpstashBridge({ redisUrl });
    closers.push(bridge.close);
    let replayUrl;
    if (replay) {
      const r = await startReplay();
      closers.push(r.close);
      replayUrl = r.url;
    }
    const out = {
      databaseUrl,
      neonWsProxy: `127.0.0.1:${pipe.port}/v1`,
      upstashUrl: bridge.url,
      upstashToken: bridge.token,
      replayUrl,
      pgMode,
      redisMode: bridge.mode,
      /** Frontend message counts through the Postgres pipe (see startPgPipe's stats()). */
      pgStats: () => pipe.stats(),
      resetPgStats: () => pipe.resetStats(),
      stop,
    };
    if (log) log(`stand-ins: postgres=${pgMode} (${databaseUrl.replace(/:[^:@/]*@/, ':***@')}) via ws://${out.neonWsProxy}, ` +
      `redis=${bridge.mode} via ${bridge.url}${replayUrl ? `, replay ${replayUrl}` : ''}`);
    return out;
  } catch (e) {
    await stop();
    throw e;
  }
}
