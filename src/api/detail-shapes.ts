// Public shapes of a match's detail (/v1/matches/{id}: lineups, statistics, playerStats, odds, predictions) and
// of a team's venue and club details (/v1/teams/{id}), with their zod schemas for OpenAPI. Every part is null
// when nothing is known (no provider sent it yet): never an empty invention.
import { z } from "@hono/zod-openapi";
import { consensus, MARGIN_METHOD, removeMargin, type Normalized } from "../analytics/odds";
import type { LineupRow, MatchDetailRows, OddsRow, PlayerStatsRow, PredictionRow, TeamStatsRow } from "../db/queries/match-detail";
import { ODDS_OUTCOMES } from "../domain/odds-markets";
import { orNull } from "./nullable-ref";

const iso = (t: string | null | undefined) => (t ? new Date(t).toISOString().replace(/\.000Z$/, "Z") : null);
const homeAway = <T extends z.ZodTypeAny>(item: T) => z.object({ home: orNull(item), away: orNull(item) });

// --- schemas ----------------------------------------------------------------------------------------------
const LineupPlayer = z
  .object({
    player: z.object({ id: z.number().int().nullable(), name: z.string().nullable() }),
    number: z.number().int().nullable(),
    position: z.enum(["Goalkeeper", "Defender", "Midfielder", "Attacker"]).nullable(),
    grid: z.string().nullable().openapi({ description: 'Pitch position "row:column" (1:1 = goalkeeper), starters only' }),
  })
  .openapi("LineupPlayer");

export const LineupSchema = z
  .object({
    team: z.object({ id: z.number().int() }),
    formation: z.string().nullable().openapi({ example: "4-3-3" }),
    coach: z.string().nullable(),
    startXI: z.array(LineupPlayer),
    substitutes: z.array(LineupPlayer),
    provider: z.string(),
    updatedAt: z.string().openapi({ description: "When we last stored a change" }),
  })
  .openapi("Lineup");

export const TeamMatchStatsSchema = z
  .object({
    team: z.object({ id: z.number().int() }),
    possession: z.number().nullable().openapi({ description: "Ball possession, percent (0–100)" }),
    shots: z.number().int().nullable(),
    shotsOnTarget: z.number().int().nullable(),
    shotsOffTarget: z.number().int().nullable(),
    blockedShots: z.number().int().nullable(),
    shotsInsideBox: z.number().int().nullable(),
    shotsOutsideBox: z.number().int().nullable(),
    corners: z.number().int().nullable(),
    fouls: z.number().int().nullable(),
    offsides: z.number().int().nullable(),
    yellowCards: z.number().int().nullable(),
    redCards: z.number().int().nullable(),
    saves: z.number().int().nullable(),
    passes: z.number().int().nullable(),
    passesAccurate: z.number().int().nullable(),
    passAccuracy: z.number().nullable().openapi({ description: "Completed passes, percent (0–100)" }),
    expectedGoals: z.number().nullable(),
    provider: z.string(),
    updatedAt: z.string(),
  })
  .openapi("TeamMatchStats");

export const PlayerMatchStatsSchema = z
  .object({
    player: z.object({ id: z.number().int(), name: z.string().nullable() }),
    team: z.object({ id: z.number().int() }),
    number: z.number().int().nullable(),
    position: z.string().nullable(),
    captain: z.boolean().nullable(),
    substitute: z.boolean().nullable().openapi({ description: "Started on the bench" }),
    minutes: z.number().int().nullable().openapi({ description: "Null: did not play" }),
    rating: z.number().nullable().openapi({ description: "The provider's match rating (API-Football: 0–10)" }),
    goals: z.number().int().nullable(),
    assists: z.number().int().nullable(),
    shots: z.number().int().nullable(),
    shotsOnTarget: z.number().int().nullable(),
    passes: z.number().int().nullable(),
    keyPasses: z.number().int().nullable(),
    passesAccurate: z.number().int().nullable(),
    tackles: z.number().int().nullable(),
    duels: z.number().int().nullable(),
    duelsWon: z.number().int().nullable(),
    dribbles: z.number().int().nullable(),
    dribblesSuccess: z.number().int().nullable(),
    yellowCards: z.number().int().nullable(),
    redCards: z.number().int().nullable(),
    extra: z.record(z.string(), z.number()).openapi({ description: "saves, conceded, blocks, interceptions, dribbledPast, foulsDrawn, foulsCommitted, offsides, penalty* when given" }),
    provider: z.string(),
  })
  .openapi("PlayerMatchStats");

const OddsSelection = z.object({
  name: z.string(),
  odds: z.number().openapi({ description: "Decimal odds" }),
  impliedProbability: z.number().openapi({ description: "1 / odds (margin included)" }),
  probability: z.number().nullable().openapi({ description: "Margin removed (proportional); null when the market is incomplete" }),
});

