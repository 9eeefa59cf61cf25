// Smoke check of a real `npm run dev` process (used by .ci/run, and by hand), every API call through the typed
// client (matchday-edge/client):
//   node dev/smoke.mjs          start on the embedded defaults, GET /health must be 200; the empty database's first
//                               start runs update_matches and prints its outcome (rows written, or — offline — that
//                               the provider could not be reached, pointing at --demo); stop
//   node dev/smoke.mjs --demo   the first start stores the recorded BL1 2023 season (306 matches); then
//                               update_matches for matchday 12 through the admin API, and
//                               /v1/matches?competition=BL1&season=2023&matchday=12 must list its 9 matches with
//                               the recorded scores and goal events, and standings must answer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientFor, createChecks, postJob, startNpmDev, waitFor as waitUntil, waitForHealth, waitJobRuns } from './harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demo = process.argv.includes('--demo');
const { check, exit } = createChecks();

// A clean environment: the embedded defaults, whatever the caller's shell has set.
const dev = startNpmDev(demo ? ['--demo'] : [], { tmpPrefix: 'matchday-smoke-', seed: true });
const { base } = dev;
const api = clientFor(base);
const waitFor = (fn, timeoutMs, what) => waitUntil(fn, timeoutMs, what, { everyMs: 250, stopIf: dev.exited });

try {
  const { body: health, ms } = await waitForHealth(base, { everyMs: 250, stopIf: dev.exited });
  check(health.status === 'ok' && health.db === 'ok' && health.cache === 'ok', `GET /health → ${JSON.stringify(health)} after ${ms} ms`);

  // First start on an empty database: update_matches once, its outcome on the console.
  const outcome = await waitFor(() => /^first start: .*(rows written|could not reach the provider|failed|skipped|no update_matches unit).*$/m.exec(dev.output())?.[0], 60_000, 'a first-start outcome line');
  console.log(`     ${outcome}`);
  if (demo) {
    const stored = await waitFor(() => /^first start: (\d+) matches stored$/m.exec(dev.output()), 60_000, 'first start: … matches stored');
    check(/^first start: BL1 2023 from openligadb: \d+ rows written$/m.test(dev.output()) && stored[1] === '306', `first start stored the recorded season: ${stored[0]}`);
  } else if (/could not reach the provider/.test(outcome)) {
    check(/npm run dev -- --demo/.test(dev.output()), 'offline: the first start says the provider could not be reached and points at `npm run dev -- --demo`');
  } else {
    check(/rows written|skipped/.test(outcome), `first start: ${outcome}`);
  }

  if (demo) {
    const res = await postJob(base, 'update_matches', { competition: 'BL1', season: 2023, matchday: 12 });
    check(res.status === 202, `POST /v1/admin/jobs/update_matches → ${res.status}`);
    await waitJobRuns(api, res.data?.jobRunIds ?? [], 'update_matches BL1 2023 matchday 12', 30_000);
    // Each match as last updated in the two recordings (the season, stored on first start, and matchday 12): the
    // store keeps a provider's newest update, so two matches unplayed in the matchday file are played in the season's.
    const read = (p) => JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/openligadb/getmatchdata/bl1', p), 'utf8'));
    const season = read('2023.json');
    const recorded = read('2023/12.json').map((m) => {
      const later = season.find((x) => x.matchID === m.matchID);
      return later && later.lastUpdateDateTime > m.lastUpdateDateTime ? later : m;
    });
    const list = await waitFor(async () => {
      const { data } = await api.GET('/v1/matches', { params: { query: { competition: 'BL1', season: 2023, matchday: 12 } } });
      return data?.data.length === 9 ? data.data : null;
    }, 30_000, '9 matches after the job');
    check(list.length === 9, `/v1/matches?competition=BL1&season=2023&matchday=12 lists ${list.length} matches`);
    let scoresOk = true;
    let eventsOk = true;
    for (const rec of recorded) {
      const m = list.find((x) => x.home.name === rec.team1.teamName.trim() && x.away.name === rec.team2.teamName.trim());
      const final = rec.matchResults.find((r) => r.resultTypeID === 2);
      const want = final ? [final.pointsTeam1, final.pointsTeam2] : [null, null];
      if (!m || m.score.home !== want[0] || m.score.away !== want[1]) {
        scoresOk = false;
        console.log(`  score mismatch ${rec.team1.teamName} - ${rec.team2.teamName}: want ${want}, got ${m && [m.score.home, m.score.away]}`);
        continue;
      }
      const { data: detail } = await api.GET('/v1/matches/{id}', { params: { path: { id: m.id } } });
      const goals = detail.data.events.filter((e) => /goal/.test(e.type));
      if (goals.length !== rec.goals.length) {
        eventsOk = false;
        console.log(`  events mismatch for match ${m.id}: want ${rec.goals.length} goals, got ${goals.length}`);
      }
    }
    check(scoresOk, 'every match has its final score as last recorded (season file newer for two of them)');
    check(eventsOk, 'every match has its recorded goal events');
    const { data: standings } = await api.GET('/v1/competitions/{code}/standings', { params: { path: { code: 'BL1' }, query: { season: 2023 } } });
    check(standings.data?.table?.length === 18, `standings list ${standings.data?.table?.length} teams`);
  }
} catch (e) {
  check(false, String(e.message ?? e));
} finally {
  await dev.stop();
}
exit('smoke', () => console.log('--- npm run dev output ---\n' + dev.output().slice(-4000)));
