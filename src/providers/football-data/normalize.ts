// football-data.org v4 → canonical records. Every football-data quirk is handled here and nowhere else:
// - status: SCHEDULED and TIMED are both "scheduled". SCHEDULED means the date is not fixed yet; TIMED means a
//   time was published, but real captures show TIMED matchdays still at one placeholder time (FL1 2024 md 28–30 all
//   at 00:00Z, PL 2025 md 32–37 all at 14:00Z) that changes later. Both stay "scheduled"; the record carries
//   `kickoffProvisional` (SCHEDULED, or ≥3 TIMED matches of a matchday all at one identical time — which also flags a
//   final day played simultaneously, so it is a hint) until canonical records get such a field.
//   IN_PLAY is live, or extra_time / penalties when `score.duration` is EXTRA_TIME / PENALTY_SHOOTOUT (the docs call
//   duration "kind of an additional status" while a match runs); PAUSED is halftime, also in extra-time breaks.
//   Unknown words drop the match into `discarded` (never a guessed status).
// - scores (docs.football-data.org/general/v4/overtime.html): `fullTime` is the running score (0:0 from kick-off),
//   `halfTime` is set at the break and then frozen. After extra time `fullTime` includes the extra-time goals
//   (the docs: "EXTRA_TIME ⇒ 120 minutes"; `extraTime` counts only the extra-time goals). After a shoot-out the
//   docs say `fullTime` is "the match ended after a penalty shootout" score, i.e. WITH the shoot-out goals (their
//   sample as quoted in aquario-ufpb/aquario#222: 1:1 a.e.t., 6:5 on penalties → fullTime 7:6); `regularTime` (v4)
//   holds the 90-minute goals. Public
//   reports show the feed is not always consistent (vanalmsick/sweepstake#64: fullTime 3:5 = 1:1 + pens 2:4;
//   other clients' fixtures have a level fullTime with no breakdown at all). Canonical scores are the goals
//   scored in play (regular + extra time, never the shoot-out), so for PENALTY_SHOOTOUT: regularTime + extraTime
//   when both are present; else fullTime − penalties when that is not negative (negative means fullTime did not
//   include the shoot-out: fullTime as is); else a level fullTime as is (a single match only goes to penalties
//   level); else no score, with a note in `discarded` (rather than a shoot-out-inflated one).
// - a CANCELLED match can carry a score (FL1 2024 Montpellier–Saint-Étienne, stopped at 0:2): kept as reported.
// - knockout matches whose teams are not decided yet have `homeTeam`/`awayTeam` with null id and name: dropped.
// - `stage` REGULAR_SEASON is a plain league (null); others are kept as the provider's word (GROUP_STAGE, LAST_16).
//   `group` ("GROUP_G") has no canonical field yet: it rides along as `group` on the record. Two-legged knockout
//   rounds number their legs as `matchday` 1 and 2.
// - the free tier's lists carry no goals/bookings/substitutions: `events` is null (nothing said), never []. Match
//   detail (paid tiers) has them: minute + `injuryTime` → extraMinute, goal type REGULAR/PENALTY/OWN, card
//   YELLOW/YELLOW_RED/RED; refs are built from the event's content plus an occurrence counter.
// - team names and person names are trimmed/collapsed; names differ from other providers ("Bayer 04 Leverkusen"),
//   which identity resolution handles — this adapter reports name, shortName and tla as the provider has them
//   (typos included: Crvena Zvezda's shortName is "Crvena Zvedza" in the CL 2023 capture).
// - a match listed twice keeps its first copy; a resultSet.count that disagrees with the list is noted.
// - standings: only TOTAL tables (HOME/AWAY are subsets), one per group in group stages. `form` is "W,D,L,W,W",
//   most recent FIRST (checked on a real capture, marnielcorna/tablas scripts/standings.js, La Liga 2020/21 final
//   table, a v2-era capture: Barcelona "W,L,D,D,W" = Eibar W, Celta L, Levante D, Atlético D, Valencia W, newest
//   first; Eibar "L,…" and Valladolid "L,…" also end on their last-day defeats), "" in
//   HOME/AWAY tables or null (both captures here): converted to our oldest-first "WDDLW", or null.
// - scorers: `playedMatches` is missing from some captures (appearances null then); `assists`/`penalties` are
//   often null where the count is probably zero — kept null, not invented.
import type { EventType, MatchStatus } from "../../domain/vocabulary";
import type { EventRecord, MatchBatch, MatchRecord, PlayerRecord, PlayerSeasonRecord, PlayerStatsBatch, StandingRecord, StandingsBatch, TeamRecord } from "../../domain/canonical";
import { COMPETITION_CODES, COMPETITIONS, type CompetitionCode } from "../../domain/competitions";
import { cleanPersonName, cleanText, parseUtc } from "../text";
import type { FdMatch, FdMatchList, FdMatchTeam, FdScore, FdScorers, FdStandings, FdTeam } from "./schema";