export const OddsMarketSchema = z
  .object({
    market: z.string().openapi({ example: "Match Winner" }),
    line: z.string().nullable().openapi({ description: 'The line of an over/under market ("2.5")' }),
    bookmakers: z.array(
      z.object({
        provider: z.string(),
        id: z.string(),
        name: z.string(),
        updatedAt: z.string().nullable().openapi({ description: "The provider's time of these odds" }),
        margin: z.number().nullable().openapi({ description: "Σ 1/odds − 1" }),
        selections: z.array(OddsSelection),
      }),
    ),
    consensus: z
      .array(z.object({ name: z.string(), probability: z.number() }))
      .nullable()
      .openapi({ description: "Mean of the bookmakers' margin-free probabilities, renormalized to sum to 1" }),
  })
  .openapi("OddsMarket");

export const OddsSchema = z
  .object({ method: z.literal(MARGIN_METHOD), markets: z.array(OddsMarketSchema) })
  .openapi("Odds");

export const ProviderPredictionSchema = z
  .object({
    source: z.string().openapi({ example: "api_football" }),
    homeWin: z.number().nullable().openapi({ description: "Probability 0–1" }),
    draw: z.number().nullable(),
    awayWin: z.number().nullable(),
    winner: z.object({ team: z.object({ id: z.number().int() }).nullable(), comment: z.string().nullable() }).nullable(),
    winOrDraw: z.boolean().nullable(),
    underOver: z.string().nullable().openapi({ description: '"-3.5": at most 3 goals; "+2.5": at least 3' }),
    goals: z.object({ home: z.string().nullable(), away: z.string().nullable() }),
    advice: z.string().nullable(),
    comparison: z.record(z.string(), z.object({ home: z.number().nullable(), away: z.number().nullable() })).nullable(),
    updatedAt: z.string(),
  })
  .openapi("ProviderPrediction");

/** Our Dixon–Coles model's prediction (see /v1/matches/{id}/prediction for its details). */
export const ModelPredictionSchema = z
  .object({
    model: z.string().openapi({ example: "dixon-coles-1" }),
    fittedOn: z.number().int().openapi({ description: "Finished matches of the competition in the 365 days before kickoff" }),
    probabilities: z.object({ home: z.number(), draw: z.number(), away: z.number() }).openapi({ description: "Sum to 1" }),
    expectedGoals: z.object({ home: z.number(), away: z.number() }),
    mostLikelyScores: z.array(z.object({ home: z.number().int(), away: z.number().int(), probability: z.number() })),
  })
  .openapi("ModelPrediction");
export type ModelPrediction = z.infer<typeof ModelPredictionSchema>;

export const PredictionsSchema = z
  .object({
    model: orNull(ModelPredictionSchema).openapi({ description: "Our model's prediction; null when no earlier match of the competition is stored to fit it on." }),
    providers: z.array(ProviderPredictionSchema),
  })
  .openapi("Predictions");

/** The fields /v1/matches/{id} adds to a match. */
export const MatchDetailExtrasSchema = z
  .object({
    lineups: orNull(homeAway(LineupSchema)),
    statistics: orNull(homeAway(TeamMatchStatsSchema)),
    playerStats: z.array(PlayerMatchStatsSchema).nullable(),
    odds: orNull(OddsSchema),
    predictions: orNull(PredictionsSchema),
  })
  .openapi("MatchDetailExtras");
export type MatchDetail = z.infer<typeof MatchDetailExtrasSchema>;

export const VenueSchema = z
  .object({
    name: z.string().nullable(),
    address: z.string().nullable(),
    city: z.string().nullable(),
    capacity: z.number().int().nullable(),
    surface: z.string().nullable(),
    image: z.string().nullable(),
  })
  .openapi("Venue");

/** The fields /v1/teams/{id} adds to a team. */
export const TeamDetailExtrasSchema = z
  .object({
    venue: orNull(VenueSchema),
    coach: z.string().nullable(),
    address: z.string().nullable().openapi({ description: "The club's postal address" }),
    website: z.string().nullable(),
  })
  .openapi("TeamDetailExtras");

// --- shaping ----------------------------------------------------------------------------------------------
function sides<R extends { team_id: number }, T>(rows: R[] | null, d: MatchDetailRows, shape: (r: R) => T): { home: T | null; away: T | null } | null {
  if (!rows?.length) return null;
  const home = rows.find((r) => r.team_id === d.home_team_id);
  const away = rows.find((r) => r.team_id === d.away_team_id);
  return { home: home ? shape(home) : null, away: away ? shape(away) : null };
}

const lineupPlayer = (p: LineupRow["start_xi"][number]) => ({
  player: { id: p.playerId, name: p.name },
  number: p.number,
  position: p.position as z.infer<typeof LineupPlayer>["position"],
  grid: p.grid,
});

const toLineup = (l: LineupRow): z.infer<typeof LineupSchema> => ({
  team: { id: l.team_id },
  formation: l.formation,
  coach: l.coach,
  startXI: l.start_xi.map(lineupPlayer),
  substitutes: l.substitutes.map(lineupPlayer),
  provider: l.provider,
  updatedAt: iso(l.updated_at)!,
});

