// Smoke check of a real `npm run dev` process (used by .ci/run, and by hand):
//   node dev/smoke.mjs          start on the embedded defaults, GET /health must be 200, stop
//   node dev/smoke.mjs --demo   also: run update_matches for the recorded BL1 2023 matchday 12 through the admin
//                               API, then /v1/matches?competition=BL1&season=2023&matchday=12 must list its 9
//                               matches with the recorded scores and goal events, and standings must answer.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demo = process.argv.includes('--demo');
const port = 8787 + 100 + Math.floor(Math.random() * 500);
const base = `http://127.0.0.1:${port}`;
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

// A clean environment: the embedded defaults, whatever the caller's shell has set.
const pgliteDir = mkdtempSync(path.join(os.tmpdir(), 'matchday-smoke-'));
const env = { ...process.env, PGLITE_DIR: pgliteDir };
for (const k of ['DATABASE_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'REDIS_URL', 'ADMIN_TOKEN']) delete env[k];
const child = spawn('npm', ['run', 'dev', '--', ...(demo ? ['--demo'] : []), '--port', String(port)], {
  cwd: REPO,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));

async function waitFor(fn, timeoutMs, what) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 300)})`);
}

try {
  const started = Date.now();
  const health = await waitFor(async () => {
    const r = await fetch(`${base}/health`);
    return r.status === 200 ? r.json() : null;
  }, 90_000, 'GET /health 200');
  check(health.status === 'ok' && health.db === 'ok' && health.cache === 'ok', `GET /health → ${JSON.stringify(health)} after ${Date.now() - started} ms`);

  if (demo) {
    const res = await fetch(`${base}/v1/admin/jobs/update_matches`, {
      method: 'POST',
      headers: { Authorization: 'Bearer dev-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ competition: 'BL1', season: 2023, matchday: 12 }),
    });
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
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  rmSync(pgliteDir, { recursive: true, force: true });
}
if (failures.length) {
  console.log('--- npm run dev output ---\n' + output.slice(-4000));
  process.exit(1);
}
console.log('smoke: all checks passed');
