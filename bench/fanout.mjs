// Fan-out benchmark (`npx node bench/fanout.mjs`): N WebSocket clients on one MatchRoom through a real
// `wrangler dev --demo --log-level none` (real Postgres and Redis behind the stand-ins), one change published the
// production way, and the time until each socket has it; against a bare Node `ws` server broadcasting the same
// frame to the same N in the same run. See BENCHMARKS.md.
//
//   npx node bench/fanout.mjs              measure; write bench/results/fanout.{json,md}
//   options: --sizes 1000,4500             room sizes through the dev proxy (default: 1000 and the largest the proxy's
//                                          open-file limit allows, computed from its descriptors per socket at 1000)
//            --direct-sizes 1000,10000     room sizes straight to the runtime workerd (default: 1000 and the largest
//                                          up to 10,000 its descriptors allow); --no-direct skips them
//            --concurrency N (32)          WebSocket handshakes in flight (each one reads the match from Postgres)
//            --pin split|none (split)      split: clients on core 1; everything else (stand-ins, wrangler, workerd,
//                                          the bare server) on core 0
//            --verbose                     wrangler's own log (printed on failure; slows the Worker)
//            --database NAME (matchday_bench_fanout)  --redis-db N (12)
//
// The published change: the replay server's OpenLigaDB matchday gets one more Köln goal (PUT /__replay/override) and
// the live job runs through the admin API (POST /v1/admin/jobs/update_live_matches → queue → consumer → OpenLigaDB
// fetch → Postgres transaction → publish RPC → MatchRoom → 75 ms batch window → every socket). The Worker's RPC is
// not reachable from outside, and no test-only route exists, so "publish" is timed where this process can see it:
// t0 = the moment the live job's request for the changed matchday reached the replay server (its request log,
// Date.now(), 1 ms resolution). publish→socket therefore includes the job's store transaction, the publish RPC and
// the room's batching window; the spread (each socket − the first socket) is the fan-out alone. For the bare
// server, t0 = the start of its broadcast loop. The clients run in a child process; all times are wall-clock
// (performance.timeOrigin + performance.now()), comparable across processes on this machine.
import { fork, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clkTck, cpuSnapshot, createChecks, freePort, launchWorker, pinServerSide, prepareServices, processTree, readProcs, runBench, runJob,
  snapshotSources, stopWorker, triggerJob, waitForHealth, waitJobRuns, writeResults,
} from '../dev/harness.mjs';