const PROVIDER = "football_data" as const;

/** A canonical match plus what football-data says that canonical records cannot hold yet. */
export interface FdMatchRecord extends MatchRecord {
  /** Group of a group stage ("GROUP_G"), else null. */
  group: string | null;
  /** The kickoff time is (probably) a placeholder: see the header comment. */
  kickoffProvisional: boolean;
}

export interface FdMatchBatch extends MatchBatch {
  matches: FdMatchRecord[];
}

interface Pair {
  home: number;
  away: number;
}

// ---------------------------------------------------------------- matches

/** A whole `/competitions/{code}/matches` answer; the resultSet count is checked against what arrived. */
export function normalizeMatchList(list: FdMatchList, ctx: { competition: CompetitionCode; season: number }): FdMatchBatch {
  const batch = normalizeMatches(list.matches, ctx);
  const count = list.resultSet?.count;
  if (count != null && count !== list.matches.length) {
    batch.discarded.push(`resultSet.count is ${count} but ${list.matches.length} matches arrived`);
  }
  return batch;
}

/**
 * Matches of one competition and season (as `/competitions/{code}/matches` answers; lists mixing competitions go
 * through normalizeByCompetition). Matches of another season are dropped, and said so.
 */
export function normalizeMatches(raw: FdMatch[], ctx: { competition: CompetitionCode; season: number }): FdMatchBatch {
  const teams = new Map<string, TeamRecord>();
  const players = new Map<string, PlayerRecord>();
  const matches: FdMatchRecord[] = [];
  const discarded: string[] = [];
  const timed: { record: FdMatchRecord; matchday: number }[] = [];
  const seen = new Set<number>();

  for (const m of raw) {
    const season = seasonOf(m);
    if (season != null && season !== ctx.season) {
      discarded.push(`match ${m.id}: season ${season}, not ${ctx.season}`);
      continue;
    }
    if (seen.has(m.id)) {
      discarded.push(`match ${m.id}: listed twice, kept the first`);
      continue;
    }
    seen.add(m.id);
    const kickoff = parseUtc(m.utcDate);
    if (!kickoff) {
      discarded.push(`match ${m.id}: unreadable utcDate ${JSON.stringify(m.utcDate)}`);
      continue;
    }
    const status = statusOf(m.status, m.score.duration);
    if (!status) {
      discarded.push(`match ${m.id}: unknown status ${JSON.stringify(m.status)}`);
      continue;
    }
    const home = teamOf(m.homeTeam);
    const away = teamOf(m.awayTeam);
    if (!home || !away) {
      discarded.push(`match ${m.id}: teams not decided yet (${m.homeTeam.name ?? "?"} – ${m.awayTeam.name ?? "?"})`);
      continue;
    }
    teams.set(home.ref, home);
    teams.set(away.ref, away);

    let score: Pair | null = null;
    let halftime: Pair | null = null;
    if (status !== "scheduled") {
      const inPlay = inPlayScore(m.score);
      score = inPlay.score;
      if (inPlay.note) discarded.push(`match ${m.id}: ${inPlay.note}`);
      halftime = pair(m.score.halfTime);
    }

    const record: FdMatchRecord = {
      ref: String(m.id),
      matchday: m.matchday,
      stage: stageOf(m.stage),
      group: cleanText(m.group),
      kickoff,
      kickoffProvisional: m.status === "SCHEDULED",
      status,
      minute: IN_PLAY.has(status) ? minuteOf(m.minute) : null,
      homeRef: home.ref,
      awayRef: away.ref,
      homeScore: score?.home ?? null,
      awayScore: score?.away ?? null,
      halftimeHome: halftime?.home ?? null,
      halftimeAway: halftime?.away ?? null,
      extraTimeHome: score ? (pair(m.score.extraTime ?? null)?.home ?? null) : null,
      extraTimeAway: score ? (pair(m.score.extraTime ?? null)?.away ?? null) : null,
      penaltiesHome: score ? (pair(m.score.penalties ?? null)?.home ?? null) : null,
      penaltiesAway: score ? (pair(m.score.penalties ?? null)?.away ?? null) : null,
      venue: cleanText(m.venue),
      attendance: m.attendance,
      sourceUpdatedAt: parseUtc(m.lastUpdated),
      events: eventsOf(m, home.ref, away.ref, players, discarded),
    };
    matches.push(record);
    if (m.status === "TIMED" && m.matchday != null) timed.push({ record, matchday: m.matchday });
  }
  flagPlaceholderMatchdays(timed);

  return {
    provider: PROVIDER,
    competition: ctx.competition,
    season: ctx.season,
    teams: [...teams.values()],
    players: [...players.values()],
    matches,
    discarded,
  };
}

