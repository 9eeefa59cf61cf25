// Fault drill: a storm of provider failures — 429 (Retry-After), 500, 503, timeouts, malformed JSON and empty bodies —
// on all three providers at once, while clients read. Runs a real `wrangler dev --replay-all` with OpenLigaDB,
// API-Football and football-data.org all configured and pointed at the replay server (real Postgres and Redis).
//
//   npx node bench/drills/provider-storm.mjs [--database NAME] [--redis-db N]
//
// The data: one generated BL1 2023 season (bench/lib/season-generator.mjs), served by each provider in its own
// season shape (bench/lib/provider-seasons.mjs) — the same 306 real-world matches three times, which identity
// resolution must merge into 306 rows.
//   1. reference: one clean `update_matches` (3 units, one per provider) → the stored state (natural keys).
//   2. every table emptied; each provider's season request gets three faults queued (first come, first served):
//        OpenLigaDB 429 → 500 → timeout, API-Football 503 → malformed → 429, football-data empty → timeout → 500
//      then two `update_matches` are posted at once (6 units) while 4 fetch loops read the API. The units fail,
//      retry with the consumer's backoff (10 s, 20 s, …; 429: the provider's Retry-After, its budget closed meanwhile)
//      and succeed once the faults are used up.
// Pass: every unit ends succeeded within the timeout (none failed or stuck), every read 200 (an empty list is fine;
// the standings are a 404 problem until the first unit stored the season; a 5xx is never fine), and the stored
// state equals the reference: 0 rows lost, 0 duplicated, 0 changed.
import { rmSync } from 'node:fs';
import { ADMIN_HEADERS, freePort, launchWorker, prepareServices, runJob, stopWorker, triggerJob, waitFor, waitForHealth } from '../../dev/harness.mjs';
import { toApiFootballSeason, toFootballDataSeason } from '../lib/provider-seasons.mjs';
import { generateOpenLigaDbSeason } from '../lib/season-generator.mjs';
import { byStatus, canonicalState, compareStates, drillReport, errorsByStatus, startReadLoad } from './lib.mjs';

const SEASON = 2023;
const SOURCES = [
  { provider: 'openligadb', path: `/openligadb/getmatchdata/bl1/${SEASON}`, override: `/openligadb/getmatchdata/bl1/${SEASON}`, shape: (m) => m,
    faults: [{ mode: '429', retryAfter: 2 }, { mode: '500' }, { mode: 'timeout' }] },
  { provider: 'api-football', path: '/api-football/fixtures', override: `/api-football/fixtures?league=78&season=${SEASON}`,
    shape: (m) => toApiFootballSeason(m, { league: { id: 78, name: 'Bundesliga', country: 'Germany' }, season: SEASON }),
    faults: [{ mode: '503' }, { mode: 'malformed' }, { mode: '429', retryAfter: 2 }] },
  { provider: 'football-data', path: `/football-data/competitions/BL1/matches`, override: `/football-data/competitions/BL1/matches?season=${SEASON}`,
    shape: (m) => toFootballDataSeason(m, { competition: { id: 2002, name: 'Bundesliga', code: 'BL1' }, season: SEASON }),
    faults: [{ mode: 'empty' }, { mode: 'timeout' }, { mode: '500' }] },
];
const STORM_TIMEOUT_MS = 150_000;

const args = (() => {
  const a = { database: 'matchday_drill_storm', redisDb: 14 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (flag === '--database') a.database = val();
    else if (flag === '--redis-db') a.redisDb = Number(val());
    else throw new Error(`unknown option ${argv[i]} (see the header of bench/drills/provider-storm.mjs)`);
  }
  return a;
})();
const d = drillReport('provider-storm');
const { check } = d;
let running;
let db;
const cleanupDirs = [];

