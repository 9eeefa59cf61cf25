// Smoke check of a real `npm run dev` process (used by .ci/run, and by hand):
//   node dev/smoke.mjs          start on the embedded defaults, GET /health must be 200, stop
//   node dev/smoke.mjs --demo   also: run update_matches for the recorded BL1 2023 matchday 12 through the admin
//                               API, then /v1/matches?competition=BL1&season=2023&matchday=12 must list its 9
//                               matches with the recorded scores and goal events, and standings must answer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChecks, postJob, startNpmDev, waitFor as waitUntil, waitForHealth } from './harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demo = process.argv.includes('--demo');
const { check, exit } = createChecks();

// A clean environment: the embedded defaults, whatever the caller's shell has set.
const dev = startNpmDev(demo ? ['--demo'] : [], { tmpPrefix: 'matchday-smoke-' });
const { base } = dev;
const waitFor = (fn, timeoutMs, what) => waitUntil(fn, timeoutMs, what, { everyMs: 250, stopIf: dev.exited });

try {
  const { body: health, ms } = await waitForHealth(base, { everyMs: 250, stopIf: dev.exited });
  check(health.status === 'ok' && health.db === 'ok' && health.cache === 'ok', `GET /health → ${JSON.stringify(health)} after ${ms} ms`);

  if (demo) {
    const res = await postJob(base, 'update_matches', { competition: 'BL1', season: 2023, matchday: 12 });
    check(res.status === 202, `POST /v1/admin/jobs/update_matches → ${res.status}`);
    const recorded = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/openligadb/getmatchdata/bl1/2023/12.json'), 'utf8'));
    const list = await waitFor(async () => {
      const r = await fetch(`${base}/v1/matches?competition=BL1&season=2023&matchday=12`);
      const body = await r.json();
      return body.data?.length === 9 ? body.data : null;
    }, 30_000, '9 matches after the job (queue → consumer)');
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
      const detail = await (await fetch(`${base}/v1/matches/${m.id}`)).json();
      const goals = detail.data.events.filter((e) => /goal/.test(e.type));
      if (goals.length !== rec.goals.length) {
        eventsOk = false;
        console.log(`  events mismatch for match ${m.id}: want ${rec.goals.length} goals, got ${goals.length}`);
      }
    }
    check(scoresOk, 'every match has its recorded final score (null for the two not yet played)');
    check(eventsOk, 'every match has its recorded goal events');
    const standings = await (await fetch(`${base}/v1/competitions/BL1/standings?season=2023`)).json();
    check(standings.data?.table?.length === 18, `standings list ${standings.data?.table?.length} teams`);
  }
} catch (e) {
  check(false, String(e.message ?? e));
} finally {
  await dev.stop();
}
exit('smoke', () => console.log('--- npm run dev output ---\n' + dev.output().slice(-4000)));