const SELF = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(SELF), '..');
const require = createRequire(import.meta.url);
const wallNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------------------
// Child: the clients. Commands over IPC: connect, arm, collect, close.
// ---------------------------------------------------------------------------------------------------------------
async function clientsChild() {
  const { WebSocket } = require('ws'); // createRequire: the Node build of ws (a plain import may get the browser one)
  let sockets = [];
  let ready, recv, frames, firstFrame, armed = false, received = 0, waiters = [];
  const reply = (msg) => process.send(msg);

  function connectAll({ url, n, concurrency, expectSnapshot, timeoutMs }) {
    sockets = new Array(n);
    ready = new Uint8Array(n);
    recv = new Float64Array(n).fill(NaN);
    frames = new Array(n);
    firstFrame = new Array(n);
    armed = false;
    received = 0;
    let next = 0, done = 0, failed = 0, inFlight = 0;
    const errors = {};
    const t0 = Date.now();
    return new Promise((resolve) => {
      const finish = () => resolve({ connected: done - failed, failed, errors, ms: Date.now() - t0 });
      const timer = setTimeout(() => {
        errors.timeout = n - done;
        failed += n - done;
        done = n;
        finish();
      }, timeoutMs);
      const settle = (i, ok, why) => {
        if (ready[i]) return;
        ready[i] = ok ? 1 : 2;
        done++;
        inFlight--;
        if (!ok) {
          failed++;
          errors[why] = (errors[why] ?? 0) + 1;
        }
        if (done === n) {
          clearTimeout(timer);
          finish();
        } else launch();
      };
      const open = (i) => {
        inFlight++;
        const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 30_000 });
        sockets[i] = ws;
        ws.on('open', () => !expectSnapshot && settle(i, true));
        ws.on('message', (data) => {
          const now = wallNow();
          if (!ready[i]) {
            firstFrame[i] = String(data);
            return settle(i, true);
          }
          if (armed && Number.isNaN(recv[i])) {
            recv[i] = now;
            frames[i] = String(data);
            if (++received === n) for (const w of waiters.splice(0)) w();
          }
        });
        ws.on('error', (e) => settle(i, false, String(e.code ?? e.message).slice(0, 80)));
        ws.on('close', () => settle(i, false, 'closed before ready'));
      };
      const launch = () => {
        while (inFlight < concurrency && next < n) open(next++);
      };
      if (n === 0) return finish();
      launch();
    });
  }

  process.on('message', async (cmd) => {
    if (cmd.cmd === 'connect') return reply({ type: 'connected', ...(await connectAll(cmd)), snapshot: firstFrame[0] ?? null });
    if (cmd.cmd === 'arm') {
      armed = true;
      return reply({ type: 'armed' });
    }
    if (cmd.cmd === 'collect') {
      const open = sockets.filter((s) => s?.readyState === 1).length;
      if (received < open) await new Promise((r) => (waiters.push(r), setTimeout(r, cmd.timeoutMs)));
      // Every socket must have got the same frame as the first one (one frame per socket, same cursor).
      const sample = frames.find((f) => f !== undefined) ?? null;
      let identical = 0;
      for (const f of frames) if (f !== undefined && f === sample) identical++;
      return reply({ type: 'collected', recv: Array.from(recv), open, identical, sample, snapshots: firstFrame.filter(Boolean).length });
    }
    if (cmd.cmd === 'close') {
      const live = sockets.filter((s) => s && s.readyState <= 1);
      await Promise.race([
        Promise.all(live.map((s) => new Promise((r) => (s.once('close', r), s.close(1000, 'bench done'))))),
        new Promise((r) => setTimeout(r, cmd.timeoutMs ?? 10_000)),
      ]);
      for (const s of sockets) s?.terminate();
      sockets = [];
      return reply({ type: 'closed', closed: live.length });
    }
    if (cmd.cmd === 'exit') process.exit(0);
  });
  reply({ type: 'up' });
}

