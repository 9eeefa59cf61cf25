// `npm run dev`: starts the local stand-ins the configuration needs, applies migrations, and runs `wrangler dev`
// on http://127.0.0.1:8787 with the config names of API.md taken from the environment and `.dev.vars`
// (the environment wins). `npm run dev -- --demo` also starts the provider replay server with recorded data
// and points OpenLigaDB at it, so matches appear after one job run with no internet.
// `npm run dev -- --live` (implies --demo) also plays a live match (dev/replay-live.mjs: Köln – Bayern, kick-off when
// the Worker is ready), points API-Football at the replay too (cards, VAR, half-time), polls every 5 s unless
// LIVE_POLL_INTERVAL_SECONDS says otherwise, and fires the live cron once so the poller starts (dev/LIVE.md).
// `npm run dev -- --replay-all` (implies --demo) also points API-Football and football-data.org at the replay server;
// whether they take part still depends on API_FOOTBALL_KEY / FOOTBALL_DATA_TOKEN (the benchmarks and drills set them).
// With an empty database, update_matches runs once as soon as the Worker answers (dev/first-start.mjs: one line per
// unit; a provider that cannot be reached points at --demo). `--no-seed` starts empty (the test and bench scripts).
//   --live-speed N    simulated minutes per real second (default 0.5: the match takes ~4 minutes)
//   --live-start M    start at match clock minute M (default 0)
//
//   DATABASE_URL   given → that Postgres (through the WebSocket pipe when it is on this machine);
//                  absent → embedded PGlite, persisted in .wrangler/pglite (or PGLITE_DIR)
//   UPSTASH_REDIS_REST_URL given → used as is; else REDIS_URL → bridge to that Redis; else in-memory bridge
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandins } from './standins.mjs';
import { migrate } from './migrate.mjs';
import { hasNoMatches, runFirstStart } from './first-start.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG_NAMES = [
  'DATABASE_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'API_FOOTBALL_BASE_URL', 'API_FOOTBALL_KEY',
  'FOOTBALL_DATA_BASE_URL', 'FOOTBALL_DATA_TOKEN', 'OPENLIGADB_BASE_URL', 'COMPETITIONS', 'SEASONS', 'ADMIN_TOKEN',
  'PROVIDER_TIMEOUT_MS', 'OPENLIGADB_REQUESTS_PER_MINUTE', 'API_FOOTBALL_REQUESTS_PER_MINUTE', 'FOOTBALL_DATA_REQUESTS_PER_MINUTE',
  'LIVE_POLL_INTERVAL_SECONDS', 'ANON_REQUESTS_PER_MINUTE', 'METRICS_FLUSH_MS',
];
const DEMO_ADMIN_TOKEN = 'dev-admin-token';

export function readDevVars(file = path.join(REPO, '.dev.vars')) {
  const vars = {};
  if (!existsSync(file)) return vars;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

const isLoopback = (url) => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

function parseArgs(argv) {
  const opts = { demo: false, live: false, replayAll: false, seed: true, liveSpeed: 0.5, liveStart: 0, port: 8787, passthrough: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--demo') opts.demo = true;
    else if (a === '--live') opts.live = opts.demo = true;
    else if (a === '--replay-all') opts.replayAll = opts.demo = true;
    else if (a === '--no-seed') opts.seed = false;
    else if (a === '--live-speed') opts.liveSpeed = Number(argv[++i]);
    else if (a === '--live-start') opts.liveStart = Number(argv[++i]);
    else if (a === '--port') opts.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) opts.port = Number(a.slice(7));
    else opts.passthrough.push(a);
  }
  return opts;
}

