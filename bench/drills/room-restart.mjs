// Fault drill: the match's Durable Object restarts during a live match, and its clients reconnect with `?since`.
// Runs a real `wrangler dev --demo` with Durable Object storage persisted to a directory (as production keeps it),
// real Postgres and Redis; goals are published the production way (replay override → live job → Postgres →
// publish RPC → MatchRoom), as in bench/fanout.mjs.
//
//   npx node bench/drills/room-restart.mjs [--clients N (25)] [--database NAME] [--redis-db N]
//
//   1. Köln – Bayern kicks off; N clients connect (snapshot), goals 1 and 2 reach every socket live.
//   2. The Worker is stopped — runtime, Durable Objects, stand-ins — and started again on the same storage: every
//      socket drops (as when a room's host restarts; in production the object is restarted the same way).
//   3. Goals 3 and 4 are published while no client is connected.
//   4. Every client reconnects with `?since=<last seq it saw>`: it must get exactly the changes it missed, from the
//      room's persisted change log (no snapshot, nothing twice), then goal 5 live.
// Pass: per client, the seqs received after its first snapshot are exactly first+1 … final (0 events missed, 0
// twice); the room's seq continued across the restart; a fresh client's snapshot, the REST read and Postgres all
// show 5:1.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { freePort, launchWorker, prepareServices, runJob, stopWorker, triggerJob, waitFor, waitForHealth, waitJobRuns } from '../../dev/harness.mjs';
import { drillReport } from './lib.mjs';

const { WebSocket } = createRequire(import.meta.url)('ws');
const MATCHDAY_PATH = '/openligadb/getmatchdata/bl1/2023/12';
const LASTCHANGE_PATH = '/openligadb/getlastchangedate/bl1/2023/12';
const GOALS = 5;

const args = (() => {
  const a = { clients: 25, database: 'matchday_drill_room', redisDb: 14 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (flag === '--clients') a.clients = Number(val());
    else if (flag === '--database') a.database = val();
    else if (flag === '--redis-db') a.redisDb = Number(val());
    else throw new Error(`unknown option ${argv[i]} (see the header of bench/drills/room-restart.mjs)`);
  }
  return a;
})();
const d = drillReport('room-restart');
const { check } = d;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let running;
let clients = [];
const cleanupDirs = [];

/** One client: every change's seq it received, the snapshots it got, and its open socket. */
function client(i) {
  return { i, seqs: [], snapshots: [], lastSeq: 0, ws: null, errors: [] };
}

function connect(c, url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    c.ws = ws;
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      for (const m of msg.type === 'batch' ? msg.messages : [msg]) {
        if (m.type === 'snapshot') c.snapshots.push({ seq: m.seq, score: m.match?.score });
        else if (typeof m.seq === 'number') c.seqs.push(m.seq);
        else if (m.type === 'error') c.errors.push(m);
        if (typeof m.seq === 'number') c.lastSeq = Math.max(c.lastSeq, m.seq);
      }
    });
    ws.once('open', resolve);
    ws.once('error', reject);
  });
}

