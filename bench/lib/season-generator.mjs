// Synthetic OpenLigaDB seasons for benchmarks: `generateOpenLigaDbSeason({ season, teams, seed })` returns what
// `GET /getmatchdata/bl1/<season>` returns — same field names and nesting as the recorded
// test/fixtures/openligadb/getmatchdata/bl1/2023.json — for a complete, finished double round robin
// (18 teams: 34 matchdays × 9 = 306 matches). Deterministic from the seed; no I/O.
//
// Realism, modelled on the recorded season (see src/providers/openligadb/normalize.ts for what the adapter expects):
// - the 18 real Bundesliga 2023/24 clubs (ids, names, short names, crest URLs); beyond 18, synthetic clubs;
// - Friday/Saturday/Sunday kick-off slots in Berlin local time (`matchDateTime`, DST-aware `matchDateTimeUTC`),
//   international and winter breaks; `lastUpdateDateTime` ~2 h after kick-off, sometimes days later, with .NET's
//   trimmed fractional seconds ("…:16.603", "…:54.27", "…:50.8");
// - goals Poisson-distributed (~1.6 home, ~1.3 away, shifted by a per-club strength), scorers drawn from a
//   25-player squad per club with stable ids (forwards score most), ~7.5 % penalties, ~3 % own goals (scorer from
//   the other club), ~10 % in stoppage time in both of the feed's forms (matchMinute 94 + isOvertime, or 90 +
//   comment "+4"); in about a third of the matches one goal is listed out of minute order; rare goals without a
//   minute; a few names with stray CR/LF or in "Last, First" form. `scoreTeam1/2` is the running score, so the
//   true order is always recoverable;
// - every match finished, with a half-time (resultTypeID 1) and a final (resultTypeID 2) result consistent with
//   the goals. `location` and `numberOfViewers` are null, as in the recorded feed.
// The recorded season feed sends `goalGetterName: ""` for every goal (only per-matchday feeds carry names);
// `scorerNames: false` reproduces that, the default sends names like the matchday feed.
//
// `withExtraGoal(matches, { matchID?, matchday?, side?, minute? })` returns a corrected copy: one goal inserted
// mid-match (as a late data correction would), the running score of later goals, the half-time/final results and
// `lastUpdateDateTime` adjusted to match.

/** The 18 clubs of the recorded BL1 2023 season (test/fixtures/openligadb/getmatchdata/bl1/2023.json). */
export const BL1_2023_TEAMS = [
  [134, 'Werder Bremen', 'Bremen', 'https://upload.wikimedia.org/wikipedia/commons/thumb/b/be/SV-Werder-Bremen-Logo.svg/681px-SV-Werder-Bremen-Logo.svg.png'],
  [40, 'FC Bayern München', 'Bayern', 'https://i.imgur.com/jJEsJrj.png'],
  [6, 'Bayer Leverkusen', 'Leverkusen', 'https://upload.wikimedia.org/wikipedia/de/thumb/f/f7/Bayer_Leverkusen_Logo.svg/1200px-Bayer_Leverkusen_Logo.svg.png'],
  [1635, 'RB Leipzig', 'Leipzig', 'https://i.imgur.com/Rpwsjz1.png'],
  [131, 'VfL Wolfsburg', 'Wolfsburg', 'https://i.imgur.com/ucqKV4B.png'],
  [199, '1. FC Heidenheim 1846', 'Heidenheim', 'https://upload.wikimedia.org/wikipedia/commons/thumb/9/9d/1._FC_Heidenheim_1846.svg/830px-1._FC_Heidenheim_1846.svg.png'],
  [175, 'TSG 1899 Hoffenheim', 'Hoffenheim', 'https://i.imgur.com/gF0PfEl.png'],
  [112, 'SC Freiburg', 'Freiburg', 'https://i.imgur.com/r3mvi0h.png'],
  [95, 'FC Augsburg', 'Augsburg', 'https://i.imgur.com/sdE62e2.png'],
  [87, 'Borussia Mönchengladbach', 'Gladbach', 'https://i.imgur.com/KSIk0Eu.png'],
  [16, 'VfB Stuttgart', 'Stuttgart', 'https://i.imgur.com/v0tkpNx.png'],
  [129, 'VfL Bochum', 'Bochum', 'https://i.imgur.com/5jy3Gfr.png'],
  [7, 'Borussia Dortmund', 'BVB', 'https://upload.wikimedia.org/wikipedia/commons/thumb/6/67/Borussia_Dortmund_logo.svg/560px-Borussia_Dortmund_logo.svg.png'],
  [65, '1. FC Köln', 'Köln', 'https://upload.wikimedia.org/wikipedia/commons/thumb/0/01/1._FC_Koeln_Logo_2014–.svg/296px-1._FC_Koeln_Logo_2014–.svg.png'],
  [80, '1. FC Union Berlin', 'Union Berlin', 'https://assets.dfb.de/uploads/000/018/232/small_union-Berlin.jpg'],
  [81, '1. FSV Mainz 05', 'Mainz', 'https://upload.wikimedia.org/wikipedia/commons/thumb/9/9e/Logo_Mainz_05.svg/1200px-Logo_Mainz_05.svg.png'],
  [91, 'Eintracht Frankfurt', 'Frankfurt', 'https://i.imgur.com/X8NFkOb.png'],
  [118, 'SV Darmstadt 98', 'Darmstadt', 'https://upload.wikimedia.org/wikipedia/commons/e/e5/SV_Darmstadt_98_Logo.svg'],
].map(([teamId, teamName, shortName, teamIconUrl]) => ({ teamId, teamName, shortName, teamIconUrl, teamGroupName: null }));

