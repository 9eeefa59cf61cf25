// Ingest benchmark (part of `npm run bench`; alone: `npx node bench/ingest.mjs --provider P`): a whole generated
// season from one provider through the real job path — admin API → queue → consumer → fetch (replay server) →
// normalize → one store transaction → cache invalidation — in `wrangler dev`, against real Postgres and Redis
// behind the local stand-ins. See BENCHMARKS.md.
//
//   npx node bench/ingest.mjs              measure, write bench/results/ingest-<provider>.{json,md}
//   options: --provider openligadb|api-football|football-data (openligadb). Only that provider is configured
//                             (OpenLigaDB always is, so the other two ingest a Premier League season, which
//                             OpenLigaDB does not cover: 20 clubs, 380 matches; OpenLigaDB ingests BL1, 306)
//            --database NAME (matchday_bench_ingest)  --redis-db N (11)
//            --seed S (2023)  generated season's seed
//            --rounds N (3)   repeat A, B, C, real, real again N times (1..5); times are the median, and rows written
//                             and round trips must be the same in every round
//            --embedded       use the embedded stand-ins (PGlite, in-memory Redis) even when Postgres/Redis are running
//            --verbose        wrangler --log-level info, its output shown on failure (for debugging, not measuring)
//
// Runs, each one `POST /v1/admin/jobs/update_matches {"competition":"BL1","season":2023}` waited for to the end:
//   warm-up  matchday 1 of the generated season (9 matches), then every table emptied: so run A measures an empty
//            database, not the Worker's first request (module load, JIT, first connections);
//   A        the generated season (bench/lib/season-generator.mjs, 306 matches), empty database;
//   B        the same payload again: must write 0 rows, or the benchmark fails;
//   C        one goal added mid-match to one matchday-20 match (final result, later goals' running scores and
//            lastUpdateDateTime change with it): the rows written must be few;
//   real     (OpenLigaDB only) the recorded test/fixtures/openligadb/getmatchdata/bl1/2023.json (243 of 306 played)
//            on an emptied database, then once more unchanged.
// API-Football and football-data.org get the same generated season in their own season shapes
// (bench/lib/provider-seasons.mjs): fixtures and results, no goal events (their season lists carry none); their
// warm-up is the whole season (then emptied).
//
// SQL round trips are counted by the Postgres pipe (dev/pg-pipe.mjs stats()): every frontend message the Worker
// sends, by type; a round trip is a simple query ('Q') or an extended-protocol exchange ended by a Sync ('S').
// The only Worker traffic between the POST and the job's end is the POST's own job_runs insert (counted apart:
// the snapshot is taken when the 202 arrives, after its insert) and the queue consumer. This script polls job_runs
// over its own `pg` connection straight to Postgres — not through the pipe, not through the API — so polling adds
// nothing; that the pipe saw no round trip between runs is checked (a WARNING says otherwise).
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clkTck, cpuSnapshot, createChecks, flushRedisDb, freePort, launchWorker, prepareServices, processTree, runBench,
  snapshotSources, stopWorker, waitFor, waitForHealth, writeResults,
} from '../dev/harness.mjs';
import { toApiFootballSeason, toFootballDataSeason } from './lib/provider-seasons.mjs';
import { generateOpenLigaDbSeason, withExtraGoal } from './lib/season-generator.mjs';

const SELF = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(SELF), '..');
const SEASON = 2023;
/**
 * Per provider: the competition it ingests, the generated league size, the season request's path (as the replay
 * logs it, no query) and the override key (with the query the adapter sends), the payload in its shape, the
 * configuration that turns it on (pointed at the replay by `--replay-all`), and what its season list carries.
 */
