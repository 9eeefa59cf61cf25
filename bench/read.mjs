// Read benchmark (part of `npm run bench`, bench/run.mjs; alone: `npx node bench/read.mjs`): the constant index route
// against the two Upstash-cached reads, through a real `wrangler dev` with real Postgres and Redis behind the local
// stand-ins; then the same three routes on a plain Node server (bench/lib/node-baseline.ts: Hono on
// @hono/node-server, pg + ioredis, the same queries and cache entries) in the same run; then sequential cache
// MISSes with the SQL round trips each one cost (counted at the Postgres pipe). See BENCHMARKS.md.
//
//   npx node bench/read.mjs            measure, write bench/results/read.{json,md}
//   options: --verbose (wrangler --log-level info, its output shown on failure: for debugging, not measuring)
//            --database NAME (matchday_bench)  --redis-db N (14)  --no-node (skip the Node reference server)
//            --duration S (10)  --warmup S (1; per route, after the 15 s pre-warm of all routes)  --connections N (10)
//            --rounds N (2)  --misses N (200)
//            --pin split|load|none (split, the default: autocannon on core 1, and this process with everything it
//            starts — stand-ins, wrangler, workerd — on core 0; load: only autocannon pinned; none: nothing pinned)
//
// Load comes from autocannon in a child process (this file with --load-child), so it never shares an event loop
// with the stand-ins (Upstash bridge, Postgres pipe) that run in this process. Why `split`: autocannon needs ~5 % of
// a core here; with the server side held on core 0, other work on the machine mostly lands on core 1, and the ratios
// held within ~0.05 under up to ~half a core of it, where unpinned they swung by 0.15–0.2. Heavier outside load still
// shows, which is why every measurement reports the CPU other processes used and warns above 20 % of a core.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  clkTck, cpuSnapshot, createChecks, freePort, launchWorker, pinServerSide, prepareServices, processTree, runBench, runJob,
  snapshotSources, stopWorker, waitFor, waitForHealth, writeResults,
} from '../dev/harness.mjs';
import { startNodeBaseline } from './lib/node-baseline.mjs';

const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------------------------
// Child: one autocannon measurement (warm-up run, then the measured run), result as one JSON line on stdout.
// ---------------------------------------------------------------------------------------------------------------
if (process.argv[2] === '--load-child') {
  const { default: autocannon } = await import('autocannon');
  const { url, duration, warmup, connections, paths } = JSON.parse(process.argv[3]);
  if (paths) {
    // Pre-warm: every route in turn on each connection, nothing measured.
    const r = await autocannon({ url, connections, duration, requests: paths.map((p) => ({ method: 'GET', path: p })) });
    process.stdout.write(JSON.stringify({ total: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts }) + '\n');
    process.exit(0);
  }
  if (warmup > 0) await autocannon({ url, connections, duration: warmup });
  const latencies = [];
  const xcache = {};
  const instance = autocannon({
    url,
    connections,
    duration,
    // Count the X-Cache header of every response (cheap: headers arrive parsed as a flat [name, value, …] list).
    setupClient(client) {
      client.on('headers', (info) => {
        let state = 'none';
        const h = info.headers ?? [];
        for (let i = 0; i < h.length; i += 2) if (String(h[i]).toLowerCase() === 'x-cache') state = String(h[i + 1]);
        xcache[state] = (xcache[state] ?? 0) + 1;
      });
    },
  });
  // Sub-millisecond latencies (autocannon's histogram keeps whole milliseconds), and responses per second.
  const perSecond = [];
  const t0 = performance.now();
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
    const sec = Math.floor((performance.now() - t0) / 1000);
    perSecond[sec] = (perSecond[sec] ?? 0) + 1;
  });
  const cpu0 = process.cpuUsage();
  process.stdout.write('START\n');
  const r = await instance;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({
      rps: r.requests.average,
      total: r.requests.total,
      seconds: r.duration,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
      xcache,
      cpuMs: (cpu.user + cpu.system) / 1000,
      perSecond: Array.from(perSecond, (n) => n ?? 0),
    }) + '\n',
  );
  process.exit(0);
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------------------------
// Parent
// ---------------------------------------------------------------------------------------------------------------
const ROUTES = [
  { key: 'constant', path: '/', expect: null },
  { key: 'matches', path: '/v1/matches?competition=BL1&season=2023&matchday=12', expect: 'HIT' },
  { key: 'standings', path: '/v1/competitions/BL1/standings?season=2023', expect: 'HIT' },
];
const MISS_PATH = '/v1/matches?competition=BL1&season=2023&matchday=12&limit=';
// The Worker's cache key of the standings route (src/cache/response-cache.ts responseKey + canonicalPath) and the
// version of its tag: before each sequential standings MISS the route is invalidated as ingestion does it (version
// bumped, so the edge copy keyed by the old version is retired too; Redis entry deleted).
const STANDINGS_KEY = 'md:v1:r:/v1/competitions/BL1/standings?season=2023';
const STANDINGS_VERSION = 'md:v1:v:standings:BL1';
const OTHER_CPU_WARN = 20; // % of one core used by unrelated processes during a measurement