const toTeamStats = (s: TeamStatsRow): z.infer<typeof TeamMatchStatsSchema> => {
  const x = s.extra ?? {};
  return {
    team: { id: s.team_id },
    possession: s.possession,
    shots: s.shots,
    shotsOnTarget: s.shots_on_target,
    shotsOffTarget: x.shotsOffTarget ?? null,
    blockedShots: x.blockedShots ?? null,
    shotsInsideBox: x.shotsInsideBox ?? null,
    shotsOutsideBox: x.shotsOutsideBox ?? null,
    corners: s.corners,
    fouls: s.fouls,
    offsides: s.offsides,
    yellowCards: s.yellow_cards,
    redCards: s.red_cards,
    saves: x.saves ?? null,
    passes: s.passes,
    passesAccurate: x.passesAccurate ?? null,
    passAccuracy: s.pass_accuracy,
    expectedGoals: s.expected_goals,
    provider: s.provider,
    updatedAt: iso(s.updated_at)!,
  };
};

const toPlayerStats = (p: PlayerStatsRow): z.infer<typeof PlayerMatchStatsSchema> => ({
  player: { id: p.player_id, name: p.name },
  team: { id: p.team_id },
  number: p.number,
  position: p.position,
  captain: p.captain,
  substitute: p.substitute,
  minutes: p.minutes,
  rating: p.rating,
  goals: p.goals,
  assists: p.assists,
  shots: p.shots,
  shotsOnTarget: p.shots_on_target,
  passes: p.passes,
  keyPasses: p.key_passes,
  passesAccurate: p.passes_accurate,
  tackles: p.tackles,
  duels: p.duels,
  duelsWon: p.duels_won,
  dribbles: p.dribbles,
  dribblesSuccess: p.dribbles_success,
  yellowCards: p.yellow_cards,
  redCards: p.red_cards,
  extra: p.extra ?? {},
  provider: p.provider,
});

/** Odds rows → markets, each bookmaker's margin removed (analytics/odds.ts) and a consensus across bookmakers. */
export function toOdds(rows: OddsRow[] | null): z.infer<typeof OddsSchema> | null {
  if (!rows?.length) return null;
  const markets = new Map<string, OddsRow[]>();
  for (const r of rows) {
    const key = `${r.market}|${r.line}`;
    markets.set(key, [...(markets.get(key) ?? []), r]);
  }
  return {
    method: MARGIN_METHOD,
    markets: [...markets.values()].map((list) => {
      const outcomes = ODDS_OUTCOMES[list[0]!.market];
      const normalized: Normalized[] = [];
      const bookmakers = list.map((r) => {
        const names = new Set(r.selections.map((s) => s.name));
        const n = removeMargin(r.selections, outcomes != null && names.size === outcomes && r.selections.length === outcomes);
        normalized.push(n);
        return { provider: r.provider, id: r.bookmaker_id, name: r.bookmaker, updatedAt: iso(r.source_updated_at), margin: n.margin, selections: n.selections };
      });
      return { market: list[0]!.market, line: list[0]!.line || null, bookmakers, consensus: consensus(normalized) };
    }),
  };
}

const toPrediction = (p: PredictionRow): z.infer<typeof ProviderPredictionSchema> => ({
  source: p.source,
  homeWin: p.home_win,
  draw: p.draw,
  awayWin: p.away_win,
  winner: p.winner_team_id != null || p.winner_comment ? { team: p.winner_team_id != null ? { id: p.winner_team_id } : null, comment: p.winner_comment } : null,
  winOrDraw: p.win_or_draw,
  underOver: p.under_over,
  goals: { home: p.goals_home, away: p.goals_away },
  advice: p.advice,
  comparison: p.comparison,
  updatedAt: iso(p.updated_at)!,
});

export function toMatchDetail(d: MatchDetailRows, model: ModelPrediction | null): MatchDetail {
  // Sources other than providers' names are our own models (written by the analytics issue).
  const providers = (d.predictions ?? []).filter((p) => !p.source.startsWith("model:")).map(toPrediction);
  return {
    lineups: sides(d.lineups, d, toLineup),
    statistics: sides(d.statistics, d, toTeamStats),
    playerStats: d.player_stats?.length ? d.player_stats.map(toPlayerStats) : null,
    odds: toOdds(d.odds),
    predictions: providers.length || model ? { model, providers } : null,
  };
}

export function toTeamDetail(t: { venue: unknown; coach: string | null; address: string | null; website: string | null }): z.infer<typeof TeamDetailExtrasSchema> {
  const v = (t.venue ?? null) as Partial<z.infer<typeof VenueSchema>> | null;
  return {
    venue: v ? { name: v.name ?? null, address: v.address ?? null, city: v.city ?? null, capacity: v.capacity ?? null, surface: v.surface ?? null, image: v.image ?? null } : null,
    coach: t.coach,
    address: t.address,
    website: t.website,
  };
}
