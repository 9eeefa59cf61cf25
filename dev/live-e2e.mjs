// End-to-end check of live updates through a real `npm run dev -- --demo` process (used by CI, and by hand):
//   node dev/live-e2e.mjs [--speed 2] [--interval 5]
// 1. starts `npm run dev -- --demo` on the embedded defaults with LIVE_POLL_INTERVAL_SECONDS=<interval>;
// 2. ingests the recorded BL1 2023 matchday 12 through the admin API;
// 3. starts the replay's live simulation of 1. FC Köln – FC Bayern München paused at kick-off, fires the live cron
//    (`/__scheduled?cron=*/5+*+*+*+*`: the queue's live job + the LivePoller), waits until the match is live;
// 4. connects a Node `ws` client to /v1/matches/<id>/live and lets the simulation run at <speed> simulated minutes
//    per real second until full time;
// 5. checks that every goal (and the VAR cancellation) reached the socket within one poll interval + 1 s of the
//    moment the replay server changed it (the simulation's /__replay/live/state records each change's time; the
//    replay runs inside the dev process, on this machine's clock), that the final status arrived, and that the
//    poller stopped once the match was finished.
// Every call to the Worker goes through the typed client (matchday-edge/client). Prints PASS/FAIL lines; exits 1 on any failure.
import WebSocket from 'ws';
import { clientFor, createChecks, postJob, startNpmDev, waitFor as waitUntil, waitForHealth } from './harness.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SPEED = arg('--speed', 2);
const INTERVAL_S = arg('--interval', 5);
const BOUND_MS = INTERVAL_S * 1000 + 1000;
const { check, exit } = createChecks();

// A clean environment: the embedded defaults, whatever the caller's shell has set.
const dev = startNpmDev(['--demo'], {
  tmpPrefix: 'matchday-live-e2e-',
  env: { LIVE_POLL_INTERVAL_SECONDS: String(INTERVAL_S) },
  unset: ['API_FOOTBALL_KEY'],
});
const { base, port } = dev;
// The Worker through the typed client (matchday-edge/client); the replay server's control API with plain fetch.
const api = clientFor(base);
const waitFor = (fn, timeoutMs, what) => waitUntil(fn, timeoutMs, what, { stopIf: dev.exited });
const getJson = async (url, init) => {
  const r = await fetch(url, init);
  return { status: r.status, body: await r.json().catch(() => null) };
};