const args = parseArgs(process.argv.slice(2));
const { failures, fail } = createChecks();
const warnings = [];
const warn = (msg) => {
  if (warnings.includes(msg)) return;
  warnings.push(msg);
  console.log(`WARNING ${msg}`);
};
let running; // launch() handle
let child; // current autocannon child
let nodeServer; // the Node reference server (bench/lib/node-baseline.mjs)
let cleanupDirs = [];
let stopped; // the one cleanup promise: every caller waits for the same stop

function cleanup() {
  stopped ??= (async () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    await nodeServer?.stop();
    if (running) await stopWorker(running);
    for (const d of cleanupDirs) rmSync(d, { recursive: true, force: true });
  })();
  return stopped;
}

async function main() {
  const services = await prepareServices({
    database: args.database,
    redisDb: args.redisDb,
    tmpPrefix: 'matchday-bench-',
    cleanupDirs,
    notes: {
      postgres: 'using embedded PGlite; numbers are not comparable with a real-server baseline.',
      redis: 'using the in-memory Upstash bridge; numbers are not comparable with a real-server baseline.',
    },
  });
  // --pin split: this process (stand-ins) and everything it starts (wrangler, workerd) on core 0; load on core 1.
  args.pinned = pinServerSide(args.pin, 'NOTE: taskset unavailable (or one core): load generator not pinned.');
  const port = await freePort();
  const snapshot = snapshotSources('matchday-bench-src-', cleanupDirs);
  const hint = args.verbose ? '' : ' (rerun with --verbose to see why)';
  running = await launchWorker(['--demo', '--port', String(port), '--log-level', args.verbose ? 'info' : 'none', '--config', snapshot.config], {
    exitHint: hint,
  });
  const { base, get } = running;

  const { ms } = await waitForHealth(running.api, { timeoutMs: 60_000, what: 'GET /health 200' + hint });
  console.log(`worker up on ${base} after ${ms} ms`);

  // Ingest: the whole season (standings), then matchday 12, each waited for through the job_runs of the admin API.
  const t1 = Date.now();
  for (const body of [{ competition: 'BL1', season: 2023 }, { competition: 'BL1', season: 2023, matchday: 12 }]) await runJob(running.api, 'update_matches', body);
  console.log(`ingested BL1 2023 in ${Date.now() - t1} ms`);

  // Warm the cache: the first read is a MISS that stores the body in the background; read until HIT.
  for (const route of ROUTES.filter((r) => r.expect)) {
    const body = await waitFor(async () => {
      const r = await get(route.path);
      const b = await r.json();
      return r.status === 200 && r.headers.get('x-cache') === 'HIT' ? b : null;
    }, 15_000, `${route.path} X-Cache: HIT`);
    if (route.key === 'matches' && body.data?.length !== 9) fail(`${route.path} lists ${body.data?.length} matches, not 9`);
    if (route.key === 'standings' && body.data?.table?.length !== 18) fail(`${route.path} lists ${body.data?.table?.length} teams, not 18`);
  }
  if (failures.length) return 1;

  // Cached reads against the constant route, interleaved, `rounds` times.
  const rounds = [];
  // The stack keeps getting cheaper per request for the first ~30 s of load (the constant route most: a 6 s pre-warm
  // left its first round ~15 % slow and the ratios high): warm everything for 15 s, and alternate the route order
  // between rounds (A B C, C B A, …) so that any remaining drift does not favour one route.
  await prewarm(base);
  for (let i = 0; i < args.rounds; i++) {
    const round = {};
    for (const route of i % 2 ? [...ROUTES].reverse() : ROUTES) {
      const m = await measure(base + route.path, route, get);
      round[route.key] = m;
      console.log(`round ${i + 1} ${route.path.padEnd(52)} ${fmt(m.rps, 0).padStart(6)} req/s  p50 ${fmt(m.p50, 2)} ms  p99 ${fmt(m.p99, 2)} ms  ` +
        `non-2xx ${m.non2xx}  X-Cache ${JSON.stringify(m.xcache)}  CPU % of a core: server ${m.cpu.serverPct}, load ${m.cpu.loadPct}, ` +
        `pg+redis+kernel ${m.cpu.servicesPct}, other ${m.cpu.otherPct}`);
    }
    for (const route of ROUTES.slice(1)) round[route.key].ratio = round[route.key].rps / round.constant.rps;
    rounds.push(round);
  }

  // The same routes on the plain Node reference server, in the same run, against the same Postgres database and
  // Redis db (it reads the entries the Worker stored: its cached routes are HITs from the first request).
  let nodeRounds = null;
  if (args.node) {
    nodeServer = await startNodeBaseline({
      databaseUrl: running.standins.databaseUrl,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/' + args.redisDb,
      core: args.pinned === 'split' ? 0 : null,
    });
    const nodeGet = (p, init) => fetch(nodeServer.url + p, init);
    console.log(`node reference server on ${nodeServer.url}`);
    await prewarm(nodeServer.url, 5);
    nodeRounds = [];
    for (let i = 0; i < args.rounds; i++) {
      const round = {};
      for (const route of i % 2 ? [...ROUTES].reverse() : ROUTES) {
        const m = await measure(nodeServer.url + route.path, route, nodeGet);
        round[route.key] = m;
        console.log(`node round ${i + 1} ${route.path.padEnd(47)} ${fmt(m.rps, 0).padStart(6)} req/s  p50 ${fmt(m.p50, 2)} ms  p99 ${fmt(m.p99, 2)} ms  ` +
          `non-2xx ${m.non2xx}  X-Cache ${JSON.stringify(m.xcache)}  CPU % other ${m.cpu.otherPct}`);
      }
      for (const route of ROUTES.slice(1)) round[route.key].ratio = round[route.key].rps / round.constant.rps;
      nodeRounds.push(round);
    }
    await nodeServer.stop();
    nodeServer = null;
  }

  // Uncached reads, one at a time: MISSes on /v1/matches (a unique `limit` per request, so no cache entry matches)
  // and on the standings (its cache key deleted before each request), beside sequential HITs and constant responses
  // (no load: pure per-request latency). The Postgres pipe counts each MISS's SQL round trips.
  const uncached = await measureMisses(get, running.standins);
  console.log(`sequential, ${args.misses} each: MISS ${MISS_PATH}1..${args.misses} p50 ${fmt(uncached.p50, 2)} ms p99 ${fmt(uncached.p99, 2)} ms, ` +
    `${uncached.sql.roundTripsPerRequest} SQL round trips and ${uncached.sql.connectionsPerRequest} connection(s) per request; ` +
    `standings MISS p50 ${fmt(uncached.standings.p50, 2)} ms, ${uncached.standings.sql.roundTripsPerRequest} round trips; ` +
    `HIT p50 ${fmt(uncached.hit.p50, 2)} ms p99 ${fmt(uncached.hit.p99, 2)} ms (${uncached.hit.sql.roundTripsPerRequest} round trips); ` +
    `constant p50 ${fmt(uncached.constant.p50, 2)} ms p99 ${fmt(uncached.constant.p99, 2)} ms`);

  const results = summarize(rounds, uncached, services, nodeRounds);
  results.source = { commit: snapshot.commit, uncommittedFiles: snapshot.uncommitted, snapshotAt: snapshot.at };
  results.warnings = warnings;
  const table = markdown(results);
  console.log('\n' + table);
  if (failures.length) {
    console.log(`${failures.length} check(s) failed; results not written.`);
    return 1;
  }
  writeResults(args.out, results, table);
  if (warnings.length) console.log(`${warnings.length} warning(s) above: treat these numbers with care (see BENCHMARKS.md).`);
  return 0;
}

