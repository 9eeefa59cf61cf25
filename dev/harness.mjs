// Harness pieces shared by the scripts that drive a real dev server: dev/smoke.mjs, dev/live-e2e.mjs,
// test/browser/run.mjs (+ live-page.spec.mjs), bench/{read,ingest,fanout}.mjs and bench/drills/*.mjs. Plain Node (≥ 20); of
// dependencies only the typed client (matchday-edge/client, small) at load: dev/launch.mjs, pg and ioredis are
// imported only by the functions that need them, so a benchmark's load-generator child can import this file cheaply.
//
//   waitFor / waitForHealth         polling with a timeout (an error with `fatal: true` ends the wait at once)
//   startNpmDev                     `npm run dev` as a child process on the embedded defaults (smoke, live e2e)
//   launchWorker / stopWorker       dev/launch.mjs launch() in this process, quiet, with output tail and get()
//   clientFor                       the typed client (matchday-edge/client) for a base URL or a fetcher
//   ADMIN_HEADERS, postJob, triggerJob, waitJobRuns, runJob   admin job API through it (POST /v1/admin/jobs/…, GET …/runs)
//   createChecks                    PASS/FAIL lines, the failures, the exit code
//   prepareServices, flushRedisDb   real Postgres/Redis (fresh database, emptied Redis db) or embedded stand-ins
//   snapshotSources, writeResults, freePort, pinServerSide, onInterrupt, runBench
//   readProcs, cpuSnapshot, processTree, clkTck        CPU use per process from /proc (Linux; zeros elsewhere)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'matchday-edge/client';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Config names a run must not take from the caller's shell (the scripts start on the defaults they choose). */
const CALLER_CONFIG = ['DATABASE_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'REDIS_URL', 'ADMIN_TOKEN'];

// Scripts send far more anonymous requests than a client may (60 a minute by default); the limiter still runs on
// every request. test/api-keys.test.ts covers the limits themselves.
const SCRIPT_ANON_RATE = '1000000';

const DEMO_ADMIN_TOKEN = 'dev-admin-token';
export const ADMIN_HEADERS = { Authorization: `Bearer ${DEMO_ADMIN_TOKEN}`, 'content-type': 'application/json' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fatal = (message) => Object.assign(new Error(message), { fatal: true });

// --- waiting ------------------------------------------------------------------------------------------------------

/**
 * Calls `fn` every `everyMs` until it returns something truthy (returned) or `timeoutMs` passed (throws
 * "<what>: not within …" with the last value or error). An error thrown with `fatal: true` ends the wait at once;
 * `stopIf()` true ends it early (e.g. the server process exited).
 */
export async function waitFor(fn, timeoutMs, what, { everyMs = 200, stopIf } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      if (e?.fatal) throw e;
      last = e;
    }
    if (stopIf?.()) break;
    await sleep(everyMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 300)})`);
}

/**
 * Waits until GET /health answers 200; `api` is the base URL, a fetch-like `(path, init)` or a client.
 * Returns { body: the health JSON, ms: how long it took }.
 */
export async function waitForHealth(api, { timeoutMs = 90_000, what = 'GET /health 200', ...opts } = {}) {
  const client = clientFor(api);
  const t0 = Date.now();
  const body = await waitFor(async () => {
    const r = await client.GET('/health');
    return r.response.status === 200 ? r.data : null;
  }, timeoutMs, what, opts);
  return { body, ms: Date.now() - t0 };
}

// --- the dev server -----------------------------------------------------------------------------------------------

/**
 * `npm run dev -- <args> --port <random>` in its own process group, on the embedded defaults with a fresh PGlite
 * directory whatever the caller's shell has set (`unset`: more names to drop, `env`: names to set).
 * `seed`: let `npm run dev` seed its empty database on first start, as a newcomer's would (else `--no-seed`).
 * Returns { child, port, base, output(), exited(), stop() }; stop() ends the process group and removes the directory.
 */
export function startNpmDev(args, { tmpPrefix, env: extra = {}, unset = [], seed = false }) {
  const port = 8787 + 100 + Math.floor(Math.random() * 500);
  const pgliteDir = mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const env = { ...process.env, PGLITE_DIR: pgliteDir, ANON_REQUESTS_PER_MINUTE: SCRIPT_ANON_RATE, ...extra };
  for (const k of [...CALLER_CONFIG, ...unset]) delete env[k];
  // Scripts ingest what they check, from an empty database, unless they test the first-start seeding (`seed`).
  const child = spawn('npm', ['run', 'dev', '--', ...args, ...(seed ? [] : ['--no-seed']), '--port', String(port)], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    exited: () => child.exitCode !== null,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(pgliteDir, { recursive: true, force: true });
    },
  };
}

/**
 * dev/launch.mjs launch(argv) in this process with wrangler's output piped: launch()'s dev hints are silenced (the
 * stand-ins line stays), the last `keep` characters of wrangler's output are kept (and echoed with `echo`). The
 * handle gains output(), gone() (wrangler exited) and get(path, init), a fetch from the Worker that throws a fatal
 * "wrangler dev exited<exitHint>" once wrangler is gone.
 */
export async function launchWorker(argv, { keep = 20_000, echo = false, exitHint = '' } = {}) {
  const { launch } = await import('./launch.mjs');
  process.env.ANON_REQUESTS_PER_MINUTE ??= SCRIPT_ANON_RATE;
  const log = console.log;
  console.log = (...a) => String(a[0]).startsWith('stand-ins:') && log(...a);
  let running;
  try {
    // Scripts ingest what they measure or check, from an empty database: no first-start seeding.
    running = await launch(argv.includes('--seed') ? argv.filter((a) => a !== '--seed') : [...argv, '--no-seed'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    console.log = log;
  }
  let out = '';
  for (const s of [running.wrangler.stdout, running.wrangler.stderr]) {
    s.on('data', (d) => {
      out = (out + d).slice(-keep);
      if (echo) process.stdout.write(d);
    });
  }
  let gone = false;
  running.wrangler.once('exit', () => (gone = true));
  running.output = () => out;
  running.gone = () => gone;
  running.get = (p, init) => {
    if (gone) throw fatal(`wrangler dev exited${exitHint}`);
    return fetch(running.base + p, init);
  };
  // The typed client on the same terms (demo admin token; fatal once wrangler is gone).
  running.api = createClient({
    baseUrl: running.base,
    adminToken: DEMO_ADMIN_TOKEN,
    fetch: (req) => {
      if (gone) throw fatal(`wrangler dev exited${exitHint}`);
      return fetch(req);
    },
  });
  return running;
}

/** Stops a launch() handle: SIGTERM, SIGKILL after 10 s, gives up waiting after 15 s; then the stand-ins. */
export async function stopWorker(running) {
  const w = running.wrangler;
  if (w.exitCode === null && w.signalCode === null) {
    // wrangler normally exits within a second of SIGTERM; a wedged one would keep this process waiting for minutes.
    const force = setTimeout(() => {
      console.log('wrangler did not exit within 10 s of SIGTERM: sending SIGKILL');
      w.kill('SIGKILL');
    }, 10_000);
    // stop() waits for an 'exit' that has already happened if wrangler died of a signal meanwhile (Ctrl-C reaches
    // the whole process group): do not wait for it forever.
    await Promise.race([running.stop().catch(() => {}), sleep(15_000)]);
    clearTimeout(force);
  }
  await running.standins.stop().catch(() => {}); // no-op when stop() already closed them
}

// --- the typed client and admin jobs -------------------------------------------------------------------------------
// `api`: the Worker's base URL, a fetch-like `(path, init)` (e.g. launchWorker()'s get), or a client already.

/**
 * The typed client (matchday-edge/client) for `api`, with the demo admin token: every script's API calls go
 * through it, so a change of the API that the client's types do not know breaks the scripts (and CI).
 */
export function clientFor(api, { adminToken = DEMO_ADMIN_TOKEN } = {}) {
  if (typeof api === 'object' && typeof api.GET === 'function') return api;
  if (typeof api === 'string') return createClient({ baseUrl: api, adminToken });
  // A `(path, init)` fetcher: hand it the request's path and parts.
  return createClient({
    baseUrl: 'http://worker',
    adminToken,
    fetch: async (req) => {
      const u = new URL(req.url);
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.text();
      return api(u.pathname + u.search, { method: req.method, headers: req.headers, body });
    },
  });
}

/** POST /v1/admin/jobs/<job> with the demo admin token: { status, data, error } (202 when accepted). */
export async function postJob(api, job, body) {
  const r = await clientFor(api).POST('/v1/admin/jobs/{job}', { params: { path: { job } }, body });
  return { status: r.response.status, data: r.data, error: r.error };
}

/** postJob, which must answer 202 (else a fatal error); returns the job run ids. */
export async function triggerJob(api, job, body) {
  const r = await postJob(api, job, body);
  if (r.status !== 202) throw fatal(`${job} ${JSON.stringify(body)} → ${r.status} ${r.error?.detail ?? JSON.stringify(r.error)}`);
  return r.data.jobRunIds;
}

/** Polls GET /v1/admin/jobs/runs until every run of `ids` succeeded or was skipped; a failed run is fatal. */
export async function waitJobRuns(api, ids, what = 'job', timeoutMs = 60_000) {
  const client = clientFor(api);
  await waitFor(async () => {
    const runs = (await client.GET('/v1/admin/jobs/runs', { params: { query: { limit: 200 } } })).data?.data ?? [];
    const mine = runs.filter((x) => ids.includes(x.id));
    const bad = mine.find((x) => x.status === 'failed');
    if (bad) throw fatal(`job run ${bad.id} failed: ${bad.error}`);
    return mine.length === ids.length && mine.every((x) => x.status === 'succeeded' || x.status === 'skipped');
  }, timeoutMs, `${what} finished`);
}

/** triggerJob + waitJobRuns. */
export async function runJob(api, job, body, { timeoutMs = 60_000 } = {}) {
  await waitJobRuns(api, await triggerJob(api, job, body), `${job} ${JSON.stringify(body)}`, timeoutMs);
}

// --- checks -------------------------------------------------------------------------------------------------------

/**
 * check(ok, what) prints "PASS what" or "FAIL what" and returns ok; fail(what) is check(false, what).
 * exit(label, onFail): exit 1 after onFail(failures) when a check failed, else "<label>: all checks passed", exit 0.
 */
export function createChecks() {
  const failures = [];
  const check = (ok, what) => {
    console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
    return ok;
  };
  return {
    failures,
    check,
    fail: (what) => check(false, what),
    exit(label, onFail) {
      if (failures.length) {
        onFail?.(failures);
        process.exit(1);
      }
      console.log(`${label}: all checks passed`);
      process.exit(0);
    },
  };
}

// --- services and sources (benchmarks) ----------------------------------------------------------------------------

/** Empties Redis db `db` on 127.0.0.1:6379; returns its URL. */
export async function flushRedisDb(db) {
  const url = `redis://127.0.0.1:6379/${db}`;
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
  return url;
}