let ws;
try {
  await waitForHealth(base, { stopIf: dev.exited });
  const replayUrl = /replay (http:\/\/127\.0\.0\.1:\d+)/.exec(dev.output())?.[1];
  if (!check(Boolean(replayUrl), `the dev process started the replay server (${replayUrl})`)) throw new Error('no replay server');
  const sim = (p, body) => getJson(`${replayUrl}/__replay/live/${p}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // 2. The recorded matchday.
  const job = await postJob(base, 'update_matches', { competition: 'BL1', season: 2023, matchday: 12 });
  check(job.status === 202, `POST /v1/admin/jobs/update_matches → ${job.status}`);
  const list = await waitFor(async () => {
    const { data } = await api.GET('/v1/matches', { params: { query: { competition: 'BL1', season: 2023, matchday: 12 } } });
    return data?.data.length === 9 ? data.data : null;
  }, 30_000, '9 matches after the job');
  const match = list.find((m) => m.home.name === '1. FC Köln' && m.away.name === 'FC Bayern München');
  check(match?.status === 'finished', `Köln – Bayern (match ${match?.id}) stored as recorded: ${match?.status} ${match?.score.home}:${match?.score.away}`);

  // 3. Kick-off (paused), the live cron, the match in play.
  const started = await sim('start', { speed: 0, startMinute: 0 });
  check(started.body?.phase === '1H', `replay live simulation started: ${started.body?.title}`);
  const cron = await fetch(`${base}/__scheduled?cron=*/5+*+*+*+*`);
  check(cron.status === 200, `live cron fired → ${cron.status}`);
  await waitFor(async () => (await api.GET('/v1/matches/{id}', { params: { path: { id: match.id } } })).data?.data.status === 'live', 20_000, 'match live after the live job');
  check(true, 'the live job stored the match as live');

  // 4. The socket, then the match runs.
  const received = [];
  ws = new WebSocket(`ws://127.0.0.1:${port}/v1/matches/${match.id}/live`);
  ws.on('message', (data) => {
    const at = Date.now();
    const msg = JSON.parse(String(data));
    for (const m of msg.type === 'batch' ? msg.messages : [msg]) received.push({ ...m, receivedAt: at });
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const snapshot = await waitFor(async () => received.find((m) => m.type === 'snapshot'), 5_000, 'snapshot');
  check(snapshot.match?.status === 'live' && snapshot.match.score.home === 0 && snapshot.match.score.away === 0, `snapshot on connect: seq ${snapshot.seq}, ${snapshot.match?.status} ${snapshot.match?.score.home}:${snapshot.match?.score.away}`);
  const t0 = Date.now();
  await sim('step', { minutes: 0, speed: SPEED });
  console.log(`     simulation running at ${SPEED} simulated min/s, poll interval ${INTERVAL_S} s`);
  const finished = await waitFor(async () => received.find((m) => m.type === 'status' && m.status === 'finished'), (110 / SPEED) * 1000 + 30_000, 'final status');
  check(true, `final status "finished" arrived (seq ${finished.seq}) ${((finished.receivedAt - t0) / 1000).toFixed(1)} s after the simulation started running`);

  // 5. Every goal (and the cancellation) within one poll interval + 1 s of the replay changing it.
  const state = (await sim('state')).body;
  const changes = state.changes.filter((c) => c.kind === 'goal' || c.kind === 'var' || c.kind === 'fulltime');
  const scores = received.filter((m) => m.type === 'score');
  for (const [i, c] of changes.entries()) {
    // The room shows this change once a score message carries its score, or the score of a later change that had
    // also happened by then (a goal cancelled before the next poll is never seen, and that is right).
    const later = changes.slice(i).filter((x) => x.kind !== 'fulltime');
    const hit = c.kind === 'fulltime'
      ? finished
      : scores.find((m) => m.receivedAt >= c.at && later.some((x) => x.at <= m.receivedAt && x.score.home === m.score.home && x.score.away === m.score.away));
    const label = c.kind === 'goal' ? `goal ${c.minute}' ${c.player} → ${c.score.home}:${c.score.away}` : c.kind === 'var' ? `VAR cancels ${c.player}'s goal → ${c.score.home}:${c.score.away}` : 'full time';
    const latency = hit ? hit.receivedAt - c.at : null;
    const superseded = hit && c.kind !== 'fulltime' && (hit.score.home !== c.score.home || hit.score.away !== c.score.away);
    const how = superseded ? ` (superseded before a poll saw it: shown as ${hit.score.home}:${hit.score.away})` : '';
    check(latency !== null && latency <= BOUND_MS, `${label}: on the socket ${latency === null ? 'never' : `${latency} ms`} after the replay changed it${how} (bound ${BOUND_MS} ms)`);
  }
  const seqs = received.filter((m) => m.seq !== undefined && m.type !== 'snapshot').map((m) => m.seq);
  check(seqs.every((s, i) => s === snapshot.seq + i + 1), `changes arrived once each, in seq order (${seqs.length} changes, seq ${snapshot.seq + 1}..${seqs.at(-1)})`);
  const goalEvents = received.filter((m) => m.type === 'event' && m.action === 'added' && /goal/.test(m.event.type));
  const removed = received.filter((m) => m.type === 'event' && m.action === 'removed');
  check(goalEvents.length >= 4, `goal events added: ${goalEvents.map((m) => `${m.event.minute}' ${m.event.player?.name}`).join(', ')}`);
  const saneSeen = goalEvents.some((m) => m.event.player?.name === 'L. Sané');
  check(!saneSeen || removed.some((m) => m.event.player?.name === 'L. Sané'), saneSeen ? 'the VAR-cancelled goal arrived as a removal' : 'the VAR-cancelled goal was cancelled before a poll saw it (never shown)');

  // The poller stops once nothing is in play.
  const stopped = await waitFor(async () => {
    const { data } = await api.GET('/v1/admin/jobs/runs', { params: { query: { job: 'update_live_matches', limit: 100 } } });
    const polls = (data?.data ?? []).filter((r) => r.trigger === 'poller');
    return polls.length && polls[0].counts?.stopped ? polls : null;
  }, BOUND_MS + 10_000, 'a poller run recorded as stopped');
  const ms = stopped.map((r) => Date.parse(r.finishedAt) - Date.parse(r.startedAt)).filter(Number.isFinite).sort((a, b) => a - b);
  check(true, `the poller polled ${stopped.length} times (poll duration median ${ms[ms.length >> 1]} ms, max ${ms.at(-1)} ms) and stopped after full time (last run: ${JSON.stringify(stopped[0].counts)})`);
} catch (e) {
  check(false, String(e.message ?? e));
} finally {
  ws?.terminate();
  await dev.stop();
}
exit('live-e2e', () => console.log('--- npm run dev output ---\n' + dev.output().slice(-6000)));