// ---------------------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const a = { duration: 10, warmup: 1, connections: 10, rounds: 2, misses: 200, pin: 'split', database: 'matchday_bench', redisDb: 14, node: true, out: 'read', prewarm: 15 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (flag === '--database') a.database = val();
    else if (flag === '--redis-db') a.redisDb = Number(val());
    else if (flag === '--no-node') a.node = false;
    else if (flag === '--out') a.out = val();
    else if (flag === '--prewarm') a.prewarm = Number(val());
    else if (flag === '--verbose') a.verbose = true; // wrangler's own log (printed on failure); slows the Worker
    else if (flag === '--duration') a.duration = Number(val());
    else if (flag === '--warmup') a.warmup = Number(val());
    else if (flag === '--connections') a.connections = Number(val());
    else if (flag === '--rounds') a.rounds = Number(val());
    else if (flag === '--misses') a.misses = Number(val());
    else if (flag === '--pin') a.pin = val();
    else throw new Error(`unknown option ${argv[i]} (see the header of bench/read.mjs)`);
  }
  if (!['load', 'split', 'none'].includes(a.pin)) throw new Error('--pin must be load, split or none');
  if (!/^[a-z_][a-z0-9_]*$/.test(a.database)) throw new Error('--database: lower-case letters, digits and _ only');
  if (!(Number.isInteger(a.redisDb) && a.redisDb >= 0 && a.redisDb <= 15)) throw new Error('--redis-db must be 0..15');
  if (!(a.misses >= 1 && a.misses <= 200)) throw new Error('--misses must be 1..200 (the limit parameter range)');
  return a;
}

