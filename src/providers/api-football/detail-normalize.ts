// API-Football v3 match and team detail → canonical records. Quirks handled here (real samples in
// shared/provider-samples, documented examples for odds/predictions/teams):
// - lineups, statistics and players come from their own endpoints (`/fixtures/lineups?fixture=` …) or embedded
//   in `/fixtures?ids=` items; neither says which side is home, so the caller passes the fixture's teams and a
//   team that is neither is dropped (noted). An empty `response`/list means "not known yet" (lineups appear
//   ~20–40 min before kickoff): it becomes null, never an empty lineup;
// - statistics are `{ type, value }` pairs with values as numbers, percent strings ("47%", "85%"), decimal
//   strings (`expected_goals`: "2.73") or null; types are matched case- and space-insensitively; unknown types
//   are noted, not guessed;
// - player stats: `rating` is a string ("8.2", "8"), `passes.accuracy` is the NUMBER of accurate passes as a
//   string ("26" of 29 passes), not a percentage (the season endpoint's `accuracy` is one); `fouls.commited` and
//   `penalty.commited` (sic); a substitute who did not come on has `minutes: null` and is kept as such;
// - the same player is "J. Oblak" in the lineup and "Jan Oblak" in the player stats: the longer name is kept;
// - odds: `odd` is a decimal string ("1.72"), `value` a string or a number (Exact Goals Number: 4); bookmakers
//   carry different bet sets. Only markets whose outcomes are mutually exclusive and complete are kept (so that
//   the margin can be removed, src/analytics/odds.ts); over/under lines ("Over 2.5") are split into one market
//   line each; other bets are counted in `discarded`. An odd ≤ 1 or missing is dropped (noted);
// - predictions: `percent` and `comparison` are percent strings ("45%", "51.5%") → 0–1; the prediction does not
//   repeat the fixture id: the caller passes it;
// - teams: `venue` may be null or have null fields; `code` is a three-letter code.
import type { LineupPlayerRecord, LineupRecord, MatchDetailBatch, MatchDetailRecord, MatchTarget, OddsBatch, OddsRecord, PlayerMatchStatsRecord, PlayerRecord, PredictionBatch, TeamDetailBatch, TeamMatchStatsRecord, TeamRecord } from "../../domain/canonical";
import type { CompetitionCode } from "../../domain/competitions";
import { cleanPersonName, cleanText, parseUtc } from "../text";
import { afFixtureDetail, afLineup, afLineupPlayerItem, afOddsItem, afPlayerMatchStatistics, afPrediction, afTeamInfo, afTeamPlayers, afTeamStatistics } from "./detail-schema";
import { ODDS_MARKETS } from "../../domain/odds-markets";
import { crestOf, positionOf, teamOf } from "./normalize";
import { parseItems } from "./schema";

const PROVIDER = "api_football" as const;

/** The fixture a detail payload belongs to, with its two teams (the payloads do not say which is home). */
export type DetailTarget = MatchTarget;

type Part = "lineups" | "statistics" | "players";

/** Accumulates players named by lineups and player stats; the longer name form wins. */
function playerBook() {
  const players = new Map<string, PlayerRecord>();
  return {
    players,
    add(id: number | null, name: string | null, teamRef: string, position: string | null) {
      if (id == null) return;
      const ref = String(id);
      const known = players.get(ref);
      const clean = cleanPersonName(name);
      const longer = known?.name && (!clean || known.name.length >= clean.length) ? known.name : clean;
      players.set(ref, { ref, name: longer ?? null, teamRef: known?.teamRef ?? teamRef, position: known?.position ?? position });
    },
  };
}

/** Keeps only entries of the fixture's two teams; the rest is noted. */
function ofFixture<T extends { team: { id: number } }>(items: T[], target: DetailTarget, what: string, notes: string[]): T[] {
  return items.filter((x) => {
    const ok = String(x.team.id) === target.homeRef || String(x.team.id) === target.awayRef;
    if (!ok) notes.push(`match ${target.ref}: ${what} of team ${x.team.id}, neither home nor away, left out`);
    return ok;
  });
}