// ---------------------------------------------------------------------------------------------------------------
// Child: the bare Node `ws` server. Broadcasts a given frame to every client; reports when its loop started and ended.
// ---------------------------------------------------------------------------------------------------------------
async function bareChild() {
  const { WebSocketServer } = require('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, backlog: 4096, clientTracking: true });
  await new Promise((r) => wss.once('listening', r));
  process.on('message', (cmd) => {
    if (cmd.cmd === 'broadcast') {
      const t0 = wallNow();
      for (const c of wss.clients) c.send(cmd.payload);
      const t1 = wallNow();
      return process.send({ type: 'broadcasted', t0, t1, clients: wss.clients.size });
    }
    if (cmd.cmd === 'count') return process.send({ type: 'count', clients: wss.clients.size });
    if (cmd.cmd === 'exit') process.exit(0);
  });
  process.send({ type: 'up', port: wss.address().port });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent
// ---------------------------------------------------------------------------------------------------------------
const MATCHDAY_PATH = '/openligadb/getmatchdata/bl1/2023/12';
const LASTCHANGE_PATH = '/openligadb/getlastchangedate/bl1/2023/12';
const FD_LIMIT_CAP = 20_000; // TOOLCHAIN.md: a process here may hold at most 20,000 open files
const FD_HEADROOM = 0.95; // stay this far below a process's limit (wrangler dev wedges when its proxy hits it)
const MAX_SOCKETS = 10_000;

let args;
const { failures, fail } = createChecks();
let running; // launch() handle
let clients; // clients child
let bare; // bare server child
let cleanupDirs = [];
let stopped;

function parseArgs(argv) {
  const a = { sizes: null, directSizes: null, direct: true, concurrency: 32, pin: 'split', verbose: false, database: 'matchday_bench_fanout', redisDb: 12 };
  const list = (s) => s.split(',').map((x) => Number(x.trim())).filter((x) => Number.isInteger(x) && x > 0);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (flag === '--sizes') a.sizes = list(val());
    else if (flag === '--direct-sizes') a.directSizes = list(val());
    else if (flag === '--no-direct') a.direct = false;
    else if (flag === '--concurrency') a.concurrency = Number(val());
    else if (flag === '--pin') a.pin = val();
    else if (flag === '--verbose') a.verbose = true;
    else if (flag === '--database') a.database = val();
    else if (flag === '--redis-db') a.redisDb = Number(val());
    else throw new Error(`unknown option ${argv[i]} (see the header of bench/fanout.mjs)`);
  }
  if (!['split', 'none'].includes(a.pin)) throw new Error('--pin must be split or none');
  return a;
}

/** Soft and hard open-file limits; re-runs this script under a raised soft limit when it is below the hard one. */
function raiseFdLimit() {
  const r = spawnSync('bash', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' });
  const [soft, hard] = r.stdout.trim().split('\n').map((x) => (x === 'unlimited' ? Infinity : Number(x)));
  if (soft >= hard || process.env.FANOUT_FD_RAISED) return { soft, hard };
  console.log(`raising the open-file limit from ${soft} to ${hard} (ulimit -n)`);
  const again = spawnSync('bash', ['-c', `ulimit -n ${hard} && exec "$0" "$@"`, process.execPath, SELF, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, FANOUT_FD_RAISED: '1' },
  });
  process.exit(again.status ?? 1);
}

async function parentMain() {
  args = parseArgs(process.argv.slice(2));
  if (Number(process.versions.node.split('.')[0]) < 22) throw new Error(`Node ${process.version}: run with \`npx node bench/fanout.mjs\` (wrangler needs Node 22)`);
  process.env.PATH = `${path.join(REPO, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  const fd = raiseFdLimit();
  const fdLimit = Math.min(fd.soft, FD_LIMIT_CAP);
  console.log(`open-file limit: ${fd.soft} (hard ${fd.hard})`);

  const cpuStart = cpuSnapshot();
  const services = await prepareServices({
    database: args.database,
    redisDb: args.redisDb,
    tmpPrefix: 'matchday-fanout-',
    cleanupDirs,
    notes: {
      postgres: 'using embedded PGlite (slower handshakes; fan-out itself is unaffected).',
      redis: 'using the in-memory Upstash bridge.',
    },
  });
  // --pin split: this process and everything it starts (wrangler, workerd) on core 0; the clients on core 1.
  args.pinned = pinServerSide(args.pin, 'NOTE: taskset unavailable (or one core): nothing pinned.');
  const snapshot = snapshotSources('matchday-fanout-src-', cleanupDirs);
  const persist = path.join(snapshot.dir, 'state'); // fresh Durable Object storage
  const port = await freePort();
  running = await launchWorker(
    ['--demo', '--port', String(port), '--log-level', args.verbose ? 'info' : 'none', '--config', snapshot.config, '--persist-to', persist],
    { exitHint: args.verbose ? '' : ' (rerun with --verbose to see why)' },
  );
  const { base, api } = running; // api: the typed client (matchday-edge/client)
  const replayUrl = running.standins.replayUrl;
  const { ms } = await waitForHealth(api, { timeoutMs: 60_000 });
  console.log(`worker up on ${base} after ${ms} ms`);

  // The match: the recorded matchday 12, then Köln – Bayern kicks off (50 minutes ago) through the live job.
  await runJob(api, 'update_matches', { competition: 'BL1', season: 2023, matchday: 12 });
  const { data: list } = await api.GET('/v1/matches', { params: { query: { competition: 'BL1', season: 2023, matchday: 12 } } });
  const match = list.data?.find((m) => m.home.name === '1. FC Köln' && m.away.name === 'FC Bayern München');
  if (!match) throw new Error('Köln – Bayern not found after ingesting matchday 12');
  // The same rewritten OpenLigaDB matchday the browser test publishes (Köln – Bayern kicked off 50 minutes ago).
  const { matchdayWith } = await import('../test/browser/live-page.spec.mjs');
  const kickoffBase = Date.now();
  let goals = 0;
  const publish = async () => {
    // One more Köln goal each time: the room diffs it into a score change and an added event (one batch frame).
    const extraGoals = Array.from({ length: goals }, (_, i) => ({
      goalID: 990001 + i, scoreTeam1: i + 1, scoreTeam2: 1, matchMinute: 51 + i, goalGetterID: 990101, goalGetterName: 'D. Selke',
      isPenalty: false, isOwnGoal: false, isOvertime: false, comment: null,
    }));
    const tOverride = Date.now();
    await replayPut(replayUrl, { path: MATCHDAY_PATH, body: matchdayWith({ kickoffBase, score: [goals, 1], extraGoals }) });
    await replayPut(replayUrl, { path: LASTCHANGE_PATH, body: new Date(kickoffBase + (goals + 1) * 1000).toISOString().replace('Z', '') });
    const tTrigger = wallNow();
    const jobRunIds = await triggerJob(api, 'update_live_matches', { competition: 'BL1', season: 2023 });
    return { tOverride, tTrigger, jobRunIds };
  };
  await waitJobRuns(api, (await publish()).jobRunIds); // kick-off: the room's first state
  goals++;
  console.log(`match ${match.id} (Köln – Bayern) is live`);

  // Who is who in wrangler dev: the dev proxy (listens on our port) and the runtime (the Worker's own socket).
  const procs = await findWorkerd(running.wrangler.pid, port);
  console.log(`wrangler dev: proxy workerd pid ${procs.proxy?.pid} (:${port}), runtime workerd pid ${procs.runtime?.pid} (:${procs.runtime?.port ?? '?'})`);

  // Descriptors with no client connected: after each round, wait until the workerds are back near these.
  const idleFds = fdCounts(procs);
  const released = async () => {
    const until = Date.now() + 30_000;
    let now = fdCounts(procs);
    const near = (which) => now[which] == null || idleFds[which] == null || now[which] <= idleFds[which] + 100;
    while (!(near('proxy') && near('runtime')) && Date.now() < until) {
      await sleep(250);
      now = fdCounts(procs);
    }
    if (!(near('proxy') && near('runtime'))) console.log(`NOTE: descriptors not back to idle 30 s after closing: ${JSON.stringify(now)} (idle ${JSON.stringify(idleFds)})`);
  };

  clients = await startChild(['--clients-child'], args.pinned === 'split' ? 1 : null);
  bare = await startChild(['--bare-child'], args.pinned === 'split' ? 0 : null);
  const bareUrl = `ws://127.0.0.1:${bare.up.port}/`;
  const roomPath = `/v1/matches/${match.id}/live`;

  const rounds = [];
  let payload = null; // the room's change frame, replayed by the bare server
  const roomRound = async (target, url, n) => {
    const fdBefore = fdCounts(procs);
    const c = await clients.ask({ cmd: 'connect', url, n, concurrency: args.concurrency, expectSnapshot: true, timeoutMs: 120_000 }, 'connected');
    const fdOpen = fdCounts(procs);
    const snapshotOk = c.snapshot && JSON.parse(c.snapshot).type === 'snapshot' && JSON.parse(c.snapshot).match?.id === match.id;
    console.log(`${target} n=${n}: ${c.connected} connected in ${c.ms} ms${c.failed ? `, ${c.failed} failed ${JSON.stringify(c.errors)}` : ''}; ` +
      `descriptors proxy ${fdOpen.proxy} (${signed(fdOpen.proxy - fdBefore.proxy)}), runtime ${fdOpen.runtime} (${signed(fdOpen.runtime - fdBefore.runtime)})`);
    const round = { target, n, connected: c.connected, connectFailed: c.failed, connectErrors: c.errors, connectMs: c.ms, fdBefore, fdOpen };
    rounds.push(round);
    if (!snapshotOk) fail(`${target} n=${n}: first frame is not the match's snapshot: ${String(c.snapshot).slice(0, 120)}`);
    if (running.gone()) throw new Error('wrangler dev exited while clients connected');
    if (c.connected < n) {
      fail(`${target} n=${n}: only ${c.connected} of ${n} sockets connected`);
      await clients.ask({ cmd: 'close' }, 'closed');
      await released();
      return round;
    }
    await sleep(1000);
    await clients.ask({ cmd: 'arm' }, 'armed');
    const pub = await publish();
    goals++;
    const got = await clients.ask({ cmd: 'collect', timeoutMs: 20_000 }, 'collected');
    const requests = (await (await fetch(`${replayUrl}/__replay/requests`)).json()).requests;
    const fetchAt = requests.find((q) => q.path === MATCHDAY_PATH && q.at >= pub.tOverride)?.at;
    if (!fetchAt) fail(`${target} n=${n}: the live job never fetched the changed matchday`);
    Object.assign(round, summarize(got, fetchAt ?? pub.tTrigger, n), {
      t0: 'replay server answered the live job\'s matchday request', triggerToAllMs: round3(Math.max(...got.recv.filter(Number.isFinite)) - pub.tTrigger),
      frameBytes: got.sample ? Buffer.byteLength(got.sample) : null,
    });
    payload ??= got.sample;
    checkFrame(round, got.sample);
    report(round);
    await clients.ask({ cmd: 'close' }, 'closed');
    await released();
    await sleep(500);
    return round;
  };
  const bareRound = async (n) => {
    const c = await clients.ask({ cmd: 'connect', url: bareUrl, n, concurrency: 200, expectSnapshot: false, timeoutMs: 60_000 }, 'connected');
    const round = { target: 'bare ws', n, connected: c.connected, connectFailed: c.failed, connectErrors: c.errors, connectMs: c.ms };
    rounds.push(round);
    if (c.connected < n) {
      fail(`bare ws n=${n}: only ${c.connected} of ${n} sockets connected ${JSON.stringify(c.errors)}`);
      await clients.ask({ cmd: 'close' }, 'closed');
      return round;
    }
    await sleep(1000);
    await clients.ask({ cmd: 'arm' }, 'armed');
    const b = await bare.ask({ cmd: 'broadcast', payload }, 'broadcasted');
    const got = await clients.ask({ cmd: 'collect', timeoutMs: 20_000 }, 'collected');
    Object.assign(round, summarize(got, b.t0, n), { t0: 'start of the server\'s broadcast loop', sendLoopMs: round3(b.t1 - b.t0), frameBytes: Buffer.byteLength(payload) });
    if (got.sample !== payload) fail(`bare ws n=${n}: clients got a different frame`);
    report(round);
    await clients.ask({ cmd: 'close' }, 'closed');
    await sleep(500);
    return round;
  };

  // 1,000 through the dev proxy first; its descriptors per socket tell how far the proxy can go.
  const proxyUrl = `ws://127.0.0.1:${port}${roomPath}`;
  const first = await roomRound('room via wrangler dev', proxyUrl, 1000);
  const proxyPer = perSocket(first, 'proxy');
  const proxyMax = maxSockets(first.fdBefore?.proxy, proxyPer, fdLimit);
  const sizes = args.sizes ?? [1000, proxyMax].filter((n, i, a) => n > 0 && a.indexOf(n) === i);
  const limits = {
    fdLimit,
    proxy: { descriptorsPerSocket: proxyPer, baseline: first.fdBefore?.proxy ?? null, largestSafe: proxyMax },
  };
  console.log(`dev proxy: ${proxyPer ?? '?'} descriptors per socket → at most ~${proxyMax} sockets under ${Math.round(fdLimit * FD_HEADROOM)} descriptors`);
  for (const n of sizes.filter((x) => x !== 1000)) await roomRound('room via wrangler dev', proxyUrl, n);

  let directUrl = null;
  if (args.direct && procs.runtime?.port) {
    directUrl = `ws://${procs.runtime.host}:${procs.runtime.port}${roomPath}`;
    const d1 = await roomRound('room, runtime direct', directUrl, 1000);
    const rPer = perSocket(d1, 'runtime');
    const rMax = maxSockets(d1.fdBefore?.runtime, rPer, fdLimit);
    limits.runtime = { descriptorsPerSocket: rPer, baseline: d1.fdBefore?.runtime ?? null, largestSafe: rMax };
    console.log(`runtime: ${rPer ?? '?'} descriptors per socket → at most ~${rMax} sockets`);
    const dsizes = args.directSizes ?? [1000, rMax].filter((n, i, a) => n > 0 && a.indexOf(n) === i);
    for (const n of dsizes.filter((x) => x !== 1000)) await roomRound('room, runtime direct', directUrl, n);
  } else if (args.direct) {
    console.log('NOTE: the runtime workerd\'s own port was not found: no direct rounds');
  }

  if (!payload) throw new Error('no room round delivered a frame: nothing for the bare server to broadcast');
  // The same sizes as the room rounds, and 10,000: the clients and a bare server hold that many (1 descriptor each).
  const bareSizes = [...new Set([...rounds.filter((r) => r.target !== 'bare ws' && r.received).map((r) => r.n), MAX_SOCKETS])].sort((a, b) => a - b);
  for (const n of bareSizes) await bareRound(n);

  const otherCpuPct = otherCpu(cpuStart, cpuSnapshot());
  if (otherCpuPct > 20) console.log(`WARNING other processes used ${otherCpuPct} % of a core during the run: treat these numbers with care`);
  const results = {
    date: new Date().toISOString(),
    otherCpuPctOfOneCore: otherCpuPct,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    platform: `${os.platform()} ${os.release()}`,
    services,
    source: { commit: snapshot.commit, uncommittedFiles: snapshot.uncommitted, snapshotAt: snapshot.at },
    settings: {
      target: 'wrangler dev --demo --log-level none (dev proxy → runtime workerd → MatchRoom)',
      direct: directUrl ? 'the same runtime workerd, dialled on its own port (no dev proxy: as in production, where no proxy sits in front)' : null,
      publish: 'replay override (+1 Köln goal) → POST /v1/admin/jobs/update_live_matches → queue → live job → Postgres → publish RPC → room (75 ms batch window) → sockets',
      t0: { room: 'the replay server received the live job\'s request for the changed matchday (Date.now(), 1 ms)', bare: 'the bare server starts its broadcast loop' },
      clients: `ws ${wsVersion()} in one child process${args.pinned === 'split' ? ' on core 1; everything else on core 0' : ''}, permessage-deflate off`,
      connectConcurrency: args.concurrency,
      pin: args.pinned,
    },
    limits,
    rounds,
  };
  const table = markdown(results);
  console.log('\n' + table);
  writeResults('fanout', results, table);
  return failures.length ? 1 : 0;
}

// --- measurement helpers ---------------------------------------------------------------------------------------

function summarize(got, t0, n) {
  const times = got.recv.filter(Number.isFinite).sort((a, b) => a - b);
  const lat = times.map((t) => t - t0);
  const first = times[0];
  const spread = times.map((t) => t - first);
  return {
    received: times.length,
    missing: n - times.length,
    identicalFrames: got.identical,
    latencyMs: { p50: round3(pct(lat, 50)), p99: round3(pct(lat, 99)), max: round3(lat.at(-1)), first: round3(lat[0]) },
    allReceivedMs: round3(lat.at(-1)),
    spreadMs: { p50: round3(pct(spread, 50)), p99: round3(pct(spread, 99)), max: round3(spread.at(-1)) },
  };
}

function checkFrame(round, frame) {
  const where = `${round.target} n=${round.n}`;
  if (round.missing) fail(`${where}: ${round.missing} sockets did not get the change within 20 s`);
  if (round.identicalFrames !== round.received) fail(`${where}: ${round.received - round.identicalFrames} sockets got a different frame`);
  try {
    const msg = JSON.parse(frame);
    const msgs = msg.type === 'batch' ? msg.messages : [msg];
    round.frame = msgs.map((m) => `${m.type}${m.action ? `:${m.action}` : ''}#${m.seq}`).join(' ');
    if (!msgs.some((m) => m.type === 'score')) fail(`${where}: the frame has no score change: ${frame.slice(0, 200)}`);
  } catch {
    fail(`${where}: the frame is not JSON: ${String(frame).slice(0, 200)}`);
  }
}

function report(r) {
  const l = r.latencyMs;
  const s = r.spreadMs;
  console.log(`  ${r.target} n=${r.n}: received ${r.received}/${r.n}; publish→socket p50 ${fmt(l.p50)} p99 ${fmt(l.p99)} max ${fmt(l.max)} ms ` +
    `(first ${fmt(l.first)}); spread p50 ${fmt(s.p50)} p99 ${fmt(s.p99)} max ${fmt(s.max)} ms${r.triggerToAllMs != null ? `; trigger→all ${fmt(r.triggerToAllMs)} ms` : ''}` +
    `${r.frame ? `; frame ${r.frame}` : ''}`);
}

function wsVersion() {
  try {
    return JSON.parse(readFileSync(path.join(path.dirname(require.resolve('ws')), 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);
const round3 = (x) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10) / 10);
const fmt = (x) => (x == null ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const signed = (x) => (x == null || Number.isNaN(x) ? '?' : x >= 0 ? `+${x}` : String(x));

/** Descriptors a process gained per socket at the first round (null when unknown). */
function perSocket(round, which) {
  const a = round.fdBefore?.[which];
  const b = round.fdOpen?.[which];
  if (a == null || b == null || !round.connected) return null;
  return Math.round(((b - a) / round.connected) * 100) / 100;
}

/** The largest round size (a multiple of 500, ≤ 10,000) that keeps the process below FD_HEADROOM of its limit. */
function maxSockets(baseline, per, fdLimit) {
  if (baseline == null || !per || per <= 0) {
    fail(`descriptors per socket could not be measured (baseline ${baseline}, per socket ${per}): pass --sizes / --direct-sizes`);
    return 0;
  }
  const n = Math.floor((fdLimit * FD_HEADROOM - baseline) / per / 500) * 500;
  return Math.max(0, Math.min(MAX_SOCKETS, n));
}

function markdown(r) {
  const lines = [
    `# Fan-out benchmark — ${r.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${r.cpu}, ${r.cores} cores, Node ${r.node}; Postgres ${r.services.postgres.split(' (')[0]}, Redis ${r.services.redis.split(' (')[0]}; ` +
      `${r.settings.clients}. Source: commit ${r.source.commit ?? '?'}${r.source.uncommittedFiles ? ` + ${r.source.uncommittedFiles} uncommitted file(s) in src/` : ''}.`,
    '',
    `Publish: ${r.settings.publish}. t0 — room: ${r.settings.t0.room}; bare: ${r.settings.t0.bare}. ` +
      'first = the first socket\'s receipt − t0 (for the room: the job\'s store and publish, and the batch window); ' +
      'publish→socket = receipt − t0 (max = all received); spread = receipt − first receipt (the fan-out alone).',
    '',
    '| target | sockets | received | first ms | publish→socket p50 ms | p99 ms | all received ms | spread p50 ms | spread p99 ms | spread max ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const x of r.rounds) {
    if (x.latencyMs) {
      lines.push(`| ${x.target} | ${x.n.toLocaleString('en-US')} | ${x.received.toLocaleString('en-US')} | ${fmt(x.latencyMs.first)} | ${fmt(x.latencyMs.p50)} | ${fmt(x.latencyMs.p99)} | ` +
        `${fmt(x.allReceivedMs)} | ${fmt(x.spreadMs.p50)} | ${fmt(x.spreadMs.p99)} | ${fmt(x.spreadMs.max)} |`);
    } else {
      lines.push(`| ${x.target} | ${x.n.toLocaleString('en-US')} | — (${x.connected} connected) | | | | | | | |`);
    }
  }
  lines.push('', 'Limits (open files per process: ' + r.limits.fdLimit + '; a round stays below ' + Math.round(FD_HEADROOM * 100) + ' % of it):', '');
  const lim = (name, x) =>
    x &&
    lines.push(`- ${name}: ${x.descriptorsPerSocket ?? '?'} descriptors per socket over a baseline of ${x.baseline ?? '?'} → largest round ` +
      `${x.largestSafe.toLocaleString('en-US')}${x.descriptorsPerSocket ? ` (10,000 sockets would need ~${Math.round(x.baseline + 10_000 * x.descriptorsPerSocket).toLocaleString('en-US')} descriptors)` : ''}`);
  lim('dev proxy workerd (wrangler dev)', r.limits.proxy);
  lim('runtime workerd (direct)', r.limits.runtime);
  const trig = r.rounds.filter((x) => x.triggerToAllMs != null).map((x) => `${x.target} ${x.n}: ${fmt(x.triggerToAllMs)} ms`);
  if (trig.length) lines.push('', `Admin trigger → all received (adds the queue's 1 s batch window and the job's fetches): ${trig.join('; ')}.`);
  const conn = r.rounds.map((x) => `${x.target} ${x.n}: ${(x.connectMs / 1000).toFixed(1)} s`);
  lines.push('', `Connecting (handshake + snapshot, ${r.settings.connectConcurrency} in flight for the room): ${conn.join('; ')}.`);
  lines.push('', `CPU used by other processes (not this benchmark's tree, Postgres or Redis) during the run: ${r.otherCpuPctOfOneCore} % of a core` +
    `${r.otherCpuPctOfOneCore > 20 ? ' — a busy machine: rerun when it is quiet' : ''}.`);
  if (failures.length) lines.push('', 'Failures:', '', ...failures.map((f) => `- ${f}`));
  return lines.join('\n') + '\n';
}

// --- processes and descriptors ----------------------------------------------------------------------------------

/** % of one core used between a and b (cpuSnapshot()s) by processes outside this benchmark's tree, Postgres, Redis and the kernel. */
function otherCpu(a, b) {
  const seconds = (b.at - a.at) / 1000;
  if (!b.busy || seconds <= 0) return 0;
  const ours = processTree(b.procs, process.pid);
  let mine = 0;
  // Children that already exited count in this process's cutime/cstime (childTicks), included.
  for (const [pid, p] of b.procs) {
    if (ours.has(pid) || /^(postgres|redis-server)/.test(p.comm) || p.ppid === 2 || pid === 2) {
      const was = a.procs.get(pid);
      mine += p.ticks + p.childTicks - (was ? was.ticks + was.childTicks : 0);
    }
  }
  return Math.max(0, Math.round(((b.busy - a.busy - mine) / clkTck() / seconds) * 100));
}

function descendants(root) {
  const procs = readProcs();
  return [...processTree(procs, root)].map((pid) => procs.get(pid)).filter(Boolean);
}

function fdCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

function fdCounts(procs) {
  return { proxy: procs.proxy ? fdCount(procs.proxy.pid) : null, runtime: procs.runtime ? fdCount(procs.runtime.pid) : null };
}

/** Listening TCP sockets of a process: [{ host, port }] (from /proc/<pid>/fd and /proc/net/tcp{,6}). */
function listening(pid) {
  const inodes = new Set();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {}
    }
  } catch {}
  const out = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9])) continue;
      const [hexAddr, hexPort] = f[1].split(':');
      const host = hexAddr.length === 8 ? hexAddr.match(/../g).reverse().map((h) => parseInt(h, 16)).join('.') : hexAddr === '00000000000000000000000001000000' ? '[::1]' : null;
      if (host) out.push({ host, port: parseInt(hexPort, 16) });
    }
  }
  return out;
}