const SQUAD_SIZE = 25;
const HOME_GOALS = 1.6;
const AWAY_GOALS = 1.3;
const P_PENALTY = 0.075;
const P_OWN_GOAL = 0.03;
const P_FIRST_HALF_STOPPAGE = 0.035;
const P_SECOND_HALF_STOPPAGE = 0.07;
const P_STOPPAGE_AS_COMMENT = 0.12; // "90" + comment "+4" instead of matchMinute 94
const P_OUT_OF_ORDER = 0.35; // per match with 2+ goals: one goal listed last
const P_NO_MINUTE = 0.006;
const P_NAME_CRLF = 0.02;
const P_NAME_LAST_FIRST = 0.01;
const P_LATE_UPDATE = 0.15; // lastUpdateDateTime days after the match
const TIME_ZONE_ID = 'W. Europe Standard Time';

const FIRST = 'ABCDEFGHIJKLMNOPRSTVWYZ';
const SURNAMES = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch',
  'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Braun', 'Zimmermann', 'Krüger', 'Hartmann', 'Lange',
  'Werner', 'Krause', 'Lehmann', 'Köhler', 'Maier', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Jung', 'Möller', 'Keller',
  'Günther', 'Frank', 'Berger', 'Winkler', 'Roth', 'Beck', 'Lorenz', 'Baumann', 'Franke', 'Albrecht', 'Ludwig',
  'Böhm', 'Winter', 'Kraus', 'Martin', 'Schumacher', 'Vogt', 'Stein', 'Jäger', 'Otto', 'Sommer', 'Groß', 'Seidel',
  'Heinrich', 'Brandt', 'Haas', 'Kovač', 'Nkunku', 'Silva', 'Andersen', 'Nielsen', 'Okafor', 'Diallo', 'Yilmaz',
  'Kowalski', 'Novak', 'Dubois', 'Rossi', 'García', 'Santos', 'Berisha', 'Kamara', 'Tanaka', 'Lindqvist', 'Doğan',
];

// ---------------------------------------------------------------------------------------------------------------

/** mulberry32 over a 32-bit hash of the seed (numbers and strings). */
export function rng(seed) {
  let h = 2166136261 >>> 0;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  let a = h || 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  next.pick = (xs) => xs[Math.floor(next() * xs.length)];
  next.poisson = (lambda) => {
    const l = Math.exp(-lambda);
    let k = 0;
    for (let p = next(); p > l; p *= next()) k++;
    return k;
  };
  next.weighted = (items, weight) => {
    let total = 0;
    for (const x of items) total += weight(x);
    let r = next() * total;
    for (const x of items) if ((r -= weight(x)) < 0) return x;
    return items[items.length - 1];
  };
  return next;
}

