// Self-test of the local stand-ins, both ways: real local Postgres + Redis, and embedded PGlite + in-memory
// store. Drives them with the same clients the Worker uses (@neondatabase/serverless, @upstash/redis) plus the
// replay server's control API. Run: `npx node dev/selftest.mjs` (prints PASS/FAIL per check, exit 1 on failure).
import http from 'node:http';
import { createRequire } from 'node:module';
import { Pool, neonConfig } from '@neondatabase/serverless';
import { Redis } from '@upstash/redis';
import { startStandins, probeTcp } from './standins.mjs';

const WebSocket = createRequire(import.meta.url)('ws'); // a plain import can get the browser build under vitest
let failures = 0;

async function check(name, fn) {
  const t0 = performance.now();
  try {
    const note = await fn();
    console.log(`PASS ${name} (${(performance.now() - t0).toFixed(1)} ms)${note ? ` — ${note}` : ''}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e?.stack ?? e}`);
  }
}
function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`);
}
const withTimeout = (p, ms, what) => Promise.race([p,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms).unref())]);
async function avgMs(n, fn) {
  for (let i = 0; i < 20; i++) await fn(); // warm up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) / n).toFixed(3);
}

async function suite(label, opts) {
  console.log(`\n== ${label} ==`);
  const s = await startStandins({ ...opts, replay: true, log: (m) => console.log(m) });
  try {
    // Local-only Neon driver settings (TOOLCHAIN.md). The driver itself prefixes wsProxy's result with
    // `ws://` (useSecureWebSocket=false), so the function returns no scheme.
    neonConfig.webSocketConstructor = WebSocket;
    neonConfig.wsProxy = (host, port) => `${s.neonWsProxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
    neonConfig.forceDisablePgSSL = true;
    neonConfig.coalesceWrites = false;

    await check(`${label}: postgres query + transaction via pipe (${s.pgMode})`, async () => {
      const pool = new Pool({ connectionString: s.databaseUrl, max: 3 });
      pool.on('error', () => {}); // a late socket error must not crash the process
      assertEqual((await pool.query('select $1::int + 1 as n', [41])).rows, [{ n: 42 }], 'select');
      const c = await pool.connect();
      try {
        await c.query('create temp table if not exists standins_selftest (x int)');
        await c.query('begin');
        await c.query('insert into standins_selftest values (1)');
        await c.query('rollback');
        await c.query('begin');
        await c.query('insert into standins_selftest values (2)');
        await c.query('commit');
        assertEqual((await c.query('select x from standins_selftest')).rows, [{ x: 2 }], 'after commit/rollback');
        await c.query('drop table standins_selftest');
      } finally {
        c.release();
      }
      const many = await Promise.all([1, 2, 3, 4, 5].map((i) => pool.query('select $1::int as i', [i])));
      assertEqual(many.map((r) => r.rows[0].i), [1, 2, 3, 4, 5], 'concurrent queries');
      const lat = await avgMs(200, () => pool.query('select 1'));
      // The Terminate quirk: against PGlite, end() only completes if the pipe hangs up on 'X'.
      const t0 = performance.now();
      await withTimeout(pool.end(), 3000, 'pool.end()');
      return `select 1 avg ${lat} ms, pool.end() ${(performance.now() - t0).toFixed(1)} ms`;
    });

    await check(`${label}: pipe rejects non-loopback targets`, async () => {
      const status = await new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${s.neonWsProxy}?address=10.1.2.3:5432`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
        ws.on('open', () => reject(new Error('upgrade accepted')));
        ws.on('error', () => {});
      });
      assertEqual(status, 403, 'status');
    });

    await check(`${label}: upstash commands via bridge (${s.redisMode})`, async () => {
      const r = new Redis({ url: s.upstashUrl, token: s.upstashToken });
      const k = `selftest:${process.pid}:`;
      assertEqual(await r.set(`${k}a`, 'héllo', { ex: 60 }), 'OK', 'SET EX');
      assertEqual(await r.get(`${k}a`), 'héllo', 'GET');
      assertEqual(await r.ttl(`${k}a`), 60, 'TTL');
      assertEqual(await r.set(`${k}o`, { n: 1, s: 'x' }), 'OK', 'SET json');
      assertEqual(await r.get(`${k}o`), { n: 1, s: 'x' }, 'GET json');
      assertEqual(await r.incr(`${k}n`), 1, 'INCR');
      assertEqual(await r.incr(`${k}n`), 2, 'INCR again');
      assertEqual(await r.expire(`${k}n`, 30), 1, 'EXPIRE');
      const p = r.pipeline();
      p.set(`${k}p`, 'v');
      p.incr(`${k}n`);
      p.get(`${k}p`);
      assertEqual(await p.exec(), ['OK', 3, 'v'], 'pipeline');
      const m = r.multi();
      m.incr(`${k}n`);
      m.get(`${k}n`);
      assertEqual(await m.exec(), [4, 4], 'multi-exec');
      assertEqual(await r.sadd(`${k}s`, 'a', 'b', 'c'), 3, 'SADD');
      assertEqual((await r.smembers(`${k}s`)).sort(), ['a', 'b', 'c'], 'SMEMBERS');
      assertEqual(await r.mget(`${k}a`, `${k}missing`, `${k}n`), ['héllo', null, 4], 'MGET');
      assertEqual(await r.hset(`${k}h`, { f: 'v', g: 2 }), 2, 'HSET');
      assertEqual(await r.hgetall(`${k}h`), { f: 'v', g: 2 }, 'HGETALL');
      let err = '';
      await r.incr(`${k}a`).catch((e) => { err = e.message; });
      if (!/not an integer/.test(err)) throw new Error(`INCR on text: expected an error, got ${err || 'none'}`);
      assertEqual(await r.del(`${k}a`, `${k}o`, `${k}n`, `${k}p`, `${k}s`, `${k}h`), 6, 'DEL');
      assertEqual(await r.get(`${k}a`), null, 'GET after DEL');
      const res = await fetch(s.upstashUrl, { method: 'POST', body: '["PING"]' });
      assertEqual(res.status, 401, 'no token');
      await res.body?.cancel();
      return `GET avg ${await avgMs(200, () => r.get(`${k}a`))} ms`;
    });

    await check(`${label}: replay server`, async () => {
      const base = `${s.replayUrl}/openligadb/getmatchdata/bl1/2023/12`;
      const ok = await fetch(base);
      assertEqual([ok.status, ok.headers.get('content-type')], [200, 'application/json; charset=utf-8'], 'recording');
      const matches = await ok.json();
      if (!Array.isArray(matches) || !matches.length) throw new Error('recording is not a non-empty array');
      const miss = await fetch(`${s.replayUrl}/openligadb/nothing/here`);
      assertEqual([miss.status, await miss.json()], [404, { error: 'no recording for /openligadb/nothing/here' }], '404');
      // fetch() folds `..` away itself; send the raw path with node:http.
      const trav = await new Promise((resolve, reject) => {
        http.get(`${s.replayUrl}/openligadb/..%2f..%2fpackage`, (res) => resolve(res.resume().statusCode))
          .on('error', reject);
      });
      assertEqual(trav, 400, 'traversal');

      const control = (method, p, body) => fetch(`${s.replayUrl}/__replay/${p}`, {
        method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body),
      }).then((r) => r.json());
      await control('POST', 'reset');
      assertEqual(await control('POST', 'faults', { path: '/openligadb/getmatchdata', mode: '429', retryAfter: 2 }),
        { ok: true }, 'add fault');
      const limited = await fetch(base);
      assertEqual([limited.status, limited.headers.get('retry-after')], [429, '2'], '429');
      await limited.body?.cancel();
      const after = await fetch(base);
      assertEqual(after.status, 200, 'fault used up');
      await after.body?.cancel();

      await control('POST', 'faults', { path: '/openligadb/', mode: 'malformed' });
      const bad = await fetch(base);
      const text = await bad.text();
      let parsed = true;
      try { JSON.parse(text); } catch { parsed = false; }
      assertEqual([bad.status, parsed, text.length > 0], [200, false, true], 'malformed');

      await control('POST', 'faults', { path: '/openligadb/', mode: 'timeout' });
      const gaveUp = await fetch(base, { signal: AbortSignal.timeout(200) }).then(() => 'answered', (e) => e.name);
      assertEqual(gaveUp, 'TimeoutError', 'timeout');

      const path = '/openligadb/getmatchdata/bl1/2023/12';
      await control('PUT', 'override', { path, body: [{ matchID: 1, changed: true }], headers: { 'x-replay': '1' } });
      const over = await fetch(base);
      assertEqual([over.headers.get('x-replay'), await over.json()], ['1', [{ matchID: 1, changed: true }]], 'override');
      await control('DELETE', `override?path=${encodeURIComponent(path)}`);
      assertEqual((await (await fetch(base)).json()).length, matches.length, 'override removed');

      const { requests } = await control('GET', 'requests');
      assertEqual(requests.length, 6, 'request log length');
      assertEqual(requests.every((r) => r.method === 'GET' && r.path === path && typeof r.at === 'number'), true,
        'request log entries');
      await control('POST', 'reset');
      assertEqual((await control('GET', 'requests')).requests, [], 'log after reset');
    });
  } finally {
    await withTimeout(s.stop(), 5000, 'stop()').catch((e) => {
      failures++;
      console.log(`FAIL ${label}: ${e.message}`);
    });
  }
}

const realPg = 'postgres://postgres@127.0.0.1:5432/postgres';
const realRedis = 'redis://127.0.0.1:6379';
if ((await probeTcp('127.0.0.1', 5432)) && (await probeTcp('127.0.0.1', 6379))) {
  await suite('real', { databaseUrl: realPg, redisUrl: realRedis });
} else {
  failures++;
  console.log('FAIL real: local Postgres (5432) or Redis (6379) is not running; see TOOLCHAIN.md to start them');
}
await suite('embedded', {});

console.log(failures ? `\n${failures} check(s) FAILED` : '\nall checks passed');
process.exit(failures ? 1 : 0);