// One autocannon child; while it measures, this process samples the route with fetch and checks X-Cache.
async function measure(url, route, get) {
  const cfg = { url, duration: args.duration, warmup: args.warmup, connections: args.connections };
  const cmd = [process.execPath, SELF, '--load-child', JSON.stringify(cfg)];
  if (args.pinned !== 'none') cmd.unshift('taskset', '-c', '1');
  child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  let onStart;
  const startedMeasuring = new Promise((r) => (onStart = r));
  child.stdout.on('data', (d) => {
    stdout += d;
    if (stdout.includes('START\n')) onStart();
  });
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  await Promise.race([startedMeasuring, exited]);
  const cpuStart = cpuSnapshot();
  const samples = [];
  for (const at of [0.25, 0.5, 0.75]) {
    await Promise.race([new Promise((r) => setTimeout(r, (args.duration * 1000) / 4)), exited]);
    if (child.exitCode !== null) break;
    const r = await get(route.path);
    await r.arrayBuffer();
    samples.push({ at, status: r.status, xcache: r.headers.get('x-cache') });
  }
  const code = await exited;
  const cpuEnd = cpuSnapshot();
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (code !== 0 || !line) throw new Error(`autocannon child for ${url} exited ${code}`);
  const m = JSON.parse(line);
  m.samples = samples;
  m.cpu = cpuShares(cpuStart, cpuEnd, m.cpuMs, child.pid);
  const where = `${route.path}:`;
  if (m.cpu.otherPct > OTHER_CPU_WARN) warn(`${where} other processes used ${m.cpu.otherPct} % of a core while it was measured (not this benchmark, Postgres or Redis)`);
  if (m.non2xx || m.errors || m.timeouts) fail(`${where} non-2xx ${m.non2xx}, errors ${m.errors}, timeouts ${m.timeouts} (${JSON.stringify(m.statusCodes)})`);
  if (!m.total) fail(`${where} no responses`);
  if (samples.length < 3) fail(`${where} only ${samples.length} fetch samples taken`);
  for (const s of samples) {
    if (s.status !== 200 || (s.xcache ?? null) !== route.expect) fail(`${where} sampled response ${s.status} X-Cache ${s.xcache} (want ${route.expect ?? 'none'})`);
  }
  const want = route.expect ?? 'none';
  const other = Object.entries(m.xcache).filter(([k]) => k !== want);
  if (other.length) fail(`${where} responses with X-Cache other than ${want}: ${JSON.stringify(m.xcache)}`);
  return m;
}

