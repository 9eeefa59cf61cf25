// Live match simulation for the replay server (dev/replay.mjs): plays one real match of the recorded BL1 2023
// matchday 12 minute by minute, and while it runs the replay answers the providers' live endpoints in their real
// shapes, so tests, the benchmark and `npm run dev -- --demo` see a match in play with no internet.
//
// Scenario "bl1-demo": 1. FC Köln – FC Bayern München (OpenLigaDB matchID 66734, the recorded Friday match;
// API-Football fixture 1049036 of league 78, teams 192 "1.FC Köln" and 157 "Bayern Munich"). `t` is the
// simulated clock in minutes since kick-off (a 15-minute half-time break included):
//
//     t    match minute   what                                            score  OpenLigaDB sees it?
//     0    1'             kick-off (1H)                                   0:0    yes (running result 0:0)
//     8    8'             yellow card, Köln, E. Martel                    0:0    no (OpenLigaDB has no cards)
//     19   19'            GOAL Bayern, H. Kane (the recorded goal 106261) 0:1    yes
//     28   28'            GOAL Köln, D. Selke                             1:1    yes
//     34   34'            GOAL Bayern, L. Sané                            1:2    yes
//     37   (34')          VAR: Sané's goal cancelled (offside)            1:1    yes: the goal disappears
//     47   45+2'          half-time (HT)                                  1:1    yes (half-time result)
//     62   46'            second half (2H)                                1:1    no (nothing changes there)
//     75   58'            yellow card, Bayern, J. Kimmich                 1:1    no
//     84   67'            GOAL Bayern, J. Musiala (assist L. Sané)        1:2    yes
//     98   81'            GOAL Bayern, H. Kane, penalty                   1:3    yes
//     105  88'            yellow card, Köln, D. Ljubicic                  1:3    no
//     110  90+3'          full-time (FT)                                  1:3    yes (matchIsFinished, final result)
//
// While the simulation runs (started, not stopped):
// - OpenLigaDB: /openligadb/getmatchdata/bl1/2023/12 (and the season file /openligadb/getmatchdata/bl1/2023) are the
//   recordings with match 66734 replaced by its live state: the running score as result type 2 ("Endergebnis"),
//   the half-time result from HT on, the goals so far (a VAR-cancelled goal is simply gone), matchIsFinished at
//   FT. Its kick-off is moved to the simulation's kick-off (now − start minute, in real time) so that OpenLigaDB's
//   clock-based status reads "in play"; `lastUpdateDateTime` is the moment of the last change OpenLigaDB shows.
//   /openligadb/getlastchangedate/bl1/2023/12 changes whenever that data changes (cards do not change it).
// - API-Football: /api-football/fixtures?live=<league ids joined by '-' | all> lists the fixture when 78 (or all) is
//   asked, in the real live shape: status 1H/HT/2H/FT with `elapsed` (+ `extra` in stoppage time), `goals`,
//   `score.halftime` (the running score during the first half, as API-Football sends it), `events` with Goal
//   (Normal Goal / Penalty), Card (Yellow Card) and Var ("Goal cancelled"; the cancelled Goal event is removed).
//   Simplification: real API-Football drops a fixture from `live` at full time; the simulation keeps listing it with
//   FT until it is stopped or restarted, so the final status reaches the Worker through this provider too (see
//   dev/LIVE.md, "Known gap").
//   Player ids other than OpenLigaDB's Kane (18898) and the fixture id are illustrative, not recorded values.
//
// Control (dev/replay.mjs routes them here):
//   POST /__replay/live/start  { scenario?: "bl1-demo", speed?: number (simulated minutes per real second, default 1;
//                                0 = only manual steps), startMinute?: number (default 0) }  (re)starts
//   POST /__replay/live/step   { minutes?: number, to?: number, speed?: number }  advances by `minutes` or to minute
//                                `to`, and/or changes the speed from now on
//   GET  /__replay/live/state  the clock, phase, score and every change so far with the real time it happened (`at`)
//   POST /__replay/live/stop   ends the simulation (answers revert to the plain recordings)
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TICK_MS = 100;
/** The clock runs on a little past full time (nothing happens there), then stops. */
const AFTER_FT_MINUTES = 10;