async function replay(method, p, body) {
  const r = await fetch(running.standins.replayUrl + p, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  if (!r.ok) throw new Error(`replay ${method} ${p} → ${r.status} ${await r.text()}`);
  return r.json();
}

async function main() {
  await prepareServices({ database: args.database, redisDb: args.redisDb, tmpPrefix: 'matchday-drill-', cleanupDirs, notes: { postgres: 'embedded', redis: 'embedded' } });
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) throw new Error('this drill needs the real PostgreSQL and Redis servers (127.0.0.1:5432 and :6379)');
  Object.assign(process.env, {
    API_FOOTBALL_KEY: 'drill-key', FOOTBALL_DATA_TOKEN: 'drill-token', PROVIDER_TIMEOUT_MS: '1500',
    OPENLIGADB_REQUESTS_PER_MINUTE: '1000', API_FOOTBALL_REQUESTS_PER_MINUTE: '1000', FOOTBALL_DATA_REQUESTS_PER_MINUTE: '1000',
  });
  running = await launchWorker(['--replay-all', '--port', String(await freePort()), '--log-level', 'none']);
  await waitForHealth(running.get, { timeoutMs: 60_000 });
  const { default: pg } = await import('pg');
  db = new pg.Client({ connectionString: running.standins.databaseUrl });
  await db.connect();

  const season = generateOpenLigaDbSeason({ season: SEASON, seed: 7 });
  for (const s of SOURCES) await replay('PUT', '/__replay/override', { path: s.override, status: 200, body: s.shape(season) });

  // 1. Reference: a clean run of the three providers.
  await runJob(running.get, 'update_matches', { competition: 'BL1', season: SEASON });
  const reference = await canonicalState(db);
  check(reference.counts.matches === season.length, `reference: the three providers' copies of ${season.length} matches stored as ${reference.counts.matches} rows (${reference.counts.events} events)`);

  // 2. Empty everything (the replay keeps its overrides), queue the faults, then the storm.
  const { rows } = await db.query(`select tablename from pg_tables where schemaname = 'public' and tablename not like '%migrations%'`);
  await db.query(`truncate ${rows.map((r) => `public."${r.tablename}"`).join(', ')} restart identity cascade`);
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  const t0 = Date.now();
  for (const s of SOURCES) for (const f of s.faults) await replay('POST', '/__replay/faults', { path: s.path, times: 1, ...f });

  const load = startReadLoad(running.base, [
    { kind: 'list', path: `/v1/matches?competition=BL1&season=${SEASON}&matchday=12` },
    { kind: 'standings', path: `/v1/competitions/BL1/standings?season=${SEASON}` },
    { kind: 'list', path: (i) => `/v1/matches?competition=BL1&season=${SEASON}&limit=${1 + (i % 200)}` },
  ]);
  const ids = [...(await triggerJob(running.get, 'update_matches', { competition: 'BL1', season: SEASON })),
    ...(await triggerJob(running.get, 'update_matches', { competition: 'BL1', season: SEASON }))];
  let runs = [];
  const settled = await waitFor(async () => {
    const all = (await (await running.get('/v1/admin/jobs/runs?limit=200', { headers: ADMIN_HEADERS })).json()).data ?? [];
    runs = all.filter((r) => ids.includes(r.id));
    return runs.length === ids.length && runs.every((r) => ['succeeded', 'failed', 'skipped'].includes(r.status));
  }, STORM_TIMEOUT_MS, 'every storm unit settled', { everyMs: 500 }).then(() => true, (e) => (console.log(e.message), false));
  const stormSeconds = Math.round((Date.now() - t0) / 100) / 10;
  const responses = await load.stop();

  const requests = (await replay('GET', '/__replay/requests')).requests.filter((q) => q.at >= t0 && SOURCES.some((s) => q.path.startsWith(s.path)));
  const faultsLeft = [];
  for (const s of SOURCES) {
    const got = requests.filter((q) => q.path.startsWith(s.path)).length;
    console.log(`provider-storm: ${s.provider}: ${got} season requests during the storm (${s.faults.length} faulted: ${s.faults.map((f) => f.mode).join(', ')})`);
    if (got < s.faults.length + 1) faultsLeft.push(s.provider);
  }
  console.log(`provider-storm: units ${runs.map((r) => `${r.provider} ${r.status} after ${r.attempts} attempt(s)`).join('; ')}`);
  check(settled, `all ${ids.length} units settled within ${STORM_TIMEOUT_MS / 1000} s (took ${stormSeconds} s)`);
  check(runs.length === ids.length && runs.every((r) => r.status === 'succeeded'), `every unit succeeded in the end (${JSON.stringify(byStatus(runs.map((r) => ({ status: r.status }))))})`);
  check(faultsLeft.length === 0, `every queued fault was served (each provider asked more often than it had faults)${faultsLeft.length ? `: not ${faultsLeft.join(', ')}` : ''}`);
  check(runs.some((r) => r.attempts > 1), `units retried (attempts: ${runs.map((r) => r.attempts).join(', ')})`);
  // Until the first unit has stored the season, the standings are a 404 problem ("No data stored"): right, not an error.
  const bad = responses.filter((r) => r.status !== 200 && !(r.status === 404 && r.kind === 'standings' && r.type?.includes('problem+json')));
  check(bad.length === 0, `every read during the storm answered 200 (or 404 problem for standings before any data was stored): ${responses.length} reads ` +
    `${JSON.stringify(byStatus(responses))}${bad.length ? `; unexpected: ${JSON.stringify(errorsByStatus(bad))}` : ''}`);

  const after = await canonicalState(db);
  const diff = compareStates(reference, after);
  check(diff.lost === 0, `rows lost: ${diff.lost}`);
  check(diff.duplicated + diff.extra === 0, `rows duplicated: ${diff.duplicated} (extra ${diff.extra})`);
  check(diff.changed === 0, `matches with another score or status than the reference: ${diff.changed}`);
  d.report({
    requests: responses.length,
    served: responses.filter((r) => r.status === 200).length,
    errorsByStatus: errorsByStatus(responses),
    providerRequests: requests.length,
    faultsInjected: Object.fromEntries(SOURCES.map((s) => [s.provider, s.faults.map((f) => f.mode)])),
    units: runs.map((r) => ({ provider: r.provider, status: r.status, attempts: r.attempts })),
    rowsLost: diff.lost,
    rowsDuplicated: diff.duplicated + diff.extra,
    eventsMissed: null,
    stormSeconds,
  });
  return d.failures.length ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  check(false, `provider-storm: ${e?.stack ?? e}`);
  d.report({ error: String(e?.message ?? e) });
  if (running?.output) console.error('--- wrangler output (tail) ---\n' + running.output().slice(-3000));
} finally {
  await db?.end().catch(() => {});
  if (running) await stopWorker(running);
  for (const dir of cleanupDirs) rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