/** The clubs of a generated league: the real 18 first, synthetic ones beyond. */
export function leagueTeams(n = 18) {
  if (!Number.isInteger(n) || n < 2) throw new Error('teams must be an integer >= 2');
  const out = BL1_2023_TEAMS.slice(0, n).map((t) => ({ ...t }));
  for (let i = out.length; i < n; i++) {
    out.push({ teamId: 9000 + i, teamName: `SC Synthetica ${i + 1}`, shortName: `Synthetica ${i + 1}`, teamIconUrl: null, teamGroupName: null });
  }
  return out;
}

/**
 * A club's squad: 25 players with ids stable across seeds and seasons (derived from the club id), squad number
 * order goalkeeper (1), defenders (8), midfielders (9), forwards (7), and a scoring weight.
 */
export function teamSquad(teamId) {
  const r = rng(`squad:${teamId}`);
  const used = new Set();
  const squad = [];
  for (let k = 0; k < SQUAD_SIZE; k++) {
    let name;
    do name = `${r.pick(FIRST)}. ${r.pick(SURNAMES)}`;
    while (used.has(name));
    used.add(name);
    const role = k === 0 ? 'GK' : k <= 8 ? 'DF' : k <= 17 ? 'MF' : 'FW';
    squad.push({ id: 30000 + teamId * 32 + k, name, role, weight: { GK: 0.01, DF: 0.35, MF: 1, FW: 2.6 }[role] * (0.6 + r()) });
  }
  return squad;
}

export function generateOpenLigaDbSeason({ season = 2023, teams = 18, seed = 1, scorerNames = true } = {}) {
  const r = rng(`season:${season}:${teams}:${seed}`);
  const clubs = leagueTeams(teams);
  const squads = new Map(clubs.map((c) => [c.teamId, teamSquad(c.teamId)]));
  const strength = new Map(clubs.map((c) => [c.teamId, 0.6 + r() * r() * 1.4 + r() * 0.2]));
  const order = shuffle(clubs, r);
  const rounds = doubleRoundRobin(order.length);
  const dates = matchdayDates(season, rounds.length);
  const ids = seasonIds(season);
  const league = { leagueId: ids.league, leagueName: `1. Fußball-Bundesliga ${season}/${season + 1}`, leagueSeason: season, leagueShortcut: 'bl1' };

  const matches = [];
  let goalId = ids.goal;
  let resultId = ids.result;
  rounds.forEach((pairs, d) => {
    const md = d + 1;
    const slots = kickoffSlots(dates[d], pairs.length, md > rounds.length - 2);
    const group = { groupName: `${md}. Spieltag`, groupOrderID: md, groupID: ids.group + d };
    // Slots are handed out in a seeded order, then matches listed by kick-off (as the feed lists them).
    const slotOf = shuffle(slots.map((_, i) => i), r);
    const dayMatches = pairs.map(([h, a], i) => ({ home: order[h], away: order[a], slot: slots[slotOf[i]] }));
    dayMatches.sort((x, y) => x.slot.local.localeCompare(y.slot.local));
    for (const { home, away, slot } of dayMatches) {
      const sh = strength.get(home.teamId);
      const sa = strength.get(away.teamId);
      const specs = [
        ...goalSpecs(r, r.poisson(HOME_GOALS * Math.sqrt(sh / sa)), 1),
        ...goalSpecs(r, r.poisson(AWAY_GOALS * Math.sqrt(sa / sh)), 2),
      ].sort((x, y) => x.key - y.key || x.tie - y.tie);
      let s1 = 0;
      let s2 = 0;
      let ht = null;
      const goals = specs.map((g) => {
        if (ht === null && g.key >= 46) ht = [s1, s2];
        if (g.side === 1) s1++;
        else s2++;
        const scoringClub = g.side === 1 ? home : away;
        const ownGoal = r() < P_OWN_GOAL;
        const penalty = !ownGoal && r() < P_PENALTY;
        const squad = squads.get((ownGoal ? (g.side === 1 ? away : home) : scoringClub).teamId);
        const scorer = penalty ? squad[r.int(SQUAD_SIZE - 5, SQUAD_SIZE - 1)] : r.weighted(squad, (p) => p.weight);
        return {
          goalID: goalId++,
          scoreTeam1: s1,
          scoreTeam2: s2,
          ...minuteFields(g, r),
          goalGetterID: scorer.id,
          goalGetterName: scorerNames ? nameQuirk(scorer.name, r) : '',
          isPenalty: penalty,
          isOwnGoal: ownGoal,
          ...overtimeFields(g, r),
        };
      });
      if (ht === null) ht = [s1, s2];
      // The feed sometimes lists a goal after later ones (a correction entered afterwards).
      if (goals.length >= 2 && r() < P_OUT_OF_ORDER) goals.push(...goals.splice(r.int(0, goals.length - 2), 1));
      const finalId = resultId++;
      const halfId = resultId++;
      matches.push({
        matchID: ids.match + matches.length,
        matchDateTime: slot.local,
        timeZoneID: TIME_ZONE_ID,
        ...league,
        matchDateTimeUTC: slot.utc,
        group: { ...group },
        team1: { ...home },
        team2: { ...away },
        lastUpdateDateTime: lastUpdate(slot, r),
        matchIsFinished: true,
        matchResults: [
          { resultID: halfId, resultName: 'Halbzeitergebnis', pointsTeam1: ht[0], pointsTeam2: ht[1], resultOrderID: 1, resultTypeID: 1, resultDescription: null },
          { resultID: finalId, resultName: 'Endergebnis', pointsTeam1: s1, pointsTeam2: s2, resultOrderID: 2, resultTypeID: 2, resultDescription: 'Ergebnis nach Ende der offiziellen Spielzeit' },
        ],
        goals,
        location: null,
        numberOfViewers: null,
      });
    }
  });
  return matches;
}