async function prewarm(base, seconds = args.prewarm) {
  const cfg = { url: base, duration: seconds, connections: args.connections, paths: ROUTES.map((r) => r.path) };
  const cmd = [process.execPath, SELF, '--load-child', JSON.stringify(cfg)];
  if (args.pinned !== 'none') cmd.unshift('taskset', '-c', '1');
  child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise((r) => child.once('exit', r));
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (code !== 0 || !line) throw new Error(`pre-warm load exited ${code}`);
  const m = JSON.parse(line);
  if (m.non2xx || m.errors || m.timeouts) fail(`pre-warm: non-2xx ${m.non2xx}, errors ${m.errors}, timeouts ${m.timeouts}`);
  console.log(`pre-warmed ${base}: ${m.total} requests over the three routes in ${seconds} s`);
}

// Sequential requests, one at a time, timed with fetch: the latency of one read on an otherwise idle server.
// `standins`: count the SQL round trips (Syncs + simple Queries) and connections the Worker opened through the
// Postgres pipe over the n requests. `before(i)`: run before request i, outside the timing (e.g. delete a cache key).
async function measureSequential(get, { pathOf, expect, n, standins, before }) {
  const ms = [];
  const xcache = {};
  let bad = 0;
  let roundTrips = 0;
  let connections = 0;
  for (let i = 1; i <= n; i++) {
    if (before) await before(i);
    const s0 = standins?.pgStats();
    const t = performance.now();
    const r = await get(pathOf(i));
    await r.arrayBuffer();
    ms.push(performance.now() - t);
    if (standins) {
      // The Worker closes the request's pool after the response (waitUntil): wait until the pipe saw it go, so the
      // next request's count starts clean.
      await waitFor(() => standins.pgStats().open <= s0.open, 2000, 'the request\'s Postgres connection closed', { everyMs: 2 }).catch(() => {});
      const s1 = standins.pgStats();
      roundTrips += s1.roundTrips - s0.roundTrips;
      connections += s1.connections - s0.connections;
    }
    const x = r.headers.get('x-cache') ?? 'none';
    xcache[x] = (xcache[x] ?? 0) + 1;
    if (r.status !== 200) bad++;
  }
  const what = pathOf('{i}');
  if (bad) fail(`sequential ${what}: ${bad} non-200 responses`);
  if (xcache[expect] !== n) fail(`sequential ${what}: not all X-Cache ${expect}: ${JSON.stringify(xcache)}`);
  ms.sort((a, b) => a - b);
  const sql = standins ? { roundTripsPerRequest: Math.round((roundTrips / n) * 100) / 100, connectionsPerRequest: Math.round((connections / n) * 100) / 100 } : null;
  return { n, non2xx: bad, p50: percentile(ms, 50), p99: percentile(ms, 99), min: ms[0], max: ms.at(-1), xcache, sql };
}

async function measureMisses(get, standins) {
  // A few unmeasured MISSes of the same query shape first (different key: status filter).
  for (let i = 1; i <= 10; i++) await (await get(`${MISS_PATH}${i}&status=finished`)).arrayBuffer();
  const m = await measureSequential(get, { pathOf: (i) => MISS_PATH + i, expect: 'MISS', n: args.misses, standins });
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? `redis://127.0.0.1:6379/${args.redisDb}`, { maxRetriesPerRequest: 1 });
  let standings;
  try {
    const n = Math.min(args.misses, 100);
    standings = await measureSequential(get, { pathOf: () => ROUTES[2].path, expect: 'MISS', n, standins, before: () => redis.incr(STANDINGS_VERSION).then(() => redis.del(STANDINGS_KEY)) });
  } finally {
    redis.disconnect();
  }
  // The same number of sequential HITs and constant responses, for comparison with the MISSes.
  const hit = await measureSequential(get, { pathOf: () => ROUTES[1].path, expect: 'HIT', n: args.misses, standins });
  const constant = await measureSequential(get, { pathOf: () => ROUTES[0].path, expect: 'none', n: args.misses });
  return { ...m, path: `${MISS_PATH}{1..${args.misses}}`, standings, hit, constant };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round2 = (x) => (x == null ? null : Math.round(x * 100) / 100);