const PROVIDERS = {
  openligadb: {
    competition: 'BL1', teams: 18, seasonPath: `/openligadb/getmatchdata/bl1/${SEASON}`, overridePath: `/openligadb/getmatchdata/bl1/${SEASON}`,
    shape: (matches) => matches, count: (payload) => payload.length, env: {}, events: true,
  },
  'api-football': {
    competition: 'PL', teams: 20, seasonPath: '/api-football/fixtures', overridePath: `/api-football/fixtures?league=39&season=${SEASON}`,
    shape: (matches) => toApiFootballSeason(matches, { league: { id: 39, name: 'Premier League', country: 'England' }, season: SEASON }),
    count: (payload) => payload.response.length,
    env: { API_FOOTBALL_KEY: 'bench-key', API_FOOTBALL_REQUESTS_PER_MINUTE: '1000' }, events: false,
  },
  'football-data': {
    competition: 'PL', teams: 20, seasonPath: '/football-data/competitions/PL/matches', overridePath: `/football-data/competitions/PL/matches?season=${SEASON}`,
    shape: (matches) => toFootballDataSeason(matches, { competition: { id: 2021, name: 'Premier League', code: 'PL' }, season: SEASON }),
    count: (payload) => payload.matches.length,
    env: { FOOTBALL_DATA_TOKEN: 'bench-token', FOOTBALL_DATA_REQUESTS_PER_MINUTE: '1000' }, events: false,
  },
};
const RECORDED = path.join(REPO, 'test', 'fixtures', 'openligadb', 'getmatchdata', 'bl1', `${SEASON}.json`);
const JOB_TIMEOUT_MS = 45_000;
const OVERALL_TIMEOUT_MS = 170_000; // the whole run stays under 3 minutes, or stops
const C_ROWS_WARN = 25;
const OTHER_CPU_WARN = 20; // % of one core used by unrelated processes during a job

const args = parseArgs(process.argv.slice(2));
const P = PROVIDERS[args.provider];
const { failures, fail } = createChecks();
const warnings = [];
const warn = (msg) => {
  warnings.push(msg);
  console.log(`WARNING ${msg}`);
};
const busyRuns = new Map(); // run label → { pct, top }: the most CPU other processes used while it ran (above the threshold)
let running; // launch() handle
let db; // direct pg client (not through the pipe)
const cleanupDirs = [];
let stopped;

function cleanup() {
  stopped ??= (async () => {
    await db?.end().catch(() => {});
    if (running) await stopWorker(running);
    for (const d of cleanupDirs) rmSync(d, { recursive: true, force: true });
  })();
  return stopped;
}

