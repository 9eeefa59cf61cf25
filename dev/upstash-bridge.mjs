// Upstash REST protocol over a local Redis (ioredis) or an in-memory store (ioredis-mock), so the Worker's
// @upstash/redis client runs unchanged against local services. Shapes follow @upstash/redis 1.39's HttpClient:
// POST / (one command), /pipeline, /multi-exec (arrays of commands); `Upstash-Encoding: base64` replies.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import http from 'node:http';

// ioredis-mock only understands upper-case option words. Upper-casing every arg that looks like a keyword would
// also rewrite keys/members named e.g. "count", so only option positions are touched: per command, where the
// options start, and how many values each option takes (those are skipped).
const OPTION_START = { SET: 2, GETEX: 1, EXPIRE: 2, PEXPIRE: 2, EXPIREAT: 2, PEXPIREAT: 2, ZADD: 1, ZRANGE: 3,
  ZREVRANGE: 3, ZRANGEBYSCORE: 3, ZREVRANGEBYSCORE: 3, ZRANGEBYLEX: 3, ZREVRANGEBYLEX: 3, ZRANGESTORE: 4,
  SCAN: 1, SSCAN: 2, HSCAN: 2, ZSCAN: 2, LPOS: 2, COPY: 2, RESTORE: 3 };
const OPTION_VALUES = { EX: 1, PX: 1, EXAT: 1, PXAT: 1, MATCH: 1, COUNT: 1, TYPE: 1, LIMIT: 2, RANK: 1, MAXLEN: 1,
  DB: 1, IDLETIME: 1, FREQ: 1, NX: 0, XX: 0, GT: 0, LT: 0, CH: 0, INCR: 0, KEEPTTL: 0, GET: 0, PERSIST: 0,
  WITHSCORES: 0, BYSCORE: 0, BYLEX: 0, REV: 0, REPLACE: 0, ABSTTL: 0 };
function upperOptions(name, args) {
  let i = OPTION_START[name];
  if (i === undefined) return args;
  const out = args.slice();
  while (i < out.length) {
    const up = out[i].toUpperCase();
    const skip = OPTION_VALUES[up];
    if (skip === undefined) {
      if (name === 'ZADD') break; // ZADD options precede score/member pairs
      i++;
      continue;
    }
    out[i] = up;
    i += 1 + skip;
  }
  return out;
}
let memoryId = 0;