const fmt = (x, d) => (x == null ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

const seq = (m, p, cache) => ({
  path: p, cache, requests: m.n, sequential: true, non2xx: m.non2xx,
  p50Ms: round2(m.p50), p99Ms: round2(m.p99), minMs: round2(m.min), maxMs: round2(m.max), xcache: m.xcache,
  ...(m.sql ? { sqlRoundTripsPerRequest: m.sql.roundTripsPerRequest, pgConnectionsPerRequest: m.sql.connectionsPerRequest } : {}),
});

/** Per route: medians over rounds, each round kept. */
function routeStats(rounds) {
  const routes = {};
  for (const route of ROUTES) {
    const per = rounds.map((r) => r[route.key]);
    routes[route.key] = {
      path: route.path,
      cache: route.expect ?? 'none',
      rps: round2(median(per.map((m) => m.rps))),
      p50Ms: round2(median(per.map((m) => m.p50))),
      p99Ms: round2(median(per.map((m) => m.p99))),
      non2xx: per.reduce((a, m) => a + m.non2xx, 0),
      ratio: route.expect ? Math.round(median(per.map((m) => m.ratio)) * 1000) / 1000 : 1,
      rounds: per.map((m) => ({
        rps: round2(m.rps), p50Ms: round2(m.p50), p99Ms: round2(m.p99), requests: m.total, non2xx: m.non2xx,
        errors: m.errors, timeouts: m.timeouts, xcache: m.xcache, ratio: m.ratio == null ? undefined : Math.round(m.ratio * 1000) / 1000,
        cpuPctOfOneCore: m.cpu,
        perSecond: m.perSecond,
      })),
    };
  }
  return routes;
}

function summarize(rounds, uncached, services, nodeRounds) {
  const cpus = os.cpus();
  const routes = routeStats(rounds);
  const nodeRoutes = nodeRounds ? routeStats(nodeRounds) : null;
  // Worker ÷ Node per route: the same route's req/s on the Worker over the Node server's (medians of each).
  const vsNode = nodeRoutes ? Object.fromEntries(ROUTES.map((r) => [r.key, Math.round((routes[r.key].rps / nodeRoutes[r.key].rps) * 10000) / 10000])) : null;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    platform: `${os.platform()} ${os.release()}`,
    services,
    settings: {
      target: 'wrangler dev --demo --log-level none',
      loadGenerator: `autocannon 8 in a child process${args.pinned === 'load' ? ', pinned to core 1 (taskset -c 1)' : args.pinned === 'split' ? ' on core 1; stand-ins, wrangler and workerd on core 0' : ', unpinned'}`,
      pin: args.pinned,
      durationS: args.duration,
      warmupS: args.warmup,
      prewarmS: args.prewarm,
      connections: args.connections,
      rounds: args.rounds,
      aggregate: 'median over rounds; ratio = route req/s ÷ constant req/s of the same round',
    },
    routes,
    ratios: Object.fromEntries(ROUTES.filter((r) => r.expect).map((r) => [r.key, routes[r.key].ratio])),
    nodeServer: nodeRoutes
      ? { server: 'bench/lib/node-baseline.ts: Hono on @hono/node-server, pg Pool (max 10), ioredis; same queries and cache entries', routes: nodeRoutes, vsNode }
      : null,
    uncached: seq(uncached, uncached.path, 'MISS'),
    sequential: {
      note: 'one request at a time, timed with fetch, no other load; SQL round trips counted at the Postgres pipe',
      miss: seq(uncached, uncached.path, 'MISS'),
      standingsMiss: seq(uncached.standings, ROUTES[2].path + ' (invalidated first)', 'MISS'),
      hit: seq(uncached.hit, ROUTES[1].path, 'HIT'),
      constant: seq(uncached.constant, ROUTES[0].path, 'none'),
    },
  };
}