async function main() {
  const services = await prepareServices({
    database: args.database,
    redisDb: args.redisDb,
    tmpPrefix: 'matchday-bench-ingest-',
    cleanupDirs,
    embedded: args.embedded,
    unset: ['API_FOOTBALL_KEY', 'FOOTBALL_DATA_TOKEN', 'PGLITE_DIR'],
    serverVersion: true,
    notes: {
      postgres: 'using embedded PGlite (one backend, queries serialized); numbers are not comparable with a real-server run.',
      redis: 'using the in-memory Upstash bridge; numbers are not comparable with a real-server run.',
    },
  });
  Object.assign(process.env, P.env); // only this provider (and OpenLigaDB, always configured) takes part
  const port = await freePort();
  const snapshot = snapshotSources('matchday-bench-ingest-src-', cleanupDirs);
  const hint = args.verbose ? '' : ' (rerun with --verbose to see why)';
  running = await launchWorker(['--replay-all', '--port', String(port), '--log-level', args.verbose ? 'info' : 'none', '--config', snapshot.config], {
    exitHint: hint,
  });
  const api = running.api; // the typed client (matchday-edge/client)
  const { standins } = running;
  if (typeof standins.pgStats !== 'function') throw new Error('dev/standins.mjs has no pgStats(): the pipe counter is missing');

  const { ms: upMs } = await waitForHealth(api, { timeoutMs: 60_000, what: 'GET /health 200' + hint });
  console.log(`worker up on ${running.base} after ${upMs} ms`);

  const { default: pg } = await import('pg');
  db = new pg.Client({ connectionString: standins.databaseUrl });
  await db.connect();
  const pollMs = standins.pgMode === 'pglite' ? 50 : 10;
  const replay = replayControl(standins.replayUrl);

  // The season in OpenLigaDB's shape (what the counts below describe); `P.shape` turns it into the provider's.
  const generated = generateOpenLigaDbSeason({ season: SEASON, seed: args.seed, teams: P.teams });
  const changed = withExtraGoal(generated, { matchday: 20 });
  const recorded = P.events ? JSON.parse(readFileSync(RECORDED, 'utf8')) : null;
  const dataset = {
    provider: args.provider,
    competition: P.competition,
    generated: describe(generated, { seed: args.seed }),
    recorded: recorded ? describe(recorded, { file: path.relative(REPO, RECORDED) }) : null,
    change: changed.change,
  };
  const body = P.shape(generated);
  console.log(`generated ${P.competition} season for ${args.provider} (seed ${args.seed}): ${dataset.generated.matches} matches, ` +
    `${dataset.generated.goals} goals${P.events ? '' : ' (results only: this provider\'s season list has no events)'}, ` +
    `${(Buffer.byteLength(JSON.stringify(body)) / 1024).toFixed(0)} KiB of JSON`);

  const ctx = { api, db, replay, standins, pollMs };

  // Warm-up through the same path (the first round empties the database again): OpenLigaDB one matchday, the
  // others the whole season (their matchday requests carry other query strings).
  let warmup;
  if (P.events) {
    const md1 = generated.filter((m) => m.group.groupOrderID === 1);
    await replay.override(`${P.seasonPath}/1`, md1);
    warmup = await runJob(ctx, { key: 'warmup', label: 'warm-up (generated matchday 1)', matchday: 1, payload: md1 });
  } else {
    await replay.override(P.overridePath, body);
    warmup = await runJob(ctx, { key: 'warmup', label: 'warm-up (generated season)', payload: generated });
  }

  const rounds = [];
  for (let i = 0; i < args.rounds; i++) {
    if (args.rounds > 1) console.log(`round ${i + 1} of ${args.rounds}`);
    const round = {};
    await resetData(ctx, services);
    await replay.override(P.overridePath, body);
    const a = (round.A = await runJob(ctx, { key: 'A', label: 'A generated season, empty DB', payload: generated }));
    const eventsA = P.events ? dataset.generated.goals : 0;
    checkTotals(a, { matches: dataset.generated.matches, events: eventsA, ...(P.events ? { players: dataset.generated.scorers } : {}) });
    if (a.rowsWritten == null || a.rowsWritten < dataset.generated.matches + eventsA) fail(`A wrote ${a.rowsWritten} rows, fewer than its matches + goals`);

    const b = (round.B = await runJob(ctx, { key: 'B', label: 'B same payload again', payload: generated }));
    if (b.rowsWritten !== 0) fail(`B (unchanged re-ingest) wrote ${b.rowsWritten} rows, must write 0 (${JSON.stringify(b.counts)})`);

    await replay.override(P.overridePath, P.shape(changed.matches));
    const c = (round.C = await runJob(ctx, { key: 'C', label: `C one goal added (md ${changed.change.matchday})`, payload: changed.matches }));
    checkTotals(c, { matches: dataset.generated.matches, events: P.events ? dataset.generated.goals + 1 : 0 });
    if (!c.rowsWritten) fail(`C (one goal added) wrote ${c.rowsWritten} rows: the change did not land`);
    else if (c.rowsWritten > C_ROWS_WARN) warn(`C (one goal added) wrote ${c.rowsWritten} rows, more than ${C_ROWS_WARN} (${JSON.stringify(c.counts)})`);

    if (recorded) {
      await resetData(ctx, services);
      await replay.removeOverride(P.overridePath); // back to the recorded file
      const r1 = (round.real = await runJob(ctx, { key: 'real', label: 'recorded 2023.json, empty DB', payload: recorded }));
      checkTotals(r1, { matches: dataset.recorded.matches });
      const r2 = (round['real-again'] = await runJob(ctx, { key: 'real-again', label: 'recorded 2023.json again', payload: recorded }));
      if (r2.rowsWritten !== 0) fail(`re-ingesting the recorded file wrote ${r2.rowsWritten} rows, must write 0 (${JSON.stringify(r2.counts)})`);
    }
    rounds.push(round);
    if (failures.length) break;
  }
  const runs = aggregate(rounds);
  for (const [label, { pct, top }] of busyRuns) {
    warn(`${label}: other processes used up to ${pct} % of a core while it ran (not this benchmark, Postgres or Redis${top.length ? `; most: ${top.join(', ')}` : ''}): ` +
      'rerun on a quiet machine before trusting its times');
  }

  const results = summarize({ services, snapshot, dataset, warmup, runs, rounds: rounds.length });
  const table = markdown(results);
  console.log('\n' + table);
  if (failures.length) {
    console.log(`${failures.length} check(s) failed; results not written.`);
    return 1;
  }
  writeResults(`ingest-${args.provider}`, results, table);
  return 0;
}