/**
 * A copy of `matches` with one goal added to one match (by matchID, else the first match of `matchday` with no
 * goal lacking a minute): later goals' running scores, the results and lastUpdateDateTime follow. Returns
 * { matches, change } where change describes what was done.
 */
export function withExtraGoal(matches, { matchID, matchday = 20, side, minute = 67 } = {}) {
  const out = structuredClone(matches);
  const m = matchID != null
    ? out.find((x) => x.matchID === matchID)
    : out.find((x) => x.group?.groupOrderID === matchday && x.goals.every((g) => g.matchMinute != null));
  if (!m) throw new Error(`withExtraGoal: no such match (${matchID ?? `matchday ${matchday}`})`);
  const final = m.matchResults.find((x) => x.resultTypeID === 2);
  const half = m.matchResults.find((x) => x.resultTypeID === 1);
  const before = `${final.pointsTeam1}:${final.pointsTeam2}`;
  side ??= final.pointsTeam1 <= final.pointsTeam2 ? 1 : 2; // the side behind (or home on a draw) scores
  const club = side === 1 ? m.team1 : m.team2;
  const scorer = teamSquad(club.teamId).at(-1);
  // Goals happen in running-score order; those later than `minute` move up by one on the scoring side.
  const ordered = [...m.goals].sort((a, b) => a.scoreTeam1 + a.scoreTeam2 - (b.scoreTeam1 + b.scoreTeam2));
  const prev = ordered.filter((g) => effectiveMinute(g) <= minute).at(-1);
  const score = prev ? [prev.scoreTeam1, prev.scoreTeam2] : [0, 0];
  score[side - 1]++;
  let shifted = 0;
  for (const g of m.goals) {
    if (effectiveMinute(g) > minute) {
      if (side === 1) g.scoreTeam1++;
      else g.scoreTeam2++;
      shifted++;
    }
  }
  const maxGoalId = Math.max(0, ...out.flatMap((x) => x.goals.map((g) => g.goalID)));
  const goal = {
    goalID: maxGoalId + 1,
    scoreTeam1: score[0],
    scoreTeam2: score[1],
    matchMinute: minute,
    goalGetterID: scorer.id,
    goalGetterName: m.goals.some((g) => g.goalGetterName) ? scorer.name : '',
    isPenalty: false,
    isOwnGoal: false,
    isOvertime: false,
    comment: null,
  };
  m.goals.push(goal);
  if (side === 1) final.pointsTeam1++;
  else final.pointsTeam2++;
  if (minute <= 45 && half) {
    if (side === 1) half.pointsTeam1++;
    else half.pointsTeam2++;
  }
  // A correction entered a day later: newer than the stored copy, so the adapter's staleness check lets it in.
  m.lastUpdateDateTime = dotNetLocal(new Date(Date.parse(m.lastUpdateDateTime.replace(/(\.\d+)?$/, 'Z')) + 86_400_000 + 123));
  return {
    matches: out,
    change: { matchID: m.matchID, matchday: m.group.groupOrderID, home: m.team1.teamName, away: m.team2.teamName, side: side === 1 ? 'home' : 'away',
      minute, goalID: goal.goalID, finalBefore: before, finalAfter: `${final.pointsTeam1}:${final.pointsTeam2}`, laterGoalsRescored: shifted },
  };
}