async function main() {
  await prepareServices({ database: args.database, redisDb: args.redisDb, tmpPrefix: 'matchday-drill-', cleanupDirs, notes: { postgres: 'embedded', redis: 'embedded' } });
  const persist = mkdtempSync(path.join(os.tmpdir(), 'matchday-drill-room-state-'));
  cleanupDirs.push(persist);
  const port = await freePort();
  const start = async () => {
    running = await launchWorker(['--demo', '--port', String(port), '--log-level', 'none', '--persist-to', persist]);
    await waitForHealth(running.get, { timeoutMs: 60_000 });
  };
  await start();
  await runJob(running.get, 'update_matches', { competition: 'BL1', season: 2023, matchday: 12 });
  const list = await (await running.get('/v1/matches?competition=BL1&season=2023&matchday=12')).json();
  const match = list.data.find((m) => m.home.name === '1. FC Köln' && m.away.name === 'FC Bayern München');
  const { matchdayWith } = await import('../../test/browser/live-page.spec.mjs');
  const kickoffBase = Date.now();
  let goals = 0;
  // The live job publishes the matchday as the replay serves it: Köln's `goals` goals against Bayern's one.
  const publish = async () => {
    const extraGoals = Array.from({ length: goals }, (_, k) => ({
      goalID: 990001 + k, scoreTeam1: k + 1, scoreTeam2: 1, matchMinute: 51 + k, goalGetterID: 990101, goalGetterName: 'D. Selke',
      isPenalty: false, isOwnGoal: false, isOvertime: false, comment: null,
    }));
    const put = (body) => fetch(`${running.standins.replayUrl}/__replay/override`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await put({ path: MATCHDAY_PATH, body: matchdayWith({ kickoffBase, score: [goals, 1], extraGoals }) });
    await put({ path: LASTCHANGE_PATH, body: new Date(kickoffBase + (goals + 1) * 1000).toISOString().replace('Z', '') });
    await waitJobRuns(running.get, await triggerJob(running.get, 'update_live_matches', { competition: 'BL1', season: 2023 }));
  };
  const roomUrl = (since) => `ws://127.0.0.1:${port}/v1/matches/${match.id}/live${since ? `?since=${since}` : ''}`;
  const allAt = (seq, what) => waitFor(() => clients.every((c) => c.lastSeq >= seq), 15_000, what);
  const freshSnapshot = async () => {
    const c = client(-1);
    await connect(c, roomUrl());
    await waitFor(() => c.snapshots.length, 5000, 'snapshot');
    c.ws.close();
    return c.snapshots[0];
  };

  // 1. Kick-off, clients, goals 1 and 2 live.
  await publish();
  clients = Array.from({ length: args.clients }, (_, i) => client(i));
  await Promise.all(clients.map((c) => connect(c, roomUrl())));
  await waitFor(() => clients.every((c) => c.snapshots.length === 1), 10_000, 'every client got its snapshot');
  const firstSeq = clients[0].snapshots[0].seq;
  check(clients.every((c) => c.snapshots[0].seq === firstSeq), `${args.clients} clients connected, snapshot at seq ${firstSeq}`);
  for (let g = 0; g < 2; g++) {
    goals++;
    await publish();
    const seq = (await freshSnapshot()).seq;
    await allAt(seq, `goal ${goals} on every socket`);
  }
  const beforeRestart = (await freshSnapshot()).seq;
  check(clients.every((c) => c.lastSeq === beforeRestart), `goals 1–2 reached every socket live (seq ${beforeRestart})`);

  // 2. Restart everything on the same storage; the sockets drop.
  const closed = clients.map((c) => new Promise((r) => (c.ws.readyState >= 2 ? r() : c.ws.once('close', r))));
  const tStop = Date.now();
  await stopWorker(running);
  await Promise.race([Promise.all(closed), sleep(10_000)]);
  check(clients.every((c) => c.ws.readyState === 3), 'every socket dropped when the Worker stopped');
  await start();
  console.log(`room-restart: Worker down for ${((Date.now() - tStop) / 1000).toFixed(1)} s, up again on the same storage`);

  // 3. Goals 3 and 4 while nobody is connected.
  const missedFrom = Math.min(...clients.map((c) => c.lastSeq));
  for (let g = 0; g < 2; g++) {
    goals++;
    await publish();
  }
  const afterOffline = (await freshSnapshot()).seq;
  check(afterOffline > beforeRestart, `the room's seq continued across the restart (${beforeRestart} → ${afterOffline}, not reset)`);

  // 4. Reconnect with since, then goal 5 live.
  const snapshotsBefore = clients.map((c) => c.snapshots.length);
  await Promise.all(clients.map((c) => connect(c, roomUrl(c.lastSeq))));
  await allAt(afterOffline, 'the missed changes replayed to every reconnected socket');
  goals++;
  await publish();
  const final = await freshSnapshot();
  await allAt(final.seq, `goal ${goals} on every socket`);
  await sleep(300); // anything sent twice would arrive now
  check(clients.every((c, i) => c.snapshots.length === snapshotsBefore[i]), 'reconnecting with since replayed the log (no snapshot sent instead)');

  let missed = 0;
  let twice = 0;
  for (const c of clients) {
    const seen = new Set(c.seqs);
    twice += c.seqs.length - seen.size;
    for (let s = firstSeq + 1; s <= final.seq; s++) if (!seen.has(s)) missed++;
  }
  check(missed === 0, `events missed: ${missed} (every client has every seq ${firstSeq + 1}..${final.seq}; ${afterOffline - missedFrom} of them published while it was disconnected)`);
  check(twice === 0, `events received twice: ${twice}`);
  check(clients.every((c) => c.errors.length === 0), 'no error frames');
  const rest = (await (await running.get(`/v1/matches/${match.id}`)).json()).data;
  check(final.score?.home === GOALS && final.score?.away === 1 && rest?.score.home === GOALS && rest?.score.away === 1,
    `a fresh client's snapshot (${final.score?.home}:${final.score?.away}) and the REST read (${rest?.score.home}:${rest?.score.away}) show ${GOALS}:1`);
  // The match's goal events as stored and served: the recorded Kane goal + the GOALS published, each once.
  const events = rest?.events?.filter((e) => /goal/.test(e.type)) ?? [];
  const rowsLost = Math.max(0, GOALS + 1 - events.length);
  const rowsDuplicated = Math.max(0, events.length - (GOALS + 1));
  check(rowsLost === 0 && rowsDuplicated === 0, `the match's goal events stored once each: ${events.length} (want ${GOALS + 1})`);
  for (const c of clients) c.ws.close();
  d.report({
    requests: clients.length * 2,
    clients: clients.length,
    errorsByStatus: {},
    changes: final.seq - firstSeq,
    missedWhileDisconnected: afterOffline - missedFrom,
    rowsLost,
    rowsDuplicated,
    eventsMissed: missed,
    eventsTwice: twice,
  });
  return d.failures.length ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  check(false, `room-restart: ${e?.stack ?? e}`);
  d.report({ error: String(e?.message ?? e) });
  if (running?.output) console.error('--- wrangler output (tail) ---\n' + running.output().slice(-3000));
} finally {
  for (const c of clients) c.ws?.terminate();
  if (running) await stopWorker(running);
  for (const dir of cleanupDirs) rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