/**
 * Matches of several competitions (`/matches`, `/teams/{id}/matches`): one batch per competition and season
 * (season = the year `season.startDate` starts in, else `fallbackSeason`). Matches of competitions we do not track
 * or did not ask for are dropped with a note (on the first batch, or an empty one for the first asked competition).
 */
export function normalizeByCompetition(
  raw: FdMatch[],
  opts: { competitions: readonly CompetitionCode[] | null; fallbackSeason: number },
): FdMatchBatch[] {
  const groups = new Map<string, { competition: CompetitionCode; season: number; matches: FdMatch[] }>();
  const notes: string[] = [];
  for (const m of raw) {
    const code = m.competition?.code ?? null;
    const competition = code ? canonicalCode(code) : null;
    if (!competition || (opts.competitions && !opts.competitions.includes(competition))) {
      notes.push(`match ${m.id}: competition ${code ?? "?"} is not ${opts.competitions ? `one of ${opts.competitions.join(",")}` : "tracked"}`);
      continue;
    }
    const season = seasonOf(m) ?? opts.fallbackSeason;
    const key = `${competition}:${season}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { competition, season, matches: [] }));
    group.matches.push(m);
  }
  const batches = [...groups.values()].map((g) => normalizeMatches(g.matches, { competition: g.competition, season: g.season }));
  if (notes.length) {
    const first = batches[0] ?? (opts.competitions?.[0] ? normalizeMatches([], { competition: opts.competitions[0], season: opts.fallbackSeason }) : null);
    if (first) {
      first.discarded.push(...notes);
      if (!batches.length) batches.push(first);
    }
  }
  return batches;
}

const IN_PLAY = new Set<MatchStatus>(["live", "halftime", "extra_time", "penalties"]);

/** football-data's status (+ score.duration while in play) → canonical; null for a word we do not know. */
export function statusOf(status: string, duration: string | null): MatchStatus | null {
  switch (status) {
    case "SCHEDULED":
    case "TIMED":
      return "scheduled";
    case "IN_PLAY":
    case "LIVE": // v2's filter word; tolerated
      return duration === "EXTRA_TIME" ? "extra_time" : duration === "PENALTY_SHOOTOUT" ? "penalties" : "live";
    case "EXTRA_TIME": // not in the v4 docs' list; tolerated should it appear
      return "extra_time";
    case "PENALTY_SHOOTOUT":
      return "penalties";
    case "PAUSED":
      return "halftime";
    case "FINISHED":
      return "finished";
    case "AWARDED":
      return "awarded";
    case "POSTPONED":
      return "postponed";
    case "SUSPENDED":
      return "suspended";
    case "CANCELLED":
    case "CANCELED":
      return "cancelled";
    default:
      return null;
  }
}

/** Goals scored in play (regular + extra time, never the shoot-out); see the header comment. */
export function inPlayScore(s: FdScore): { score: Pair | null; note: string | null } {
  const ft = pair(s.fullTime);
  if (s.duration === "PENALTY_SHOOTOUT") {
    const rt = pair(s.regularTime);
    const et = pair(s.extraTime);
    if (rt && et) return { score: { home: rt.home + et.home, away: rt.away + et.away }, note: null };
    const pen = pair(s.penalties);
    if (ft && pen) {
      const home = ft.home - pen.home;
      const away = ft.away - pen.away;
      return { score: home >= 0 && away >= 0 ? { home, away } : ft, note: null };
    }
    if (ft && ft.home === ft.away) return { score: ft, note: null };
    if (ft) {
      return {
        score: null,
        note: `fullTime ${ft.home}:${ft.away} after a penalty shoot-out without regularTime/extraTime/penalties: goals in play unknown, score left empty`,
      };
    }
    return { score: null, note: null };
  }
  if (ft) return { score: ft, note: null };
  if (s.duration === "EXTRA_TIME") {
    const rt = pair(s.regularTime);
    const et = pair(s.extraTime);
    if (rt && et) return { score: { home: rt.home + et.home, away: rt.away + et.away }, note: null };
  }
  return { score: null, note: null };
}

function pair(p: { home: number | null; away: number | null } | null): Pair | null {
  return p && p.home != null && p.away != null ? { home: p.home, away: p.away } : null;
}

function seasonOf(m: FdMatch): number | null {
  const y = /^(\d{4})-/.exec(m.season?.startDate ?? "");
  return y ? Number(y[1]) : null;
}

function stageOf(stage: string | null): string | null {
  const s = cleanText(stage);
  return !s || s === "REGULAR_SEASON" ? null : s;
}

/** The live minute: 57, "57" or "45+2" → 57 / 57 / 45. */
function minuteOf(v: number | string | null): number | null {
  if (typeof v === "number") return v >= 0 ? v : null;
  const m = v ? /^\s*(\d{1,3})(?:\s*\+\s*\d{1,2})?'?\s*$/.exec(v) : null;
  return m ? Number(m[1]) : null;
}

function teamOf(t: FdMatchTeam | FdTeam): TeamRecord | null {
  const name = cleanText(t.name) ?? cleanText(t.shortName);
  if (t.id == null || !name) return null;
  return { ref: String(t.id), name, shortName: cleanText(t.shortName), tla: cleanText(t.tla), crestUrl: cleanText(t.crest) };
}

/** TIMED matchdays whose ≥3 matches (in this batch) all share one kickoff time: flagged as placeholders. */
function flagPlaceholderMatchdays(timed: { record: FdMatchRecord; matchday: number }[]): void {
  const byMatchday = new Map<number, FdMatchRecord[]>();
  for (const t of timed) byMatchday.set(t.matchday, [...(byMatchday.get(t.matchday) ?? []), t.record]);
  for (const records of byMatchday.values()) {
    if (records.length >= 3 && new Set(records.map((r) => r.kickoff.getTime())).size === 1) {
      for (const r of records) r.kickoffProvisional = true;
    }
  }
}

// ---------------------------------------------------------------- events (match detail, paid tiers)

const GOAL_TYPES: Record<string, EventType> = { REGULAR: "goal", PENALTY: "penalty_goal", OWN: "own_goal", OWN_GOAL: "own_goal" };
const CARDS: Record<string, EventType> = { YELLOW: "yellow_card", YELLOW_RED: "second_yellow", RED: "red_card" };

function eventsOf(m: FdMatch, homeRef: string, awayRef: string, players: Map<string, PlayerRecord>, discarded: string[]): EventRecord[] | null {
  if (m.goals === null && m.bookings === null && m.substitutions === null) return null;
  const events: EventRecord[] = [];
  const occurrences = new Map<string, number>();
  const refOf = (key: string) => {
    const n = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, n);
    return `${key}#${n}`;
  };
  const teamRefOf = (team: { id: number | null } | null) => {
    const ref = team?.id != null ? String(team.id) : null;
    return ref === homeRef || ref === awayRef ? ref : null;
  };
  const person = (p: { id: number | null; name: string | null } | null, teamRef: string | null) => {
    const ref = p?.id != null ? String(p.id) : null;
    const name = cleanPersonName(p?.name);
    if (ref) {
      const known = players.get(ref);
      players.set(ref, { ref, name: known?.name ?? name, teamRef: known?.teamRef ?? teamRef });
    }
    return { ref, name };
  };
  const at = (minute: number | null, extra: number | null) => `${minute ?? "?"}+${extra ?? 0}`;

  for (const g of m.goals ?? []) {
    const teamRef = teamRefOf(g.team);
    const rawType = cleanText(g.type);
    const type = (rawType && GOAL_TYPES[rawType]) || "goal";
    // The own-goal scorer plays for the other side; which side `team` names for own goals is not documented.
    const scorer = person(g.scorer, type === "own_goal" ? null : teamRef);
    const assist = person(g.assist, teamRef);
    events.push({
      ref: refOf(`goal:${at(g.minute, g.injuryTime)}:${teamRef ?? "?"}:${scorer.ref ?? scorer.name ?? "?"}`),
      type,
      minute: g.minute,
      extraMinute: g.injuryTime,
      teamRef,
      playerRef: scorer.ref,
      playerName: scorer.name,
      assistRef: assist.ref,
      assistName: assist.name,
      detail: rawType && !GOAL_TYPES[rawType] ? rawType : null,
      scoreHome: g.score?.home ?? null,
      scoreAway: g.score?.away ?? null,
    });
  }
  for (const b of m.bookings ?? []) {
    const type = b.card ? CARDS[b.card] : undefined;
    if (!type) {
      discarded.push(`match ${m.id}: booking with unknown card ${JSON.stringify(b.card)}`);
      continue;
    }
    const teamRef = teamRefOf(b.team);
    const player = person(b.player, teamRef);
    events.push({
      ref: refOf(`card:${at(b.minute, b.injuryTime)}:${teamRef ?? "?"}:${player.ref ?? player.name ?? "?"}`),
      type,
      minute: b.minute,
      extraMinute: b.injuryTime,
      teamRef,
      playerRef: player.ref,
      playerName: player.name,
      assistRef: null,
      assistName: null,
      detail: null,
      scoreHome: null,
      scoreAway: null,
    });
  }
  for (const s of m.substitutions ?? []) {
    const teamRef = teamRefOf(s.team);
    const on = person(s.playerIn, teamRef);
    const off = person(s.playerOut, teamRef);
    events.push({
      ref: refOf(`sub:${at(s.minute, s.injuryTime)}:${teamRef ?? "?"}:${on.ref ?? on.name ?? "?"}>${off.ref ?? off.name ?? "?"}`),
      type: "substitution",
      minute: s.minute,
      extraMinute: s.injuryTime,
      teamRef,
      playerRef: on.ref,
      playerName: on.name,
      assistRef: off.ref,
      assistName: off.name,
      detail: null,
      scoreHome: null,
      scoreAway: null,
    });
  }
  // Chronological (stable: same-minute events keep goals, cards, substitutions order).
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.minute ?? 999) - (b.e.minute ?? 999) || (a.e.extraMinute ?? 0) - (b.e.extraMinute ?? 0) || a.i - b.i)
    .map(({ e }) => e);
}