const KOELN = { side: 'home' };
const BAYERN = { side: 'away' };
const P = {
  martel: { team: KOELN, af: { id: 158703, name: 'E. Martel' } },
  selke: { team: KOELN, af: { id: 25391, name: 'D. Selke' }, oldb: { id: 17452, name: 'D. Selke' } },
  ljubicic: { team: KOELN, af: { id: 25406, name: 'D. Ljubicic' } },
  kane: { team: BAYERN, af: { id: 184, name: 'H. Kane' }, oldb: { id: 18898, name: 'H. Kane' } },
  sane: { team: BAYERN, af: { id: 1149, name: 'L. Sané' }, oldb: { id: 15626, name: 'L. Sané' } },
  musiala: { team: BAYERN, af: { id: 181812, name: 'J. Musiala' }, oldb: { id: 17894, name: 'J. Musiala' } },
  kimmich: { team: BAYERN, af: { id: 510, name: 'J. Kimmich' } },
};

export const SCENARIOS = {
  'bl1-demo': {
    title: '1. FC Köln – FC Bayern München (BL1 2023, matchday 12)',
    league: 'bl1',
    season: 2023,
    matchday: 12,
    openligadb: { matchID: 66734 },
    apiFootball: {
      fixtureId: 1049036,
      league: { id: 78, name: 'Bundesliga', country: 'Germany', logo: 'https://media.api-sports.io/football/leagues/78.png', flag: 'https://media.api-sports.io/flags/de.svg', season: 2023, round: 'Regular Season - 12' },
      home: { id: 192, name: '1.FC Köln', logo: 'https://media.api-sports.io/football/teams/192.png' },
      away: { id: 157, name: 'Bayern Munich', logo: 'https://media.api-sports.io/football/teams/157.png' },
      venue: { id: null, name: 'RheinEnergieSTADION', city: 'Köln' },
    },
    // Phase boundaries on the simulated clock (minutes since kick-off).
    halfTimeAt: 47,
    secondHalfAt: 62,
    fullTimeAt: 110,
    timeline: [
      { t: 0, kind: 'kickoff' },
      { t: 8, kind: 'card', player: P.martel, detail: 'Yellow Card' },
      { t: 19, kind: 'goal', player: P.kane, goalId: 106261 },
      { t: 28, kind: 'goal', player: P.selke, goalId: 990101 },
      { t: 34, kind: 'goal', player: P.sane, goalId: 990102 },
      { t: 37, kind: 'var', cancels: 990102, detail: 'Goal cancelled', comments: 'Offside' },
      { t: 47, kind: 'halftime' },
      { t: 62, kind: 'second_half' },
      { t: 75, kind: 'card', player: P.kimmich, detail: 'Yellow Card' },
      { t: 84, kind: 'goal', player: P.musiala, assist: P.sane, goalId: 990103 },
      { t: 98, kind: 'goal', player: P.kane, goalId: 990104, penalty: true },
      { t: 105, kind: 'card', player: P.ljubicic, detail: 'Yellow Card' },
      { t: 110, kind: 'fulltime' },
    ],
  },
};

/** What OpenLigaDB can see of a timeline entry (it has no cards and no period starts). */
const OLDB_VISIBLE = new Set(['kickoff', 'goal', 'var', 'halftime', 'fulltime']);

const berlinParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  second: '2-digit', hourCycle: 'h23',
});
/** OpenLigaDB's local wall-clock form ("2023-11-24T20:30:00", with ".mmm" for update times). */
function berlinLocal(ms, withMs = false) {
  const p = Object.fromEntries(berlinParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${withMs ? `.${String(ms % 1000).padStart(3, '0')}` : ''}`;
}
const isoSeconds = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

export function createLiveSim({ fixturesDir, now = () => Date.now() }) {
  let sim = null;
  let timer = null;
  const recordings = new Map();

  async function recording(rel) {
    if (!recordings.has(rel)) recordings.set(rel, JSON.parse(await readFile(path.join(fixturesDir, rel), 'utf8')));
    return recordings.get(rel);
  }

  // --- the clock -------------------------------------------------------------------------------------------
  /** The simulated minute now: the last set value plus elapsed real seconds × speed, clamped to the scenario's end. */
  function minuteNow() {
    const end = sim.scenario.fullTimeAt + AFTER_FT_MINUTES;
    return Math.min(end, sim.base + ((now() - sim.baseAt) / 1000) * sim.speed);
  }

  /** Applies every timeline entry the clock has reached, recording when (real time) each happened. */
  function advance() {
    if (!sim) return;
    const t = minuteNow();
    const { timeline } = sim.scenario;
    while (sim.next < timeline.length && timeline[sim.next].t <= t) apply(timeline[sim.next++]);
    sim.t = t;
  }

  function apply(entry) {
    const at = now();
    const s = sim.match;
    const change = { seq: sim.changes.length + 1, kind: entry.kind, t: entry.t, ...matchMinute(entry.t), at, atIso: new Date(at).toISOString() };
    switch (entry.kind) {
      case 'kickoff':
        s.phase = '1H';
        break;
      case 'halftime':
        s.phase = 'HT';
        s.halftime = score(s);
        break;
      case 'second_half':
        s.phase = '2H';
        break;
      case 'fulltime':
        s.phase = 'FT';
        break;
      case 'goal': {
        s.goals.push({ ...entry, ...matchMinute(entry.t) });
        Object.assign(change, { side: entry.player.team.side, player: entry.player.af.name, penalty: Boolean(entry.penalty), goalId: entry.goalId });
        break;
      }
      case 'var': {
        const i = s.goals.findIndex((g) => g.goalId === entry.cancels);
        const [goal] = s.goals.splice(i, 1);
        s.cancelled.push({ ...entry, goal });
        Object.assign(change, { side: goal.player.team.side, player: goal.player.af.name, cancels: entry.cancels, detail: entry.detail });
        break;
      }
      case 'card':
        s.cards.push({ ...entry, ...matchMinute(entry.t) });
        Object.assign(change, { side: entry.player.team.side, player: entry.player.af.name, detail: entry.detail });
        break;
    }
    change.score = score(s);
    change.phase = s.phase;
    sim.changes.push(change);
    sim.lastChange.apiFootball = at;
    if (OLDB_VISIBLE.has(entry.kind)) sim.lastChange.openligadb = at;
  }

  /** Match minute (+ stoppage) at simulated clock t: 1' from kick-off, 45+x, 46' from the second half on, 90+x. */
  function matchMinute(t) {
    const { halfTimeAt, secondHalfAt, fullTimeAt } = sim.scenario;
    const whole = Math.floor(t);
    if (t < halfTimeAt) return whole <= 45 ? { minute: Math.max(1, whole), extra: null } : { minute: 45, extra: whole - 45 };
    if (t < secondHalfAt) return { minute: 45, extra: halfTimeAt - 45 };
    const m = Math.min(Math.max(46, 45 + Math.floor(t - secondHalfAt)), 45 + (fullTimeAt - secondHalfAt));
    return m <= 90 ? { minute: m, extra: null } : { minute: 90, extra: m - 90 };
  }

  function score(s) {
    const home = s.goals.filter((g) => g.player.team.side === 'home').length;
    return { home, away: s.goals.length - home };
  }

  function startTicker() {
    stopTicker();
    timer = setInterval(advance, TICK_MS);
    timer.unref?.();
  }
  function stopTicker() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  // --- control -----------------------------------------------------------------------------------------------
  function start({ scenario = 'bl1-demo', speed = 1, startMinute = 0 } = {}) {
    const sc = SCENARIOS[scenario];
    if (!sc) throw new Error(`unknown scenario ${JSON.stringify(scenario)} (known: ${Object.keys(SCENARIOS).join(', ')})`);
    if (!(Number.isFinite(speed) && speed >= 0 && speed <= 600)) throw new Error('speed must be a number from 0 to 600');
    if (!(Number.isFinite(startMinute) && startMinute >= 0 && startMinute <= sc.fullTimeAt)) throw new Error(`startMinute must be 0..${sc.fullTimeAt}`);
    const at = now();
    sim = {
      scenarioName: scenario,
      scenario: sc,
      speed,
      base: startMinute,
      baseAt: at,
      t: startMinute,
      next: 0,
      // Real time of the kick-off, whole minutes: fixed for the whole run (a moving kick-off would be a change).
      kickoffAt: Math.floor((at - startMinute * 60_000) / 60_000) * 60_000,
      startedAt: at,
      match: { phase: 'NS', goals: [], cancelled: [], cards: [], halftime: null },
      changes: [],
      lastChange: { openligadb: at, apiFootball: at },
    };
    advance();
    startTicker();
    return state();
  }

  function step({ minutes, to, speed } = {}) {
    if (!sim) throw new Error('no live simulation running: POST /__replay/live/start first');
    advance();
    let t = sim.t;
    if (minutes != null) {
      if (!(Number.isFinite(minutes) && minutes >= 0)) throw new Error('minutes must be a number >= 0');
      t += minutes;
    }
    if (to != null) {
      if (!(Number.isFinite(to) && to >= 0)) throw new Error('to must be a number >= 0');
      t = Math.max(t, to);
    }
    if (speed != null) {
      if (!(Number.isFinite(speed) && speed >= 0 && speed <= 600)) throw new Error('speed must be a number from 0 to 600');
      sim.speed = speed;
    }
    sim.base = t;
    sim.baseAt = now();
    advance();
    return state();
  }

  function stop() {
    stopTicker();
    const was = Boolean(sim);
    sim = null;
    return { ok: true, stopped: was };
  }

  function state() {
    if (!sim) return { running: false };
    advance();
    const s = sim.match;
    return {
      running: true,
      scenario: sim.scenarioName,
      title: sim.scenario.title,
      speed: sim.speed,
      minute: Math.round(sim.t * 100) / 100,
      matchMinute: matchMinute(sim.t),
      phase: s.phase,
      finished: s.phase === 'FT',
      score: score(s),
      halftime: s.halftime,
      kickoffAt: new Date(sim.kickoffAt).toISOString(),
      ids: { openligadb: sim.scenario.openligadb.matchID, apiFootball: sim.scenario.apiFootball.fixtureId },
      lastChange: { openligadb: new Date(sim.lastChange.openligadb).toISOString(), apiFootball: new Date(sim.lastChange.apiFootball).toISOString() },
      changes: sim.changes,
    };
  }

  /** Control routes under /__replay/live/*; null when the route is not one of them. */
  function control(route, body) {
    try {
      switch (route) {
        case 'POST /__replay/live/start':
          return { status: 200, body: start(body) };
        case 'POST /__replay/live/step':
          return { status: 200, body: step(body) };
        case 'GET /__replay/live/state':
          return { status: 200, body: state() };
        case 'POST /__replay/live/stop':
          return { status: 200, body: stop() };
        default:
          return null;
      }
    } catch (e) {
      return { status: 400, body: { error: e.message } };
    }
  }

  // --- provider answers --------------------------------------------------------------------------------------
  /** The live answer for a provider path, or null to fall back to the recordings. */
  async function answer(p, url) {
    if (!sim) return null;
    advance();
    const sc = sim.scenario;
    const oldb = `/openligadb/getmatchdata/${sc.league}/${sc.season}`;
    if (p === `${oldb}/${sc.matchday}` || p === oldb) {
      const rel = path.join('openligadb', 'getmatchdata', sc.league, p === oldb ? `${sc.season}.json` : path.join(String(sc.season), `${sc.matchday}.json`));
      const recorded = await recording(rel);
      return json(recorded.map((m) => (m.matchID === sc.openligadb.matchID ? oldbMatch(m) : m)));
    }
    if (p === `/openligadb/getlastchangedate/${sc.league}/${sc.season}/${sc.matchday}`) {
      const recorded = await recording(path.join('openligadb', 'getlastchangedate', sc.league, String(sc.season), `${sc.matchday}.json`));
      const mine = berlinLocal(sim.lastChange.openligadb, true);
      return json(mine > recorded ? mine : recorded);
    }
    if (p === '/api-football/fixtures' && url.searchParams.has('live')) {
      const asked = url.searchParams.get('live');
      const leagues = asked === 'all' ? null : asked.split('-').map((x) => x.trim());
      const listed = sim.match.phase !== 'NS';
      const fixtures = listed && (!leagues || leagues.includes(String(sc.apiFootball.league.id))) ? [afFixture()] : [];
      return json({ get: 'fixtures', parameters: { live: asked }, errors: [], results: fixtures.length, paging: { current: 1, total: 1 }, response: fixtures });
    }
    return null;
  }

  const json = (body) => ({ status: 200, text: JSON.stringify(body), headers: {} });

  function oldbMatch(recorded) {
    const s = sim.match;
    const { home, away } = score(s);
    const results = [];
    if (s.halftime) {
      results.push({ resultID: 105330, resultName: 'Halbzeitergebnis', pointsTeam1: s.halftime.home, pointsTeam2: s.halftime.away, resultOrderID: 1, resultTypeID: 1, resultDescription: null });
    }
    if (s.phase !== 'NS') {
      results.push({ resultID: 105329, resultName: 'Endergebnis', pointsTeam1: home, pointsTeam2: away, resultOrderID: 2, resultTypeID: 2, resultDescription: 'Ergebnis nach Ende der offiziellen Spielzeit' });
    }
    let h = 0;
    let a = 0;
    const goals = s.goals.map((g) => {
      if (g.player.team.side === 'home') h++;
      else a++;
      const overtime = g.extra != null;
      return {
        goalID: g.goalId,
        scoreTeam1: h,
        scoreTeam2: a,
        matchMinute: g.minute + (g.extra ?? 0),
        goalGetterID: g.player.oldb.id,
        goalGetterName: g.player.oldb.name,
        isPenalty: Boolean(g.penalty),
        isOwnGoal: false,
        isOvertime: overtime,
        comment: null,
      };
    });
    return {
      ...recorded,
      matchDateTime: berlinLocal(sim.kickoffAt),
      matchDateTimeUTC: isoSeconds(sim.kickoffAt),
      lastUpdateDateTime: berlinLocal(sim.lastChange.openligadb, true),
      matchIsFinished: s.phase === 'FT',
      matchResults: results,
      goals,
    };
  }

  function afFixture() {
    const sc = sim.scenario;
    const af = sc.apiFootball;
    const s = sim.match;
    const { home, away } = score(s);
    const STATUS = { '1H': 'First Half', HT: 'Halftime', '2H': 'Second Half', FT: 'Match Finished' };
    const clockMinute = matchMinute(Math.min(sim.t, sc.fullTimeAt));
    const elapsed = s.phase === 'HT' ? 45 : s.phase === 'FT' ? 90 : clockMinute.minute;
    const extra = s.phase === '1H' || s.phase === '2H' ? clockMinute.extra : null;
    const teamOf = (side) => ({ id: af[side].id, name: af[side].name, logo: af[side].logo });
    const events = [
      ...s.goals.map((g) => ({
        sort: g.t,
        time: { elapsed: g.minute, extra: g.extra },
        team: teamOf(g.player.team.side),
        player: { id: g.player.af.id, name: g.player.af.name },
        assist: g.assist ? { id: g.assist.af.id, name: g.assist.af.name } : { id: null, name: null },
        type: 'Goal',
        detail: g.penalty ? 'Penalty' : 'Normal Goal',
        comments: null,
      })),
      ...s.cancelled.map((v) => ({
        sort: v.t,
        time: { elapsed: v.goal.minute, extra: v.goal.extra },
        team: teamOf(v.goal.player.team.side),
        player: { id: v.goal.player.af.id, name: v.goal.player.af.name },
        assist: { id: null, name: null },
        type: 'Var',
        detail: v.detail,
        comments: v.comments ?? null,
      })),
      ...s.cards.map((c) => ({
        sort: c.t,
        time: { elapsed: c.minute, extra: c.extra },
        team: teamOf(c.player.team.side),
        player: { id: c.player.af.id, name: c.player.af.name },
        assist: { id: null, name: null },
        type: 'Card',
        detail: c.detail,
        comments: 'Foul',
      })),
    ]
      .sort((x, y) => x.sort - y.sort)
      .map(({ sort, ...e }) => e);
    const kickoff = Math.floor(sim.kickoffAt / 1000);
    const secondHalf = s.phase === '2H' || s.phase === 'FT' ? kickoff + sc.secondHalfAt * 60 : null;
    const winner = (side) => (home === away ? null : side === 'home' ? home > away : away > home);
    return {
      fixture: {
        id: af.fixtureId,
        referee: null,
        timezone: 'UTC',
        date: new Date(kickoff * 1000).toISOString().replace(/\.000Z$/, '+00:00'),
        timestamp: kickoff,
        periods: { first: kickoff, second: secondHalf },
        venue: af.venue,
        status: { long: STATUS[s.phase], short: s.phase, elapsed, extra },
      },
      league: af.league,
      teams: { home: { ...teamOf('home'), winner: winner('home') }, away: { ...teamOf('away'), winner: winner('away') } },
      goals: { home, away },
      score: {
        // API-Football fills `halftime` with the running score during the first half.
        halftime: s.halftime ?? { home, away },
        fulltime: s.phase === 'FT' ? { home, away } : { home: null, away: null },
        extratime: { home: null, away: null },
        penalty: { home: null, away: null },
      },
      events,
    };
  }

  return { start, step, stop, state, control, answer, close: stopTicker };
}