/**
 * Real Postgres and Redis when they answer on 127.0.0.1 (database `database` dropped and created, Redis db `redisDb`
 * emptied), else the embedded stand-ins (PGlite in a new `tmpPrefix` directory, pushed to `cleanupDirs`); sets
 * DATABASE_URL / PGLITE_DIR / REDIS_URL for launch() after dropping the caller's config names (and `unset`).
 * `embedded`: the stand-ins even when the servers run. `notes`: what the embedded fallbacks are printed with.
 * `serverVersion`: also record the Postgres server version. Returns the `services` record of the results.
 */
export async function prepareServices({ database, redisDb, tmpPrefix, cleanupDirs, notes, unset = [], embedded = false, serverVersion = false }) {
  const { probeTcp } = await import('./standins.mjs');
  for (const k of [...CALLER_CONFIG, 'COMPETITIONS', 'SEASONS', ...unset]) delete process.env[k];
  const why = (service) => (embedded ? 'NOTE: --embedded' : `NOTE: no ${service}`);
  const services = { postgres: 'embedded (PGlite)', redis: 'embedded (in-memory)' };
  if (!embedded && (await probeTcp('127.0.0.1', 5432, 1000))) {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${database}`);
      if (serverVersion) services.postgresVersion = (await admin.query('show server_version')).rows[0].server_version;
    } finally {
      await admin.end();
    }
    process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${database}`;
    services.postgres = `real (PostgreSQL on 127.0.0.1:5432, database ${database})`;
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
    cleanupDirs.push(dir);
    process.env.PGLITE_DIR = dir;
    console.log(`${why('Postgres on 127.0.0.1:5432')} — ${notes.postgres}`);
  }
  if (!embedded && (await probeTcp('127.0.0.1', 6379, 1000))) {
    process.env.REDIS_URL = await flushRedisDb(redisDb);
    services.redis = `real (Redis on 127.0.0.1:6379, db ${redisDb})`;
  } else {
    console.log(`${why('Redis on 127.0.0.1:6379')} — ${notes.redis}`);
  }
  services.realServices = !services.postgres.startsWith('embedded') && !services.redis.startsWith('embedded');
  return services;
}