export async function startUpstashBridge({ redisUrl, port = 0, token = 'local-dev-token' } = {}) {
  let redis, mode, run;
  if (redisUrl) {
    const { default: Redis } = await import('ioredis');
    redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 1,
      retryStrategy: (n) => Math.min(n * 100, 1000) });
    let lastError;
    redis.on('error', (e) => { lastError = e; }); // replies carry errors; keeps ioredis from logging each retry
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw new Error(`upstash-bridge: cannot reach Redis at ${redisUrl}: ${(lastError ?? e).message}`);
    }
    mode = 'redis';
    run = (name, args) => redis.callBuffer(name, ...args); // binary-safe, no reply transformers
  } else {
    // Node's resolution, not the importer's: under vitest's module runner a plain import picks the package's
    // `browser` build ("window is not defined").
    const RedisMock = createRequire(import.meta.url)('ioredis-mock');
    // ioredis-mock shares data between instances with the same host:port; give each bridge its own keyspace.
    redis = new RedisMock({ host: `upstash-bridge-${process.pid}-${++memoryId}` });
    mode = 'memory';
    run = (name, args) => { // no call()/callBuffer() in ioredis-mock: use the per-command methods
      const n = name.toLowerCase();
      const fn = /^[a-z][a-z0-9]*$/.test(n) && (redis[`${n}Buffer`] ?? redis[n]);
      if (typeof fn !== 'function') return Promise.reject(new Error(`ERR unknown command '${name}'`));
      return fn.apply(redis, upperOptions(name.toUpperCase(), args));
    };
  }

  // Upstash accepts the `#!lua flags=allow-key-locking` shebang (@upstash/ratelimit's scripts use it); Redis 7.0
  // and ioredis-mock refuse it. Drop the flag, and run EVALSHA of an original script (the client hashes the text it
  // sent) as EVAL of the rewritten one.
  const scripts = new Map(); // sha1 of the script as sent -> script as run
  const rewriteScript = (script) => script.replace(/^#!lua flags=allow-key-locking\n/, '\n');
  const exec = (cmd) => {
    if (!Array.isArray(cmd) || cmd.length === 0) return Promise.reject(new Error('ERR empty or invalid command'));
    let name = String(cmd[0]);
    let args = cmd.slice(1).map((a) => (typeof a === 'string' ? a : String(a)));
    const upper = name.toUpperCase();
    if (upper === 'EVAL' && args[0]?.startsWith('#!lua')) {
      const rewritten = rewriteScript(args[0]);
      if (rewritten !== args[0]) scripts.set(createHash("sha1").update(args[0]).digest("hex"), rewritten);
      args = [rewritten, ...args.slice(1)];
    } else if (upper === 'EVALSHA' && scripts.has(args[0]?.toLowerCase())) {
      name = 'EVAL';
      args = [scripts.get(args[0].toLowerCase()), ...args.slice(1)];
    }
    return run(name, args);
  };

  // Buffers -> strings (base64 when asked); ioredis(-mock) objects (HGETALL) -> flat arrays like Redis sends.
  const encode = (v, b64) => {
    if (v == null) return null;
    if (Buffer.isBuffer(v)) return v.toString(b64 ? 'base64' : 'utf8');
    if (typeof v === 'string') return b64 ? Buffer.from(v).toString('base64') : v;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) throw new Error('ERR value is not an integer or out of range'); // ioredis-mock INCR
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => encode(x, b64));
    if (v instanceof Error) throw v;
    if (typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [encode(k, b64), encode(x, b64)]);
    return v;
  };
  const settle = (p, b64) => p.then((r) => ({ result: encode(r, b64) })).catch((e) => ({ error: e.message }));

  async function multiExec(cmds, b64) {
    if (mode === 'memory') {
      // ioredis-mock runs each command synchronously at call time, so issuing all before awaiting is atomic
      // here; its own multi() crashes the process on a runtime error.
      return Promise.all(cmds.map((c) => settle(exec(c), b64)));
    }
    for (const c of cmds) if (!Array.isArray(c) || c.length === 0) throw new Error('ERR empty or invalid command');
    const m = redis.multi();
    for (const c of cmds) m.callBuffer(String(c[0]), ...c.slice(1).map(String));
    const out = await m.exec();
    return out.map(([err, r]) => (err ? { error: err.message } : settle(Promise.resolve(r), b64)));
  }

  const send = (res, status, obj) => {
    const body = JSON.stringify(obj);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const server = http.createServer(async (req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/health') return send(res, 200, { ok: true });
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: 'Unauthorized' });
    const b64 = req.headers['upstash-encoding'] === 'base64';
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : [];
      if (path === '/pipeline' || path === '/multi-exec') {
        if (!Array.isArray(body)) return send(res, 400, { error: 'ERR body must be an array of commands' });
        const out = path === '/pipeline'
          ? await Promise.all(body.map((c) => settle(exec(c), b64)))
          : await Promise.all(await multiExec(body, b64));
        return send(res, 200, out);
      }
      // POST / with a JSON command, or the REST path form (/set/key/value) handy for curl.
      const cmd = path === '/' ? body : [...path.slice(1).split('/').map(decodeURIComponent), ...body];
      const r = await settle(exec(cmd), b64);
      return send(res, r.error ? 400 : 200, r);
    } catch (e) {
      return send(res, 400, { error: e instanceof SyntaxError ? 'ERR invalid JSON body' : e.message });
    }
  });
  server.keepAliveTimeout = 65_000; // outlive clients' pooled connections (avoids reset races)

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = server.address().port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    token,
    mode,
    redis,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
      if (mode === 'memory') await redis.flushall();
      redis.disconnect();
    },
  };
}