// --- lineups --------------------------------------------------------------------------------------------
export function normalizeLineups(raw: unknown, target: DetailTarget, book: ReturnType<typeof playerBook>, notes: string[]): LineupRecord[] | null {
  const parsed = parseItems(afLineup, raw, `match ${target.ref}: lineup`);
  notes.push(...parsed.invalid);
  const lineups = ofFixture(parsed.items, target, "lineup", notes).flatMap((l): LineupRecord[] => {
    const teamRef = String(l.team.id);
    const people = (list: unknown[], starters: boolean): LineupPlayerRecord[] =>
      parseItems(afLineupPlayerItem, list, `match ${target.ref}: lineup player`).items.map((p) => {
        const position = positionOf(p.pos);
        book.add(p.id, p.name, teamRef, position);
        return { ref: p.id != null ? String(p.id) : null, name: cleanPersonName(p.name), number: p.number, position, grid: starters ? cleanText(p.grid) : null };
      });
    const startXI = people(l.startXI, true);
    if (!startXI.length) return []; // a team entry without starters is not a lineup yet
    return [{ teamRef, formation: cleanText(l.formation), coach: cleanPersonName(l.coach?.name), startXI, substitutes: people(l.substitutes, false) }];
  });
  return lineups.length ? lineups : null;
}

// --- team statistics ------------------------------------------------------------------------------------
type StatField = Exclude<keyof TeamMatchStatsRecord, "teamRef">;
const STAT_TYPES: Record<string, StatField> = {
  "shots on goal": "shotsOnTarget",
  "shots off goal": "shotsOffTarget",
  "total shots": "shots",
  "blocked shots": "blockedShots",
  "shots insidebox": "shotsInsideBox",
  "shots outsidebox": "shotsOutsideBox",
  fouls: "fouls",
  "corner kicks": "corners",
  offsides: "offsides",
  "ball possession": "possession",
  "yellow cards": "yellowCards",
  "red cards": "redCards",
  "goalkeeper saves": "saves",
  "total passes": "passes",
  "passes accurate": "passesAccurate",
  "passes %": "passAccuracy",
  expected_goals: "expectedGoals",
};
/** Types seen that we do not store (no canonical field), so they are not reported as unknown. */
const IGNORED_STAT_TYPES = new Set(["goals_prevented"]);

/** "47%", "2.73", 9, null → number | null. */
export function statValue(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string") return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(v);
  return m ? Number(m[1]) : null;
}

export function normalizeTeamStatistics(raw: unknown, target: DetailTarget, notes: string[]): TeamMatchStatsRecord[] | null {
  const parsed = parseItems(afTeamStatistics, raw, `match ${target.ref}: statistics`);
  notes.push(...parsed.invalid);
  const unknown = new Set<string>();
  const out = ofFixture(parsed.items, target, "statistics", notes).flatMap((s): TeamMatchStatsRecord[] => {
    const rec = { teamRef: String(s.team.id) } as TeamMatchStatsRecord;
    for (const f of Object.values(STAT_TYPES)) rec[f] = null;
    let any = false;
    for (const { type, value } of s.statistics) {
      const key = (type ?? "").trim().toLowerCase().replace(/\s+/g, " ");
      const field = STAT_TYPES[key];
      if (!field) {
        if (key && !IGNORED_STAT_TYPES.has(key)) unknown.add(type!);
        continue;
      }
      rec[field] = statValue(value);
      if (rec[field] != null) any = true;
    }
    return any ? [rec] : []; // every value null: the provider has nothing for this team yet
  });
  if (unknown.size) notes.push(`match ${target.ref}: statistics types not stored: ${[...unknown].join(", ")}`);
  return out.length ? out : null;
}

// --- player match statistics ----------------------------------------------------------------------------
export function normalizePlayerMatchStats(raw: unknown, target: DetailTarget, book: ReturnType<typeof playerBook>, notes: string[]): PlayerMatchStatsRecord[] | null {
  const parsed = parseItems(afTeamPlayers, raw, `match ${target.ref}: players`);
  notes.push(...parsed.invalid);
  const out: PlayerMatchStatsRecord[] = [];
  for (const t of ofFixture(parsed.items, target, "player statistics", notes)) {
    const teamRef = String(t.team.id);
    for (const p of t.players) {
      if (p.player.id == null) {
        notes.push(`match ${target.ref}: player statistics without a player id (${p.player.name ?? "no name"}) left out`);
        continue;
      }
      const entries = parseItems(afPlayerMatchStatistics, p.statistics, `match ${target.ref}: player ${p.player.id} statistics`);
      notes.push(...entries.invalid);
      const s = entries.items[0];
      if (!s) continue;
      const position = positionOf(s.games.position);
      book.add(p.player.id, p.player.name, teamRef, position);
      const extra: Record<string, number | null> = {
        saves: s.goals.saves,
        conceded: s.goals.conceded,
        blocks: s.tackles.blocks,
        interceptions: s.tackles.interceptions,
        dribbledPast: s.dribbles.past,
        foulsDrawn: s.fouls.drawn,
        foulsCommitted: s.fouls.committed,
        offsides: s.offsides,
        penaltyWon: s.penalty.won,
        penaltyCommitted: s.penalty.committed,
        penaltyScored: s.penalty.scored,
        penaltyMissed: s.penalty.missed,
        penaltySaved: s.penalty.saved,
      };
      out.push({
        playerRef: String(p.player.id),
        teamRef,
        number: s.games.number,
        position,
        captain: s.games.captain,
        substitute: s.games.substitute,
        minutes: s.games.minutes,
        rating: s.games.rating,
        goals: s.goals.total,
        assists: s.goals.assists,
        shots: s.shots.total,
        shotsOnTarget: s.shots.on,
        passes: s.passes.total,
        keyPasses: s.passes.key,
        passesAccurate: s.passes.accuracy,
        tackles: s.tackles.total,
        duels: s.duels.total,
        duelsWon: s.duels.won,
        dribbles: s.dribbles.attempts,
        dribblesSuccess: s.dribbles.success,
        yellowCards: s.cards.yellow,
        redCards: s.cards.red,
        extra: Object.fromEntries(Object.entries(extra).filter((e): e is [string, number] => e[1] != null)),
      });
    }
  }
  return out.length ? out : null;
}