// ---------------------------------------------------------------- standings

export function normalizeStandings(raw: FdStandings, ctx: { competition: CompetitionCode; season: number }): StandingsBatch {
  const teams = new Map<string, TeamRecord>();
  const rows: StandingRecord[] = [];
  for (const table of raw.standings.filter((s) => s.type === "TOTAL")) {
    const group = cleanText(table.group);
    for (const r of table.table) {
      const team = teamOf(r.team)!; // fdTeam: id and name are required by the schema
      teams.set(team.ref, team);
      rows.push({
        teamRef: team.ref,
        group,
        position: r.position,
        played: r.playedGames,
        won: r.won,
        drawn: r.draw,
        lost: r.lost,
        goalsFor: r.goalsFor,
        goalsAgainst: r.goalsAgainst,
        points: r.points,
        form: formOf(r.form),
      });
    }
  }
  return { provider: PROVIDER, competition: ctx.competition, season: ctx.season, teams: [...teams.values()], rows };
}

/** "W,D,L,W,W" (newest first) → "WWLDW" (oldest first); "", null or anything but W/D/L → null. */
export function formOf(raw: string | null): string | null {
  const cleaned = cleanText(raw);
  if (!cleaned) return null;
  const results = (cleaned.includes(",") ? cleaned.split(",") : [...cleaned.replace(/\s+/g, "")]).map((r) => r.trim().toUpperCase());
  if (!results.length || results.some((r) => !/^[WDL]$/.test(r))) return null;
  return results.reverse().join("");
}