function markdown(r) {
  const lines = [
    `# Read benchmark — ${r.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${r.cpu}, ${r.cores} cores, Node ${r.node}; Postgres ${r.services.postgres.split(' (')[0]}, Redis ${r.services.redis.split(' (')[0]}; ` +
      `${r.settings.target}; ${r.settings.loadGenerator}; ${r.settings.connections} connections, ${r.settings.warmupS} s warm-up + ` +
      `${r.settings.durationS} s per route after a ${r.settings.prewarmS} s pre-warm, ${r.settings.rounds} interleaved rounds in alternating order (median). ` +
      `Source: commit ${r.source?.commit ?? '?'}${r.source?.uncommittedFiles ? ` + ${r.source.uncommittedFiles} uncommitted file(s) in src/` : ''}.`,
    '',
    '| route | cache | req/s | p50 ms | p99 ms | non-2xx | req/s ÷ constant | Node req/s | Node p50 / p99 ms | Worker ÷ Node |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const route of ROUTES) {
    const x = r.routes[route.key];
    const n = r.nodeServer?.routes[route.key];
    lines.push(`| \`${x.path}\` | ${x.cache} | ${fmt(x.rps, 0)} | ${fmt(x.p50Ms, 2)} | ${fmt(x.p99Ms, 2)} | ${x.non2xx} | ${fmt(x.ratio, 2)} | ` +
      `${n ? fmt(n.rps, 0) : '—'} | ${n ? `${fmt(n.p50Ms, 2)} / ${fmt(n.p99Ms, 2)}` : '—'} | ${r.nodeServer ? fmt(r.nodeServer.vsNode[route.key], 3) : '—'} |`);
  }
  if (r.nodeServer) lines.push('', `Node: ${r.nodeServer.server}, measured the same way right after the Worker (same load generator, pinning and durations).`);
  lines.push('', `Sequential (one request at a time, no load; compare the MISS with the HIT and constant rows here, not with the`,
    'loaded rows above, whose latency is mostly queueing on a saturated core):', '');
  lines.push('| route | cache | requests | p50 ms | p99 ms | non-2xx | SQL round trips / request | Postgres connections / request |', '|---|---|---:|---:|---:|---:|---:|---:|');
  for (const x of [r.sequential.miss, r.sequential.standingsMiss, r.sequential.hit, r.sequential.constant]) {
    lines.push(`| \`${x.path}\` | ${x.cache} | ${x.requests} | ${fmt(x.p50Ms, 2)} | ${fmt(x.p99Ms, 2)} | ${x.non2xx} | ${x.sqlRoundTripsPerRequest ?? '—'} | ${x.pgConnectionsPerRequest ?? '—'} |`);
  }
  lines.push('', 'Per round (req/s, ratio to that round\'s constant):', '');
  for (let i = 0; i < r.settings.rounds; i++) {
    lines.push(`- round ${i + 1}: ` + ROUTES.map((route) => {
      const x = r.routes[route.key].rounds[i];
      return `${route.key} ${fmt(x.rps, 0)}${x.ratio != null ? ` (${fmt(x.ratio, 2)})` : ''}`;
    }).join(', ') + `; CPU used by other processes: ${ROUTES.map((route) => r.routes[route.key].rounds[i].cpuPctOfOneCore.otherPct).join('/')} % of a core`);
  }
  if (r.warnings?.length) {
    lines.push('', 'Warnings:', '');
    for (const w of r.warnings) lines.push(`- ${w}`);
  }
  return lines.join('\n') + '\n';
}

// --- Interference: who used the CPU while a route was measured (dev/harness.mjs cpuSnapshot(): /proc; Linux only, else zeros). ---

// Shares in % of one core: this benchmark's process tree (stand-ins, wrangler, workerd) and its load generator,
// the services (Postgres, Redis, kernel threads), and everything else ("other": other people's work on the machine).
function cpuShares(a, b, childCpuMs, childPid) {
  const seconds = (b.at - a.at) / 1000;
  if (!b.busy || seconds <= 0) return { serverPct: 0, serverParts: {}, loadPct: 0, servicesPct: 0, otherPct: 0 };
  const ours = processTree(b.procs, process.pid);
  let server = 0;
  let services = 0;
  const parts = { standins: 0, wrangler: 0, workerd: 0 };
  for (const [pid, p] of b.procs) {
    if (pid === childPid) continue;
    const d = p.ticks - (a.procs.get(pid)?.ticks ?? 0);
    if (ours.has(pid)) {
      server += d;
      parts[pid === process.pid ? 'standins' : p.comm === 'workerd' ? 'workerd' : 'wrangler'] += d;
    } else if (/^(postgres|redis-server)/.test(p.comm) || p.ppid === 2 || pid === 2) services += d;
  }
  const CLK_TCK = clkTck();
  const pct = (ticks) => Math.round((ticks / CLK_TCK / seconds) * 100);
  const loadTicks = (childCpuMs / 1000) * CLK_TCK;
  const other = b.busy - a.busy - server - services - loadTicks;
  return {
    serverPct: pct(server),
    serverParts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, pct(v)])),
    loadPct: pct(loadTicks),
    servicesPct: pct(services),
    otherPct: Math.max(0, pct(other)),
  };
}

// Run (last, so every declaration above is initialized).
await runBench(main, { cleanup, output: () => running?.output?.(), interruptedNote: 'bench: interrupted' });