export async function launch(argv = process.argv.slice(2), { stdio = 'inherit' } = {}) {
  const opts = parseArgs(argv);
  const fileVars = readDevVars();
  const config = {};
  for (const name of CONFIG_NAMES) {
    const v = process.env[name] ?? fileVars[name];
    if (v !== undefined && v !== '') config[name] = v;
  }
  const localDb = !config.DATABASE_URL || isLoopback(config.DATABASE_URL);
  // Embedded Postgres keeps its data between runs (PGLITE_DIR overrides where; the smoke check uses a fresh one).
  const pgliteDataDir = config.DATABASE_URL ? undefined : (process.env.PGLITE_DIR ?? path.join(REPO, '.wrangler', 'pglite'));
  if (pgliteDataDir) mkdirSync(pgliteDataDir, { recursive: true });
  const standins = await startStandins({
    databaseUrl: config.DATABASE_URL,
    redisUrl: config.UPSTASH_REDIS_REST_URL ? undefined : (process.env.REDIS_URL ?? fileVars.REDIS_URL),
    replay: opts.demo,
    pgliteDataDir,
  });
  const stopAll = async () => standins.stop();
  let firstStart = false;
  try {
    await migrate(standins.databaseUrl);
    firstStart = opts.seed && (await hasNoMatches(standins.databaseUrl));
  } catch (e) {
    await stopAll();
    throw e;
  }
  const vars = { ...config, DATABASE_URL: standins.databaseUrl };
  if (localDb) vars.NEON_WS_PROXY = standins.neonWsProxy;
  if (!config.UPSTASH_REDIS_REST_URL) {
    vars.UPSTASH_REDIS_REST_URL = standins.upstashUrl;
    vars.UPSTASH_REDIS_REST_TOKEN = standins.upstashToken;
  }
  if (opts.demo) {
    vars.OPENLIGADB_BASE_URL = `${standins.replayUrl}/openligadb`;
    vars.COMPETITIONS ??= 'BL1';
    vars.SEASONS ??= '2023';
    vars.ADMIN_TOKEN ??= DEMO_ADMIN_TOKEN;
  }
  if (opts.replayAll) {
    vars.API_FOOTBALL_BASE_URL = `${standins.replayUrl}/api-football`;
    vars.FOOTBALL_DATA_BASE_URL = `${standins.replayUrl}/football-data`;
  }
  if (opts.live) {
    vars.API_FOOTBALL_BASE_URL = `${standins.replayUrl}/api-football`;
    vars.API_FOOTBALL_KEY ??= 'demo-key';
    vars.LIVE_POLL_INTERVAL_SECONDS ??= '5';
  }
  const args = [
    'dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--test-scheduled', '--show-interactive-dev-session=false',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ...opts.passthrough,
  ];
  const wrangler = spawn(path.join(REPO, 'node_modules', '.bin', 'wrangler'), args, {
    cwd: REPO,
    stdio,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
  const base = `http://127.0.0.1:${opts.port}`;
  console.log(`\nMatchday Edge on ${base}${opts.demo ? ' (demo: OpenLigaDB replayed from test/fixtures)' : ''}`);
  if (opts.demo) {
    console.log(`  trigger the daily job:  curl "${base}/__scheduled?cron=0+0+*+*+*"`);
    console.log(`  or one matchday:        curl -X POST -H "Authorization: Bearer ${vars.ADMIN_TOKEN}" -H "Content-Type: application/json" -d '{"competition":"BL1","season":2023,"matchday":12}' ${base}/v1/admin/jobs/update_matches`);
    console.log(`  read:                   curl "${base}/v1/competitions/BL1/standings?season=2023"`);
    console.log(`  live simulation:        curl -X POST -d '{"speed":1}' ${standins.replayUrl}/__replay/live/start   (then the live cron:)`);
    console.log(`  start the live poller:  curl "${base}/__scheduled?cron=*/5+*+*+*+*"`);
    console.log(`  watch:                  curl ${base}/v1/matches/live   → open ${base}/live/<id>\n`);
  }
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    wrangler.kill('SIGTERM');
    await new Promise((r) => (wrangler.exitCode !== null ? r() : wrangler.once('exit', r)));
    await stopAll();
    return code;
  };
  wrangler.once('exit', async (code) => {
    if (!stopping) {
      await stopAll();
      process.exitCode = code ?? 1;
    }
  });
  if (opts.live) startLiveDemo(base, standins.replayUrl, opts, () => stopping || wrangler.exitCode !== null);
  const seeded = firstStart
    ? runFirstStart({ base, databaseUrl: standins.databaseUrl, adminToken: vars.ADMIN_TOKEN, gone: () => stopping || wrangler.exitCode !== null }).catch((e) =>
        console.error(`first start: ${e.message}`),
      )
    : Promise.resolve(null);
  return { wrangler, base, vars, standins, stop, seeded };
}

/** --live: once the Worker answers, kick off the simulated match and fire the live cron (queue job + poller). */
async function startLiveDemo(base, replayUrl, { liveSpeed, liveStart }, gone) {
  try {
    for (let ready = false; !ready; ) {
      if (gone()) return;
      ready = await fetch(`${base}/health`).then((r) => r.status === 200, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 500));
    }
    const started = await fetch(`${replayUrl}/__replay/live/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ speed: liveSpeed, startMinute: liveStart }),
    }).then((r) => r.json());
    if (started.error) throw new Error(started.error);
    await fetch(`${base}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
    console.log(`\nlive demo: ${started.title} kicked off (${liveSpeed} simulated min/s); the poller is running.`);
    console.log(`  matches in play:  curl ${base}/v1/matches/live   → open ${base}/live/<id>`);
    console.log(`  simulation state: curl ${replayUrl}/__replay/live/state`);
    console.log(`  restart it:       curl -X POST -d '{"speed":1}' ${replayUrl}/__replay/live/start\n`);
  } catch (e) {
    console.error(`live demo could not start: ${e.message}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const running = await launch();
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, async () => {
      await running.stop();
      process.exit(0);
    });
  }
}