// ---------------------------------------------------------------- scorers

export function normalizeScorers(raw: FdScorers, ctx: { competition: CompetitionCode; season: number }): PlayerStatsBatch {
  const teams = new Map<string, TeamRecord>();
  const players = new Map<string, PlayerRecord>();
  const stats: PlayerSeasonRecord[] = [];
  for (const s of raw.scorers) {
    const team = s.team ? teamOf(s.team) : null;
    if (team) teams.set(team.ref, team);
    const ref = String(s.player.id);
    const name = cleanPersonName(s.player.name) ?? cleanText([s.player.firstName, s.player.lastName].filter(Boolean).join(" "));
    players.set(ref, {
      ref,
      name,
      teamRef: team?.ref ?? null,
      nationality: cleanText(s.player.nationality),
      birthDate: /^\d{4}-\d{2}-\d{2}/.exec(s.player.dateOfBirth ?? "")?.[0] ?? null,
      position: positionOf(s.player.position),
    });
    stats.push({
      playerRef: ref,
      teamRef: team?.ref ?? null,
      appearances: s.playedMatches,
      minutes: null,
      goals: s.goals,
      assists: s.assists,
      penalties: s.penalties,
      yellowCards: null,
      redCards: null,
      rating: null,
    });
  }
  return {
    provider: PROVIDER,
    competition: ctx.competition,
    season: ctx.season,
    teams: [...teams.values()],
    players: [...players.values()],
    stats,
    nextPage: null,
  };
}

/** football-data's positions (old: Goalkeeper/Defence/Midfield/Offence; new: Centre-Back, Left Winger, …) → our four. */
export function positionOf(raw: string | null): string | null {
  const p = cleanText(raw)?.toLowerCase();
  if (!p) return null;
  if (p.includes("keeper")) return "Goalkeeper";
  if (p.includes("midfield")) return "Midfielder"; // before "defen": "Defensive Midfield"
  if (p.includes("defen") || p.includes("back")) return "Defender";
  if (/offen|attack|forward|wing|striker/.test(p)) return "Attacker";
  return null;
}

// ---------------------------------------------------------------- registry

/** football-data's competition code → our canonical code (null if we do not track it). */
export function canonicalCode(footballDataCode: string): CompetitionCode | null {
  return COMPETITION_CODES.find((c) => COMPETITIONS[c].ids.footballData === footballDataCode) ?? null;
}