/** The dev proxy's workerd (listening on our port) and the runtime's (the Worker answers `/` on one of its ports). */
async function findWorkerd(wranglerPid, port) {
  const workerds = descendants(wranglerPid).filter((p) => p.comm === 'workerd');
  let proxy = null;
  let runtime = null;
  for (const p of workerds) {
    const ports = listening(p.pid);
    if (ports.some((x) => x.port === port)) {
      proxy = { pid: p.pid };
      continue;
    }
    for (const x of ports) {
      try {
        const r = await fetch(`http://${x.host}:${x.port}/`, { signal: AbortSignal.timeout(2000) });
        const body = await r.json();
        if (body?.name === 'Matchday Edge') {
          runtime = { pid: p.pid, host: x.host, port: x.port };
          break;
        }
      } catch {}
    }
    if (!runtime) runtime = { pid: p.pid, host: null, port: null };
  }
  return { proxy, runtime };
}

// --- children ---------------------------------------------------------------------------------------------------

function startChild(argv, core) {
  const child = fork(SELF, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (core != null) spawnSync('taskset', ['-a', '-p', '-c', String(core), String(child.pid)], { stdio: 'ignore' });
  const handle = {
    child,
    ask(cmd, type) {
      return new Promise((resolve, reject) => {
        const onMsg = (m) => {
          if (m.type !== type) return;
          child.off('message', onMsg);
          child.off('exit', onExit);
          resolve(m);
        };
        const onExit = (code) => reject(new Error(`${argv[0]} exited (${code}) while waiting for ${type}`));
        child.on('message', onMsg);
        child.once('exit', onExit);
        child.send(cmd);
      });
    },
  };
  return new Promise((resolve, reject) => {
    child.once('message', (m) => (m.type === 'up' ? resolve(Object.assign(handle, { up: m })) : reject(new Error(`unexpected ${JSON.stringify(m)}`))));
    child.once('exit', (code) => reject(new Error(`${argv[0]} exited (${code}) on start`)));
  });
}

// --- replay, cleanup -----------------------------------------------------------------------------------------------

async function replayPut(replayUrl, body) {
  const r = await fetch(`${replayUrl}/__replay/override`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`replay override ${body.path} → ${r.status} ${await r.text()}`);
}

function cleanup() {
  stopped ??= (async () => {
    for (const c of [clients, bare]) if (c?.child.exitCode === null) c.child.kill('SIGTERM');
    if (running) await stopWorker(running);
    for (const d of cleanupDirs) rmSync(d, { recursive: true, force: true });
  })();
  return stopped;
}

// ---------------------------------------------------------------------------------------------------------------
// Run (last, so every declaration above is initialized).
// ---------------------------------------------------------------------------------------------------------------
if (process.argv[2] === '--clients-child') {
  await clientsChild();
} else if (process.argv[2] === '--bare-child') {
  await bareChild();
} else {
  await runBench(parentMain, { name: 'fanout', cleanup, output: () => running?.output?.() });
}
