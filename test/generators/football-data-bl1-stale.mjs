// Generates test/fixtures/football-data/snapshots/BL1-2023-as-of-2023-10-02.json: an OLDER snapshot of the
// football-data.org BL1 2023/24 season (test/fixtures/football-data/competitions/BL1/matches@season=2023.json),
// as the real API shows a season on Monday 2 October 2023, after matchday 6:
//   - matchdays 1–6 (54 matches) FINISHED as recorded, `lastUpdated` two hours after their kick-off;
//   - matchdays 7–10 TIMED at their real kick-offs (the DFL fixes dates about a month ahead), no score;
//   - matchdays 11–13 TIMED at football-data's placeholder: every match of the matchday at 14:30Z on that
//     weekend's Saturday (the adapter flags such matchdays provisional);
//   - matchdays 14–34 SCHEDULED (date not fixed) at the same placeholder;
//   - unplayed matches `lastUpdated` = the snapshot time; `season.currentMatchday` 7, `resultSet.played` 54.
// Everything else (ids, teams, shape) is the recorded file's. Run: node test/generators/football-data-bl1-stale.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const season = JSON.parse(readFileSync(path.join(here, '../fixtures/football-data/competitions/BL1/matches@season=2023.json'), 'utf8'));
const SNAPSHOT = '2023-10-02T08:00:00Z';
const PLAYED_UP_TO = 6;
const REAL_TIMES_UP_TO = 10;
const TIMED_UP_TO = 13;

/** 14:30Z on the Saturday of the weekend a matchday is played (its matches' middle day, moved to Saturday). */
function placeholder(matchday) {
  const days = season.matches.filter((m) => m.matchday === matchday).map((m) => Date.parse(m.utcDate)).sort((a, b) => a - b);
  const mid = new Date(days[Math.floor(days.length / 2)]);
  const toSaturday = (6 - mid.getUTCDay() + 7) % 7;
  const sat = new Date(Date.UTC(mid.getUTCFullYear(), mid.getUTCMonth(), mid.getUTCDate() + (toSaturday > 3 ? toSaturday - 7 : toSaturday), 14, 30));
  return sat.toISOString().replace('.000Z', 'Z');
}

const matches = season.matches.map((m) => {
  if (m.matchday <= PLAYED_UP_TO) {
    const lastUpdated = new Date(Date.parse(m.utcDate) + 2 * 3_600_000).toISOString().replace('.000Z', 'Z');
    return { ...m, season: { ...m.season, currentMatchday: 7 }, lastUpdated };
  }
  const realTime = m.matchday <= REAL_TIMES_UP_TO;
  return {
    ...m,
    season: { ...m.season, currentMatchday: 7 },
    utcDate: realTime ? m.utcDate : placeholder(m.matchday),
    status: m.matchday <= TIMED_UP_TO ? 'TIMED' : 'SCHEDULED',
    lastUpdated: SNAPSHOT,
    score: { winner: null, duration: 'REGULAR', fullTime: { home: null, away: null }, halfTime: { home: null, away: null } },
  };
});
const out = {
  ...season,
  resultSet: { ...season.resultSet, played: matches.filter((m) => m.status === 'FINISHED').length },
  matches,
};
const file = path.join(here, '../fixtures/football-data/snapshots/BL1-2023-as-of-2023-10-02.json');
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(out, null, 1));
console.log(`wrote ${matches.length} matches (${out.resultSet.played} finished) to ${path.relative(process.cwd(), file)}`);
