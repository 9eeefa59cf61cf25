// Fault drill: Redis or Postgres stopped mid-load, then started again. Runs a real `wrangler dev --demo` against a
// PRIVATE server for the service under test (bench/drills/private-services.mjs: its own redis-server or initdb
// cluster on a free port — the machine's shared 5432/6379 are never stopped) and the shared server for the other.
//
//   npx node bench/drills/services-down.mjs --service redis|postgres [--database NAME] [--redis-db N]
//                                           [--before S (4)] [--down S (6)] [--after S (6)]
//
// Load: 4 fetch loops over a cached match list, the cached standings and uncached match lists (a new query each
// time, so Postgres must answer). `--before` s of load, the service is killed (redis-server SIGKILL; Postgres
// `pg_ctl stop -m immediate`), `--down` s later started again, `--after` s more load.
// Expected, checked for every response:
//   redis     every read 200 (cache errors degrade to Postgres reads: X-Cache MISS/BYPASS while it is down); an
//             ingest during the outage (one goal added to a matchday-12 match) succeeds and lands; after the
//             restart the cache fills again (HIT) and the read shows the new score.
//   postgres  cached reads 200 throughout (Upstash still answers); uncached reads 200, or while Postgres is down
//             503 problem+json with Retry-After — never another 5xx, never a hang; /health 503 while down and 200
//             after; after the restart an ingest succeeds and nothing stored before the outage is lost.
//   (The edge cache of issue 6 would keep cached reads 200 even with Redis AND Postgres down; this drill stops one.)
// Rows lost/duplicated: the stored data (natural keys, bench/drills/lib.mjs) before the outage vs after the run.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launchWorker, prepareServices, runJob, stopWorker, waitFor, waitForHealth } from '../../dev/harness.mjs';
import { withExtraGoal } from '../lib/season-generator.mjs';
import { byStatus, canonicalState, compareStates, drillReport, errorsByStatus, startReadLoad } from './lib.mjs';
import { startPrivatePostgres, startPrivateRedis } from './private-services.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MD12 = '/v1/matches?competition=BL1&season=2023&matchday=12';
const STANDINGS = '/v1/competitions/BL1/standings?season=2023';
const SEASON_REPLAY = '/openligadb/getmatchdata/bl1/2023';

const args = parseArgs(process.argv.slice(2));
const name = `${args.service}-down`;
const d = drillReport(name);
const { check } = d;
let running;
let privateServer;
let db;
const cleanupDirs = [];