// ---------------------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const a = { seed: 2023, rounds: 3, verbose: false, provider: 'openligadb', database: 'matchday_bench_ingest', redisDb: 11 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (flag === '--seed') a.seed = val();
    else if (flag === '--rounds') a.rounds = Number(val());
    else if (flag === '--verbose') a.verbose = true;
    else if (flag === '--embedded') a.embedded = true;
    else if (flag === '--provider') a.provider = val();
    else if (flag === '--database') a.database = val();
    else if (flag === '--redis-db') a.redisDb = Number(val());
    else throw new Error(`unknown option ${argv[i]} (see the header of bench/ingest.mjs)`);
  }
  if (!PROVIDERS[a.provider]) throw new Error(`--provider must be one of ${Object.keys(PROVIDERS).join(', ')}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(a.database)) throw new Error('--database: lower-case letters, digits and _ only');
  if (a.seed === undefined || a.seed === '') throw new Error('--seed needs a value');
  if (/^\d+$/.test(String(a.seed))) a.seed = Number(a.seed);
  // 1 + 5 jobs a round; more than 5 rounds could pass OpenLigaDB's 30 requests a minute (the rate gate would defer).
  if (!(Number.isInteger(a.rounds) && a.rounds >= 1 && a.rounds <= 5)) throw new Error('--rounds must be 1..5');
  return a;
}

function replayControl(base) {
  const call = async (method, p, body) => {
    const r = await fetch(base + p, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    if (!r.ok) throw new Error(`replay ${method} ${p} → ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    override: (p, body) => call('PUT', '/__replay/override', { path: p, status: 200, body }),
    removeOverride: (p) => call('DELETE', `/__replay/override?path=${encodeURIComponent(p)}`),
    requests: async () => (await call('GET', '/__replay/requests')).requests,
  };
}

/** Empties every table of the app (not the migrations journal) and the Redis db: the next run starts from nothing. */
async function resetData({ db }, services) {
  const { rows } = await db.query(`select tablename from pg_tables where schemaname = 'public'`);
  if (rows.length) await db.query(`truncate ${rows.map((r) => `public."${r.tablename}"`).join(', ')} restart identity cascade`);
  if (services.redis.startsWith('real')) await flushRedisDb(args.redisDb);
  // (Embedded Redis keeps its cache keys and rate-budget counter: 6 jobs stay far below OpenLigaDB's 30 a minute.)
}

/**
 * One update_matches job, from the POST to its job_runs row's end, with the pipe's counts around it and a 1 ms
 * timeline of them (to place the store transaction in time).
 */