// --- one fixture's detail -------------------------------------------------------------------------------
/** Normalizes the given parts of one fixture (`undefined` part = not in this payload → null, kept as stored). */
export function normalizeDetail(
  target: DetailTarget,
  parts: Partial<Record<Part, unknown>>,
  book = playerBook(),
  notes: string[] = [],
): MatchDetailRecord {
  return {
    matchRef: target.ref,
    lineups: parts.lineups === undefined || parts.lineups === null ? null : normalizeLineups(parts.lineups, target, book, notes),
    statistics: parts.statistics === undefined || parts.statistics === null ? null : normalizeTeamStatistics(parts.statistics, target, notes),
    players: parts.players === undefined || parts.players === null ? null : normalizePlayerMatchStats(parts.players, target, book, notes),
  };
}

/** One standalone endpoint's response (`/fixtures/lineups` etc.) → a batch for that fixture. */
export function normalizeDetailResponse(part: Part, response: unknown, target: DetailTarget): MatchDetailBatch {
  const book = playerBook();
  const notes: string[] = [];
  const detail = normalizeDetail(target, { [part]: response }, book, notes);
  return { provider: PROVIDER, players: [...book.players.values()], details: [detail], discarded: notes };
}

/** `/fixtures?ids=` response → every fixture's embedded lineups, statistics and players. */
export function normalizeFixtureDetails(response: unknown): MatchDetailBatch {
  const book = playerBook();
  const notes: string[] = [];
  const parsed = parseItems(afFixtureDetail, response, "fixture");
  notes.push(...parsed.invalid);
  const details = parsed.items.map((f) =>
    normalizeDetail(
      { ref: String(f.fixture.id), homeRef: String(f.teams.home.id), awayRef: String(f.teams.away.id) },
      { lineups: f.lineups ?? null, statistics: f.statistics ?? null, players: f.players ?? null },
      book,
      notes,
    ),
  );
  return { provider: PROVIDER, players: [...book.players.values()], details, discarded: notes };
}

// --- odds -----------------------------------------------------------------------------------------------
const MARKET_BY_KEY = new Map(Object.keys(ODDS_MARKETS).map((m) => [m.toLowerCase(), m]));