/**
 * wrangler dev reloads the Worker whenever a source file changes; so that edits made while a benchmark runs cannot
 * reload it mid-measurement, it runs a copy of src/ and the configs taken at the start (a new `tmpPrefix` directory,
 * pushed to `cleanupDirs`). Returns { dir, config, commit, uncommitted, at }.
 */
export function snapshotSources(tmpPrefix, cleanupDirs) {
  const dir = mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  cleanupDirs.push(dir);
  cpSync(path.join(REPO, 'src'), path.join(dir, 'src'), { recursive: true });
  // wrangler.toml's [build] step (dev/docs-assets.mjs) fills the copy's build/assets from the linked node_modules.
  for (const f of ['wrangler.toml', 'tsconfig.json', 'package.json', 'dev/docs-assets.mjs']) cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const git = (...a) => {
    const r = spawnSync('git', a, { cwd: REPO, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  return {
    dir,
    config: path.join(dir, 'wrangler.toml'),
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommitted: git('status', '--porcelain', '--', 'src', 'wrangler.toml')?.split('\n').filter(Boolean).length ?? null,
    at: new Date().toISOString(),
  };
}

/**
 * Writes bench/results/<name>.json (the results) and <name>.md (the table), and says so. BENCH_RESULTS_SUFFIX
 * (set by `npm run bench -- --quick`) goes after the name, so a quick run leaves the committed figures alone.
 */
export function writeResults(name, results, table) {
  name += process.env.BENCH_RESULTS_SUFFIX ?? '';
  const dir = path.join(REPO, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(path.join(dir, `${name}.md`), table);
  console.log(`wrote bench/results/${name}.json and bench/results/${name}.md`);
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * --pin: unless `pin` is 'none', this process and everything it starts later (stand-ins, wrangler, workerd) go on
 * core 0 when `pin` is 'split' (the load runs on core 1). Returns the mode in effect ('none' without taskset or with
 * one core: then `note` is printed).
 */
export function pinServerSide(pin, note) {
  const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0 && os.cpus().length >= 2;
  const pinned = pin !== 'none' && hasTaskset ? pin : 'none';
  if (pin !== 'none' && pinned === 'none') console.log(note);
  if (pinned === 'split') {
    const r = spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('taskset -a -p -c 0 failed');
  }
  return pinned;
}

// --- process handling ---------------------------------------------------------------------------------------------

/** SIGINT/SIGTERM: "<sig>: stopping", await cleanup(), print `note` (if any), exit 130. Returns { interrupted }. */
export function onInterrupt(cleanup, note) {
  const state = { interrupted: false };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, async () => {
      state.interrupted = true;
      console.log(`\n${sig}: stopping`);
      await cleanup();
      if (note) console.log(note);
      process.exit(130);
    });
  }
  return state;
}

/**
 * Runs a benchmark's `main()` (resolving to its exit code) with one `cleanup()` on every path: a signal stops it
 * (onInterrupt), an error is printed with the tail of `output()` (wrangler's), and the last line is
 * "<name>: done|FAILED in N s". Exits the process.
 */
export async function runBench(main, { name = 'bench', cleanup, output, interruptedNote }) {
  const signal = onInterrupt(cleanup, interruptedNote);
  const started = Date.now();
  let exitCode = 1;
  try {
    exitCode = await main();
  } catch (e) {
    if (!signal.interrupted) {
      console.error(`bench: ${e?.stack ?? e}`);
      const tail = output?.()?.slice(-3000);
      if (tail) console.error('--- wrangler output (tail) ---\n' + tail);
    }
  } finally {
    await cleanup();
  }
  if (signal.interrupted) await new Promise(() => {}); // the signal handler exits
  console.log(`${name}: ${exitCode === 0 ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(exitCode);
}

// --- CPU use from /proc (Linux only, else empty) ------------------------------------------------------------------

let tck;
/** Clock ticks per second (getconf CLK_TCK, 100 when unknown). */
export function clkTck() {
  tck ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
  return tck;
}

/** Every process: pid → { pid, comm, ppid, ticks (utime + stime), childTicks (cutime + cstime of waited-for children) }. */
export function readProcs() {
  const procs = new Map();
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        procs.set(Number(pid), { pid: Number(pid), comm, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) });
      } catch {}
    }
  } catch {}
  return procs;
}

/** { at (performance.now()), busy: the machine's busy ticks (all but idle and iowait), procs: readProcs() }. */
export function cpuSnapshot() {
  const snap = { at: performance.now(), busy: 0, procs: new Map() };
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    snap.busy = f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3] - f[4];
    snap.procs = readProcs();
  } catch {}
  return snap;
}

/** The pids of `root` and all its descendants in `procs` (a readProcs() map). */
export function processTree(procs, root) {
  const out = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) if (!out.has(pid) && out.has(p.ppid)) out.add(pid), (grew = true);
  }
  return out;
}