// --- schedule ----------------------------------------------------------------------------------------------------

/** Berger tables (circle method), second half mirrored with home and away swapped. Odd n: one club rests. */
function doubleRoundRobin(n) {
  const size = n % 2 ? n + 1 : n;
  const idx = Array.from({ length: size }, (_, i) => i);
  const first = [];
  for (let round = 0; round < size - 1; round++) {
    const pairs = [];
    for (let i = 0; i < size / 2; i++) {
      const a = idx[i];
      const b = idx[size - 1 - i];
      if (a >= n || b >= n) continue; // bye
      // Alternate home advantage: at most three home (or away) games in a row (checked for 18 clubs).
      const swap = i === 0 ? round % 2 === 1 : i % 2 === 1;
      pairs.push(swap ? [b, a] : [a, b]);
    }
    first.push(pairs);
    idx.splice(1, 0, idx.pop()); // rotate all but the first
  }
  return [...first, ...first.map((pairs) => pairs.map(([h, a]) => [a, h]))];
}

function shuffle(xs, r) {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Each matchday's Friday (UTC midnight) and whether it is a midweek round. From the first Friday on or after
 * 15 August; international breaks after matchdays 3, 7, 11 and 26; the matchday before the half is a midweek
 * round (Tue/Wed) and the winter break follows it, as in the recorded 2023/24 calendar.
 */
function matchdayDates(season, count) {
  const start = new Date(Date.UTC(season, 7, 15));
  start.setUTCDate(start.getUTCDate() + ((5 - start.getUTCDay() + 7) % 7));
  const half = Math.ceil(count / 2);
  const midweek = half >= 5 ? half - 1 : -1; // 1-based matchday
  const out = [];
  let week = 0;
  for (let md = 1; md <= count; md++) {
    out.push({ friday: new Date(start.getTime() + week * 7 * 86_400_000), midweek: md === midweek });
    if (md === midweek - 1) continue; // the midweek round is in the same week (Tue/Wed after that weekend)
    week += 1;
    if (md === 3 || md === 7 || md === 11 || md === 26) week += 1;
    if (md === midweek) week += 3;
  }
  return out;
}

const WEEKEND_SLOTS = [[0, '20:30'], [1, '15:30'], [1, '15:30'], [1, '15:30'], [1, '15:30'], [1, '15:30'], [1, '18:30'], [2, '15:30'], [2, '17:30']];
const MIDWEEK_SLOTS = [[4, '18:30'], [4, '18:30'], [4, '20:30'], [4, '20:30'], [5, '18:30'], [5, '18:30'], [5, '20:30'], [5, '20:30'], [5, '20:30']];
const FINALE_SLOTS = [[1, '15:30']];

/**
 * Bundesliga slots: Fri 20:30, Sat 15:30 ×5, Sat 18:30, Sun 15:30, Sun 17:30; midweek Tue/Wed 18:30 and 20:30
 * (the Tuesday after the Friday's weekend); the last two matchdays all Sat 15:30.
 */
function kickoffSlots({ friday, midweek }, count, finale) {
  const base = finale ? FINALE_SLOTS : midweek ? MIDWEEK_SLOTS : WEEKEND_SLOTS;
  const out = [];
  for (let i = 0; i < count; i++) {
    const [dayOffset, hm] = base[i % base.length];
    const day = new Date(friday.getTime() + dayOffset * 86_400_000).toISOString().slice(0, 10);
    const local = `${day}T${hm}:00`;
    const utcMs = berlinToUtc(local);
    out.push({ local, utc: new Date(utcMs).toISOString().replace('.000Z', 'Z'), utcMs });
  }
  return out;
}

/** Berlin wall-clock time → UTC ms (CEST from the last Sunday of March to the last Sunday of October, 01:00 UTC). */
function berlinToUtc(local) {
  const asUtc = Date.parse(`${local}Z`);
  const y = new Date(asUtc).getUTCFullYear();
  const lastSunday = (month) => {
    const d = new Date(Date.UTC(y, month + 1, 0, 1));
    d.setUTCDate(d.getUTCDate() - d.getUTCDay());
    return d.getTime();
  };
  const guess = asUtc - 3_600_000;
  const summer = guess >= lastSunday(2) && guess < lastSunday(9);
  return asUtc - (summer ? 2 : 1) * 3_600_000;
}

/** ~2 h after kick-off (local time), sometimes days later; .NET formatting (trailing zeros of the fraction dropped). */
function lastUpdate(slot, r) {
  const localMs = Date.parse(`${slot.local}Z`);
  let t = localMs + (110 + r.int(0, 25)) * 60_000 + r.int(0, 59_999);
  if (r() < P_LATE_UPDATE) t += r.int(1, 6) * 86_400_000 + r.int(0, 12) * 3_600_000;
  return dotNetLocal(new Date(t));
}

function dotNetLocal(d) {
  const iso = d.toISOString().slice(0, 23); // wall clock stored as if UTC
  const [whole, frac] = iso.split('.');
  const trimmed = frac.replace(/0+$/, '');
  return trimmed ? `${whole}.${trimmed}` : whole;
}

function seasonIds(season) {
  const k = season - 2000;
  return { league: 4600 + k * 10, group: 40000 + k * 100, match: 1_000_000 + k * 10_000, goal: 2_000_000 + k * 100_000, result: 3_000_000 + k * 10_000 };
}

// --- goals -------------------------------------------------------------------------------------------------------

/** n goals for a side: a sort key in match time (45.x / 90.x for stoppage time) and the stoppage minute. */
function goalSpecs(r, n, side) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const u = r();
    let key;
    let stoppage = 0;
    if (u < P_FIRST_HALF_STOPPAGE) {
      stoppage = r.int(1, 4);
      key = 45 + stoppage / 10;
    } else if (u < P_FIRST_HALF_STOPPAGE + P_SECOND_HALF_STOPPAGE) {
      stoppage = r.int(1, 8);
      key = 90 + stoppage / 10;
    } else {
      key = r.int(1, 90);
    }
    out.push({ side, key, stoppage, tie: r() });
  }
  return out;
}