export function normalizeOdds(response: unknown, ctx: { page: number; paging: { current: number | null; total: number | null } }): OddsBatch {
  const parsed = parseItems(afOddsItem, response, "odds");
  const discarded = [...parsed.invalid];
  const odds: OddsRecord[] = [];
  const skippedBets = new Set<string>();
  for (const item of parsed.items) {
    const matchRef = String(item.fixture.id);
    const sourceUpdatedAt = parseUtc(item.update);
    for (const bm of item.bookmakers) {
      const bookmaker = cleanText(bm.name) ?? `bookmaker ${bm.id}`;
      const lines = new Map<string, OddsRecord>();
      for (const bet of bm.bets) {
        const market = MARKET_BY_KEY.get((bet.name ?? "").trim().toLowerCase());
        if (!market) {
          if (bet.name) skippedBets.add(bet.name);
          continue;
        }
        for (const v of bet.values) {
          const label = cleanText(v.value);
          if (!label || v.odd == null || !(v.odd > 1)) {
            discarded.push(`match ${matchRef}: ${bookmaker} ${market} ${JSON.stringify(v.value)} has no usable odd (${v.odd})`);
            continue;
          }
          const lined = ODDS_MARKETS[market]!.lined ? /^(over|under)\s+(\d+(?:\.\d+)?)$/i.exec(label) : null;
          const line = lined ? lined[2]! : "";
          const name = lined ? lined[1]![0]!.toUpperCase() + lined[1]!.slice(1).toLowerCase() : label;
          const key = `${market}|${line}`;
          if (!lines.has(key)) lines.set(key, { matchRef, bookmakerRef: String(bm.id), bookmaker, market, line, selections: [], sourceUpdatedAt });
          lines.get(key)!.selections.push({ name, odds: v.odd });
        }
      }
      odds.push(...lines.values());
    }
  }
  if (skippedBets.size) discarded.push(`odds: ${skippedBets.size} bet types without exclusive outcomes not kept (${[...skippedBets].slice(0, 8).join(", ")}${skippedBets.size > 8 ? ", …" : ""})`);
  const current = Math.max(ctx.page, ctx.paging.current ?? 0);
  const total = ctx.paging.total ?? current;
  return {
    provider: PROVIDER,
    matchRefs: [...new Set(parsed.items.map((i) => String(i.fixture.id)))],
    odds,
    nextPage: current < total ? current + 1 : null,
    discarded,
  };
}

// --- predictions ----------------------------------------------------------------------------------------
const share = (v: number | null) => (v == null ? null : Math.round(v * 10) / 1000); // "51.5%" → 0.515

export function normalizePrediction(response: unknown, target: DetailTarget): PredictionBatch {
  const parsed = parseItems(afPrediction, response, `match ${target.ref}: prediction`);
  const discarded = [...parsed.invalid];
  const p = parsed.items[0];
  if (!p) return { provider: PROVIDER, predictions: [], discarded };
  const home = String(p.teams.home.id);
  const away = String(p.teams.away.id);
  if (home !== target.homeRef || away !== target.awayRef) {
    discarded.push(`match ${target.ref}: prediction is for ${home} v ${away}, not ${target.homeRef} v ${target.awayRef}; left out`);
    return { provider: PROVIDER, predictions: [], discarded };
  }
  const w = p.predictions.winner;
  const winnerRef = w.id != null && (String(w.id) === home || String(w.id) === away) ? String(w.id) : null;
  const comparison = p.comparison ? Object.fromEntries(Object.entries(p.comparison).map(([k, v]) => [k, { home: share(v.home), away: share(v.away) }])) : null;
  return {
    provider: PROVIDER,
    predictions: [
      {
        matchRef: target.ref,
        homeWin: share(p.predictions.percent.home),
        draw: share(p.predictions.percent.draw),
        awayWin: share(p.predictions.percent.away),
        winnerTeamRef: winnerRef,
        winnerComment: cleanText(w.comment),
        winOrDraw: p.predictions.win_or_draw,
        underOver: cleanText(p.predictions.under_over),
        goalsHome: cleanText(p.predictions.goals.home),
        goalsAway: cleanText(p.predictions.goals.away),
        advice: cleanText(p.predictions.advice),
        comparison,
      },
    ],
    discarded,
  };
}

// --- teams ----------------------------------------------------------------------------------------------
export function normalizeTeamInfos(response: unknown, ctx: { competition: CompetitionCode; season: number }): TeamDetailBatch {
  const parsed = parseItems(afTeamInfo, response, "team");
  const discarded = [...parsed.invalid];
  const teams: TeamRecord[] = [];
  const details: TeamDetailBatch["details"] = [];
  for (const { team, venue } of parsed.items) {
    const record = teamOf({ id: team.id, name: team.name, logo: team.logo });
    if (!record) {
      discarded.push(`team ${team.id}: no name`);
      continue;
    }
    const code = cleanText(team.code);
    teams.push({ ...record, tla: code && /^[A-Z0-9]{3}$/.test(code) ? code : null });
    const v = venue && {
      name: cleanText(venue.name),
      address: cleanText(venue.address),
      city: cleanText(venue.city),
      capacity: venue.capacity,
      surface: cleanText(venue.surface),
      image: cleanText(venue.image),
    };
    details.push({
      teamRef: record.ref,
      country: cleanText(team.country),
      founded: team.founded,
      crestUrl: crestOf(team.logo),
      venue: v && Object.values(v).some((x) => x != null) ? v : null,
      coach: null, // /teams has no coach (API-Football has /coachs; lineups name the match's coach)
      address: null,
      website: null,
    });
  }
  return { provider: PROVIDER, competition: ctx.competition, season: ctx.season, teams, details, discarded };
}