async function runJob({ api, db, replay, standins, pollMs }, { key, label, matchday, payload }) {
  const idle = standins.pgStats();
  await sleep(50);
  const before = standins.pgStats();
  const stray = roundTrips(before) - roundTrips(idle);
  if (stray) warn(`${label}: ${stray} SQL round trip(s) through the pipe while idle before the run (not counted)`);
  const timeline = [];
  let last = -1;
  const sample = () => {
    const s = standins.pgStats();
    const rt = roundTrips(s);
    if (rt !== last) {
      timeline.push({ t: Date.now(), rt, q: s.simpleQueries, s: s.syncs });
      last = rt;
    }
  };
  const sampler = setInterval(sample, 1);
  const cpuStart = cpuSnapshot();

  const body = { competition: P.competition, season: SEASON, ...(matchday ? { matchday } : {}) };
  const tPost = Date.now();
  let res;
  try {
    const r = await api.POST('/v1/admin/jobs/{job}', { params: { path: { job: 'update_matches' } }, body });
    res = { status: r.response.status, body: r.data ?? r.error };
  } catch (e) {
    clearInterval(sampler);
    throw e;
  }
  const tAccepted = Date.now();
  const afterPost = standins.pgStats();
  if (res.status !== 202) {
    clearInterval(sampler);
    throw new Error(`POST update_matches ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
  }
  const ids = res.body.jobRunIds;
  if (!Array.isArray(ids) || ids.length !== 1) {
    clearInterval(sampler);
    throw new Error(`expected one job run (${args.provider} only), got ${JSON.stringify(ids)}`);
  }
  const id = ids[0];
  let row;
  try {
    row = await waitFor(async () => {
      const { rows } = await db.query(
        `select status, attempts, rows_written, counts, error,
                extract(epoch from queued_at)::float8 * 1000 as queued_ms,
                extract(epoch from started_at)::float8 * 1000 as started_ms,
                extract(epoch from finished_at)::float8 * 1000 as finished_ms
         from job_runs where id = $1`,
        [id],
      );
      const x = rows[0];
      if (x?.status === 'failed') throw Object.assign(new Error(`job run ${id} failed: ${x.error}`), { fatal: true });
      if (x && ['succeeded', 'skipped'].includes(x.status)) return x;
      throw new Error(`job run ${id}: ${x ? `status ${x.status}, attempts ${x.attempts}${x.error ? `, error: ${x.error}` : ''}` : 'no row'}`);
    }, JOB_TIMEOUT_MS, `${label}: job run ${id} finished`, { everyMs: pollMs });
  } finally {
    clearInterval(sampler);
  }
  const tSeen = Date.now();
  sample();
  const end = standins.pgStats();
  const cpu = cpuShares(cpuStart, cpuSnapshot());
  if (key !== 'warmup' && cpu.otherPct > OTHER_CPU_WARN && cpu.otherPct > (busyRuns.get(label)?.pct ?? 0)) {
    busyRuns.set(label, { pct: cpu.otherPct, top: cpu.topOther });
  }

  // Where the job's time went, on one clock (Postgres's now() and Node's Date.now() read the same system clock).
  // The store transaction's BEGIN and COMMIT are the job's only simple queries besides the advisory lock
  // (drizzle sends statements without parameters as 'Q'; everything else is extended protocol): BEGIN is the
  // first 'Q' after the provider request, COMMIT the last.
  const provider = (await replay.requests()).filter((q) => q.path.startsWith(P.seasonPath) && q.at >= tPost).at(-1);
  const jobPoints = timeline.filter((p) => p.rt > roundTrips(afterPost));
  const qEnd = end.simpleQueries;
  const begin = provider && jobPoints.find((p) => p.t >= provider.at && p.q > afterPost.simpleQueries);
  const commit = qEnd - afterPost.simpleQueries >= 2 ? jobPoints.find((p) => p.q === qEnd) : undefined;
  const phases = provider && begin && commit
    ? {
        queueWaitMs: ms(row.started_ms - row.queued_ms),
        startToFetchMs: ms(provider.at - row.started_ms),
        fetchParseNormalizeMs: ms(begin.t - provider.at),
        storeTransactionMs: ms(commit.t - begin.t),
        afterCommitMs: ms(row.finished_ms - commit.t),
      }
    : null;
  if (!phases) warn(`${label}: could not place the provider request / BEGIN / COMMIT in time; phases left out`);

  const postRt = roundTrips(afterPost) - roundTrips(before);
  const jobRt = roundTrips(end) - roundTrips(afterPost);
  const result = {
    key,
    label,
    matches: payload.length,
    goals: P.events ? payload.reduce((n, m) => n + (m.goals?.length ?? 0), 0) : 0,
    jobRunId: id,
    status: row.status,
    attempts: row.attempts,
    rowsWritten: row.rows_written,
    counts: row.counts,
    sqlRoundTrips: { total: postRt + jobRt, post: postRt, job: jobRt, jobPerMatch: Math.round((jobRt / payload.length) * 100) / 100 },
    pipe: {
      post: diffStats(before, afterPost),
      job: diffStats(afterPost, end),
      roundTripsInTransaction: begin && commit ? commit.rt - begin.rt + 1 : null,
    },
    jobWallMs: ms(row.finished_ms - row.started_ms),
    endToEndMs: ms(row.finished_ms - tPost),
    postMs: tAccepted - tPost,
    seenAfterMs: tSeen - tPost,
    phases,
    cpuMs: cpu.cpuMs, // from POST to the poller seeing the end (the queue wait in between is idle)
    otherCpuPctOfOneCore: cpu.otherPct,
    // The job's SQL in time: [ms since started_at, simple queries, syncs] each time the count moved (1 ms samples).
    timeline: timeline.filter((p) => p.rt > roundTrips(afterPost)).map((p) => [ms(p.t - row.started_ms), p.q - afterPost.simpleQueries, p.s - afterPost.syncs]),
    totals: await tableCounts(db),
  };
  console.log(
    `${label.padEnd(36)} rows ${String(result.rowsWritten).padStart(5)}  SQL round trips ${String(result.sqlRoundTrips.total).padStart(4)} ` +
      `(POST ${postRt} + job ${jobRt})  job ${fmt(result.jobWallMs, 0)} ms  end-to-end ${fmt(result.endToEndMs, 0)} ms`,
  );
  if (result.attempts !== 1) warn(`${label}: the job took ${result.attempts} attempts (deferred or retried): its times include that`);
  return result;
}

const roundTrips = (s) => s.syncs + s.simpleQueries;
const ms = (x) => Math.round(x * 10) / 10;
const sleep = (t) => new Promise((r) => setTimeout(r, t));

function diffStats(a, b) {
  const messages = {};
  for (const [k, v] of Object.entries(b.messages)) if (v - (a.messages[k] ?? 0)) messages[k] = v - (a.messages[k] ?? 0);
  return {
    roundTrips: roundTrips(b) - roundTrips(a),
    syncs: b.syncs - a.syncs,
    simpleQueries: b.simpleQueries - a.simpleQueries,
    connections: b.connections - a.connections,
    messages,
  };
}

async function tableCounts(db) {
  const { rows } = await db.query(`select
      (select count(*) from matches)::int as matches, (select count(*) from match_events)::int as match_events,
      (select count(*) from teams)::int as teams, (select count(*) from players)::int as players,
      (select count(*) from external_refs)::int as external_refs`);
  return rows[0];
}

function checkTotals(run, want) {
  for (const [k, v] of Object.entries(want)) {
    const got = k === 'events' ? run.totals.match_events : run.totals[k];
    if (got !== v) fail(`${run.label}: ${got} ${k} stored, expected ${v}`);
  }
}

function describe(matches, extra) {
  return {
    ...extra,
    matches: matches.length,
    finished: matches.filter((m) => m.matchIsFinished).length,
    goals: matches.reduce((n, m) => n + m.goals.length, 0),
    scorers: new Set(matches.flatMap((m) => m.goals.map((g) => g.goalGetterID)).filter((x) => x > 0)).size,
    bytes: Buffer.byteLength(JSON.stringify(matches)),
  };
}

/**
 * Per run: the first round's record, with times replaced by the median over rounds (each round's times kept in
 * `perRound`). Rows written and round trips are deterministic: a difference between rounds is a warning.
 */
function aggregate(rounds) {
  const keys = Object.keys(rounds[0] ?? {});
  return keys.map((key) => {
    const all = rounds.map((r) => r[key]).filter(Boolean);
    const first = all[0];
    for (const x of all.slice(1)) {
      if (x.rowsWritten !== first.rowsWritten || x.sqlRoundTrips.total !== first.sqlRoundTrips.total) {
        warn(`${first.label}: rows written / round trips differ between rounds (${all.map((y) => `${y.rowsWritten}/${y.sqlRoundTrips.total}`).join(', ')})`);
        break;
      }
    }
    const med = (f) => {
      const xs = all.map(f).filter((v) => v != null);
      return xs.length ? ms(median(xs)) : null;
    };
    const phaseKeys = Object.keys(first.phases ?? {});
    return {
      ...first,
      jobWallMs: med((x) => x.jobWallMs),
      endToEndMs: med((x) => x.endToEndMs),
      phases: first.phases ? Object.fromEntries(phaseKeys.map((k) => [k, med((x) => x.phases?.[k])])) : null,
      perRound: all.map((x) => ({ jobWallMs: x.jobWallMs, endToEndMs: x.endToEndMs, rowsWritten: x.rowsWritten, sqlRoundTrips: x.sqlRoundTrips.total,
        phases: x.phases, cpuMs: x.cpuMs, otherCpuPctOfOneCore: x.otherCpuPctOfOneCore, timeline: x.timeline })),
      cpuMs: Object.fromEntries(Object.keys(first.cpuMs).map((k) => [k, med((x) => x.cpuMs[k])])),
      otherCpuPctOfOneCore: undefined,
      timeline: undefined,
    };
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// --- Interference: who used the CPU while a job ran (dev/harness.mjs cpuSnapshot(): /proc; Linux only, else zeros). As in bench/read.mjs. ---

/**
 * CPU used between two snapshots, in ms per group: workerd (the Worker runtime and wrangler's dev proxy), the rest
 * of wrangler (Node, esbuild), this process (the stand-ins: Postgres pipe, Upstash bridge, replay server; and the
 * poller), Postgres, Redis, kernel threads, and other processes (not this benchmark's: a warning above 20 % of a core).
 */
function cpuShares(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const groups = { workerd: 0, wrangler: 0, standins: 0, postgres: 0, redis: 0, kernel: 0 };
  if (!b.busy || seconds <= 0) return { cpuMs: { ...groups, other: 0 }, otherPct: 0, topOther: [] };
  const ours = processTree(b.procs, process.pid);
  let known = 0;
  const others = [];
  for (const [pid, p] of b.procs) {
    const d = p.ticks - (a.procs.get(pid)?.ticks ?? 0);
    if (!d) continue;
    const group = pid === process.pid ? 'standins'
      : ours.has(pid) ? (p.comm === 'workerd' ? 'workerd' : 'wrangler')
      : /^postgres/.test(p.comm) ? 'postgres'
      : /^redis-server/.test(p.comm) ? 'redis'
      : p.ppid === 2 || pid === 2 ? 'kernel'
      : null;
    if (!group) {
      others.push({ pid, comm: p.comm, ticks: d });
      continue;
    }
    groups[group] += d;
    known += d;
  }
  const CLK_TCK = clkTck();
  const toMs = (ticks) => Math.round((ticks / CLK_TCK) * 1000);
  const other = Math.max(0, b.busy - a.busy - known);
  return {
    cpuMs: { ...Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, toMs(v)])), other: toMs(other) },
    otherPct: Math.round((other / CLK_TCK / seconds) * 100),
    topOther: others.sort((x, y) => y.ticks - x.ticks).slice(0, 3).map((o) => `${o.comm} (pid ${o.pid}) ${toMs(o.ticks)} ms`),
  };
}

const fmt = (x, d) => (x == null ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

function summarize({ services, snapshot, dataset, warmup, runs, rounds }) {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    services,
    source: { commit: snapshot.commit, uncommittedFiles: snapshot.uncommitted, snapshotAt: snapshot.at },
    settings: {
      target: 'wrangler dev --demo --log-level none (queue consumer: max_batch_timeout 1 s)',
      job: `POST /v1/admin/jobs/update_matches {"competition":"${P.competition}","season":${SEASON}}`,
      seed: args.seed,
      rounds,
      aggregate: 'times: median over rounds (each round in perRound); rows and round trips: identical in every round',
      roundTrips: "pipe frontend messages: Sync ('S') + simple Query ('Q'); job_runs polled over a direct pg connection, outside the pipe",
      times: 'job wall = finished_at − started_at of the job_runs row; end-to-end = finished_at − the moment the POST was sent (same system clock)',
    },
    dataset,
    warmup,
    runs,
    warnings,
  };
}

function markdown(r) {
  const realPg = r.services.postgres.startsWith('real');
  const lines = [
    `# Ingest benchmark (${r.dataset.provider}, ${r.dataset.competition}) — ${r.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${r.cpu}, ${r.cores} cores, Node ${r.node}, load ${r.loadAverage1m}; Postgres ${r.services.postgres.split(' (')[0]}` +
      `${r.services.postgresVersion ? ` ${r.services.postgresVersion}` : ''}, Redis ${r.services.redis.split(' (')[0]}; ${r.settings.target}. ` +
      `Source: commit ${r.source.commit ?? '?'}${r.source.uncommittedFiles ? ` + ${r.source.uncommittedFiles} uncommitted file(s) in src/` : ''}.`,
    '',
    `Generated season: seed ${r.settings.seed}, ${r.dataset.generated.matches} matches, ${r.dataset.generated.goals} goals, ${r.dataset.generated.scorers} scorers. ` +
      `Run C: ${r.dataset.change.home} – ${r.dataset.change.away} (matchday ${r.dataset.change.matchday}), ${r.dataset.change.side} goal at ` +
      `${r.dataset.change.minute}', ${r.dataset.change.finalBefore} → ${r.dataset.change.finalAfter}, ${r.dataset.change.laterGoalsRescored} later goal(s) re-scored. ` +
      (r.dataset.recorded ? `Recorded file: ${r.dataset.recorded.matches} matches (${r.dataset.recorded.finished} flagged finished), ${r.dataset.recorded.goals} goals.`
        : `Provider ${r.dataset.provider}, competition ${r.dataset.competition}: results only (its season list carries no goal events).`),
    '',
    '| run | matches | rows written | SQL round trips (POST + job) | job wall ms | end-to-end ms |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const x of r.runs) {
    lines.push(`| ${x.label} | ${x.matches} | ${x.rowsWritten} | ${x.sqlRoundTrips.total} (${x.sqlRoundTrips.post} + ${x.sqlRoundTrips.job}) | ` +
      `${fmt(x.jobWallMs, 0)} | ${fmt(x.endToEndMs, 0)} |`);
  }
  lines.push('', 'Where the time went (ms; median) and what was written:', '',
    '| run | queue wait | started → provider request | fetch + parse + normalize | store transaction | after COMMIT | CPU ms: workerd / Postgres / stand-ins | job round trips (in tx) / per match | rows by table |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const x of r.runs) {
    const p = x.phases;
    const counts = Object.entries(x.counts ?? {}).filter(([k, v]) => v && !['staleSkipped', 'discarded', 'cacheKeysInvalidated'].includes(k)).map(([k, v]) => `${k} ${v}`).join(', ') || '—';
    lines.push(`| ${x.label} | ${fmt(p?.queueWaitMs, 0)} | ${fmt(p?.startToFetchMs, 0)} | ${fmt(p?.fetchParseNormalizeMs, 0)} | ${fmt(p?.storeTransactionMs, 0)} | ` +
      `${fmt(p?.afterCommitMs, 0)} | ${x.cpuMs.workerd} / ${x.cpuMs.postgres} / ${x.cpuMs.standins} | ${x.sqlRoundTrips.job} (${x.pipe.roundTripsInTransaction ?? '?'}) / ` +
      `${fmt(x.sqlRoundTrips.jobPerMatch, 2)} | ${counts}${x.counts?.discarded ? ` (discarded ${x.counts.discarded})` : ''} |`);
  }
  lines.push('',
    `SQL round trips: every Sync ('S') and simple Query ('Q') the Worker sent through the Postgres pipe between the POST and the job's end; ` +
    `"POST" is the admin request's job_runs insert, "job" the queue consumer (job_runs updates + the store transaction). ` +
    `The benchmark polls job_runs over its own connection${realPg ? ' straight to Postgres' : ''}, outside the pipe. ` +
    `Job wall = job_runs.finished_at − started_at; end-to-end = finished_at − POST sent, including the queue's 1 s batch window. ` +
    `Times are the median of ${r.settings.rounds} round(s) (each: empty DB, A, B, C${r.dataset.recorded ? '; empty DB, recorded, recorded again' : ''}); rows and round trips ` +
    `were the same in every round${r.warnings.some((w) => w.includes('differ between rounds')) ? ' except where a warning says otherwise' : ''}. ` +
    `A warm-up job (${r.dataset.recorded ? 'matchday 1' : 'the season'}) ran before the first round. CPU used by other processes while a job ran: at most ` +
    `${Math.max(0, ...r.runs.flatMap((x) => x.perRound.map((p) => p.otherCpuPctOfOneCore ?? 0)))} % of a core. ` +
    `Phases: the provider request is when the replay server received it; BEGIN and COMMIT are the transaction's first and last ` +
    `simple queries seen by the pipe (1 ms samples); "after COMMIT" is cache invalidation (Upstash → Redis) and the job_runs update. ` +
    `CPU ms are /proc ticks (10 ms) from the POST to the end; "stand-ins" is the benchmark's own process (pipe, Upstash bridge, replay server` +
    `${realPg ? '' : ', and here PGlite: embedded Postgres runs inside it'}).`);
  if (r.warnings.length) {
    lines.push('', 'Warnings:', '');
    for (const w of r.warnings) lines.push(`- ${w}`);
  }
  return lines.join('\n') + '\n';
}

// Run (last, so every declaration above is initialized).
const watchdog = setTimeout(async () => {
  console.error(`bench: not done within ${OVERALL_TIMEOUT_MS / 1000} s: stopping`);
  const tail = running?.output?.().slice(-3000);
  if (tail) console.error('--- wrangler output (tail) ---\n' + tail);
  await cleanup();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
await runBench(main, {
  cleanup: async () => {
    await cleanup();
    clearTimeout(watchdog);
  },
  output: () => running?.output?.(),
  interruptedNote: 'bench: interrupted',
});