function minuteFields(g, r) {
  if (r() < P_NO_MINUTE) return { matchMinute: null };
  if (!g.stoppage) return { matchMinute: g.key };
  const base = g.key < 60 ? 45 : 90;
  g.asComment = r() < P_STOPPAGE_AS_COMMENT;
  return { matchMinute: g.asComment ? base : base + g.stoppage };
}

function overtimeFields(g) {
  if (!g.stoppage) return { isOvertime: false, comment: null };
  return { isOvertime: true, comment: g.asComment ? `+${g.stoppage}` : null };
}

function nameQuirk(name, r) {
  const u = r();
  if (u < P_NAME_CRLF) return `${name}\r\n`;
  if (u < P_NAME_CRLF + P_NAME_LAST_FIRST) {
    const [initial, ...rest] = name.split(' ');
    return ` ${rest.join(' ')}, ${initial}`;
  }
  return name;
}

/** Match time of a goal as this generator writes it (for withExtraGoal): 94 → 90.4, 90 + "+4" → 90.4, 47 overtime → 45.2. */
function effectiveMinute(g) {
  const m = g.matchMinute;
  if (m == null) return 999;
  const plus = /^\+(\d+)/.exec(g.comment ?? '');
  if (plus) return m + Number(plus[1]) / 10;
  if (g.isOvertime && m > 90) return 90 + (m - 90) / 10;
  if (g.isOvertime && m > 45 && m < 60) return 45 + (m - 45) / 10;
  return m;
}