function parseArgs(argv) {
  const a = { service: null, database: null, redisDb: 14, before: 4, down: 6, after: 6 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (flag === '--service') a.service = val();
    else if (flag === '--database') a.database = val();
    else if (flag === '--redis-db') a.redisDb = Number(val());
    else if (flag === '--before') a.before = Number(val());
    else if (flag === '--down') a.down = Number(val());
    else if (flag === '--after') a.after = Number(val());
    else throw new Error(`unknown option ${argv[i]} (see the header of bench/drills/services-down.mjs)`);
  }
  if (!['redis', 'postgres'].includes(a.service)) throw new Error('--service redis|postgres');
  a.database ??= `matchday_drill_${a.service}`;
  return a;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const getJson = async (p) => {
  const r = await running.get(p);
  return { status: r.status, xcache: r.headers.get('x-cache'), type: r.headers.get('content-type'), body: await r.json().catch(() => null) };
};

async function main() {
  // The shared server for the other service (fresh database / emptied Redis db), the private one for this one.
  await prepareServices({ database: args.database, redisDb: args.redisDb, tmpPrefix: 'matchday-drill-', cleanupDirs, notes: { postgres: 'embedded', redis: 'embedded' } });
  if (args.service === 'redis') {
    privateServer = await startPrivateRedis();
    process.env.REDIS_URL = privateServer.url;
  } else {
    privateServer = await startPrivatePostgres();
    process.env.DATABASE_URL = privateServer.url;
    delete process.env.PGLITE_DIR;
  }
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('this drill needs the real PostgreSQL and Redis servers (127.0.0.1:5432 and :6379)');
  console.log(`${name}: private ${args.service} at ${privateServer.url}`);
  running = await launchWorker(['--demo', '--port', String(await freePort()), '--log-level', 'none']);
  await waitForHealth(running.get, { timeoutMs: 60_000 });
  const { default: pg } = await import('pg');
  const connect = async () => {
    const c = new pg.Client({ connectionString: running.standins.databaseUrl });
    c.on('error', () => {});
    await c.connect();
    return c;
  };
  db = await connect();

  for (const body of [{ competition: 'BL1', season: 2023 }, { competition: 'BL1', season: 2023, matchday: 12 }]) await runJob(running.get, 'update_matches', body);
  const reference = await canonicalState(db);
  console.log(`${name}: stored ${reference.counts.matches} matches, ${reference.counts.events} events`);
  for (const p of [MD12, STANDINGS]) await waitFor(async () => (await getJson(p)).xcache === 'HIT', 15_000, `${p} cached`);

  const load = startReadLoad(running.base, [
    { kind: 'cached', path: MD12 },
    { kind: 'cached', path: STANDINGS },
    { kind: 'uncached', path: (i) => `/v1/matches?competition=BL1&season=2023&matchday=${1 + (i % 34)}&limit=${1 + (Math.floor(i / 34) % 200)}` },
  ]);
  await sleep(args.before * 1000);
  const tDown = Date.now();
  await privateServer.stop();
  console.log(`${name}: ${args.service} stopped`);

  // While it is down: what the service's absence should and should not break.
  let change = null;
  let healthDown = null;
  if (args.service === 'redis') {
    await sleep(1000);
    // A late correction in the season feed (newer lastUpdateDateTime than the stored copy, so it is not stale).
    const recorded = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/openligadb/getmatchdata/bl1/2023.json'), 'utf8'));
    const corrected = withExtraGoal(recorded, { matchday: 12 });
    change = corrected.change;
    await fetch(`${running.standins.replayUrl}/__replay/override`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: SEASON_REPLAY, body: corrected.matches }) });
    const t = Date.now();
    await runJob(running.get, 'update_matches', { competition: 'BL1', season: 2023 }, { timeoutMs: 45_000 });
    check(true, `ingest while Redis is down succeeded in ${Date.now() - t} ms (${change.home} – ${change.away} ${change.finalBefore} → ${change.finalAfter})`);
  } else {
    await sleep(1500);
    healthDown = await getJson('/health');
  }
  const remaining = args.down * 1000 - (Date.now() - tDown);
  if (remaining > 0) await sleep(remaining);
  const tUp = Date.now();
  await privateServer.start();
  console.log(`${name}: ${args.service} started again after ${((tUp - tDown) / 1000).toFixed(1)} s`);
  await sleep(args.after * 1000);
  const responses = await load.stop();

  // --- checks ----------------------------------------------------------------------------------------------------
  const during = (r) => r.t >= tDown && r.t < tUp;
  const afterRecovery = (r) => r.t >= tUp + 2000; // the pipe/bridge reconnect and the first cache fills
  const served = responses.filter((r) => r.status === 200).length;
  console.log(`${name}: ${responses.length} requests: before ${JSON.stringify(byStatus(responses, (r) => r.t < tDown))}, ` +
    `down ${JSON.stringify(byStatus(responses, during))}, after ${JSON.stringify(byStatus(responses, (r) => r.t >= tUp))}`);
  check(responses.filter(during).length > 0, `requests were made while ${args.service} was down (${responses.filter(during).length})`);
  const hung = responses.filter((r) => r.status === 0);
  check(hung.length === 0, `no request failed at the connection level or took over 10 s (${hung.length}${hung.length ? `: ${JSON.stringify(hung.slice(0, 3))}` : ''})`);
  if (args.service === 'redis') {
    const non200 = responses.filter((r) => r.status !== 200);
    check(non200.length === 0, `every read answered 200 while Redis was down and after (${non200.length} did not: ${JSON.stringify(byStatus(non200))})`);
    const downCached = responses.filter((r) => during(r) && r.kind === 'cached' && r.t > tDown + 500);
    check(downCached.length > 0 && downCached.every((r) => r.xcache !== 'HIT'), `cached routes were served from Postgres while Redis was down (${downCached.length} reads, X-Cache ${JSON.stringify(byStatus(downCached.map((r) => ({ status: r.xcache }))))})`);
    const hit = await waitFor(async () => (await getJson(MD12)).xcache === 'HIT', 15_000, 'a cache HIT after Redis came back').then(() => true, () => false);
    check(hit, 'after the restart the cache fills again (X-Cache: HIT)');
    const list = (await getJson(MD12)).body?.data ?? [];
    const m = list.find((x) => x.home.name.includes(change.home.split(' ').at(-1)) && x.away.name.includes(change.away.split(' ').at(-1)));
    const [h, a] = change.finalAfter.split(':').map(Number);
    check(m?.score.home === h && m?.score.away === a, `the read after the restart shows the change ingested during the outage (${m?.score.home}:${m?.score.away}, want ${change.finalAfter})`);
  } else {
    const bad = responses.filter((r) => r.status !== 200 && !(r.status === 503 && during2(r, tDown, tUp)));
    check(bad.length === 0, `only 200s, and 503s while Postgres was down (${bad.length} others: ${JSON.stringify(errorsByStatus(bad))})`);
    const cachedDown = responses.filter((r) => during(r) && r.kind === 'cached');
    check(cachedDown.length > 0 && cachedDown.every((r) => r.status === 200), `cached reads 200 while Postgres was down (${cachedDown.length}: ${JSON.stringify(byStatus(cachedDown))})`);
    const unavailable = responses.filter((r) => r.status === 503);
    check(unavailable.length > 0, `uncached reads answered 503 while Postgres was down (${unavailable.length})`);
    check(unavailable.every((r) => r.type?.includes('application/problem+json') && r.retryAfter && r.problem?.status === 503),
      'every 503 is problem+json with Retry-After');
    check(healthDown?.status === 503 && healthDown.body?.db === 'down', `/health while Postgres was down: ${healthDown?.status} ${JSON.stringify(healthDown?.body)}`);
    const recovered = responses.filter((r) => afterRecovery(r) && r.kind === 'uncached');
    check(recovered.length > 0 && recovered.every((r) => r.status === 200), `uncached reads 200 again after the restart (${JSON.stringify(byStatus(recovered))})`);
    await waitForHealth(running.get, { timeoutMs: 20_000 });
    check(true, '/health 200 after the restart');
    await db.end().catch(() => {});
    db = await connect();
    await runJob(running.get, 'update_matches', { competition: 'BL1', season: 2023, matchday: 12 }, { timeoutMs: 45_000 });
    check(true, 'an ingest after the restart succeeded');
  }
  const after = await canonicalState(db);
  const diff = compareStates(reference, after);
  const wantChanged = args.service === 'redis' ? 1 : 0;
  const wantExtra = args.service === 'redis' ? 1 : 0; // the added goal's event
  check(diff.lost === 0, `rows lost: ${diff.lost}`);
  check(diff.duplicated === 0 && diff.extra === wantExtra, `rows duplicated: ${diff.duplicated} (extra rows ${diff.extra}, expected ${wantExtra})`);
  check(diff.changed === wantChanged, `matches changed: ${diff.changed} (expected ${wantChanged})`);
  d.report({
    requests: responses.length,
    served,
    errorsByStatus: errorsByStatus(responses),
    rowsLost: diff.lost,
    rowsDuplicated: diff.duplicated,
    eventsMissed: null,
    outageSeconds: Math.round((tUp - tDown) / 100) / 10,
  });
  return d.failures.length ? 1 : 0;
}

/** A 503 is expected for requests sent while Postgres was down, or in flight when it stopped (up to 1 s before). */
function during2(r, tDown, tUp) {
  return r.t >= tDown - 1000 && r.t < tUp + 2000;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  check(false, `${name}: ${e?.stack ?? e}`);
  d.report({ error: String(e?.message ?? e) });
  if (running?.output) console.error('--- wrangler output (tail) ---\n' + running.output().slice(-3000));
} finally {
  await db?.end().catch(() => {});
  if (running) await stopWorker(running);
  await privateServer?.destroy().catch(() => {});
  for (const dir of cleanupDirs) rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
