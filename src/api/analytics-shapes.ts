// Response shapes (zod, for OpenAPI) of the analytics routes, and the extra standings fields added to
// /v1/competitions/{code}/standings, so the integrator can document them.
import { z } from "@hono/zod-openapi";
import { TeamRefSchema } from "./schemas";
import { orNull } from "./nullable-ref";

export const standingsTypeParam = z.enum(["total", "home", "away"]);

/** Fields the standings rows gained with the analytics issue. */
export const StandingRowExtras = z
  .object({
    previousPosition: z.number().int().nullable().openapi({ description: "Position after the previous matchday (total table)" }),
    positionChange: z.number().int().nullable().openapi({ description: "previousPosition − position: positive = moved up" }),
  })
  .openapi("StandingRowExtras");

export const standingsExtras = (r: { position: number; previousPosition: number | null }) => ({
  previousPosition: r.previousPosition,
  positionChange: r.previousPosition == null ? null : r.previousPosition - r.position,
});


const EloPoint = z.object({ matchId: z.number().int(), kickoff: z.string(), rating: z.number(), change: z.number() });

export const RatingRowSchema = z
  .object({
    rank: z.number().int(),
    team: TeamRefSchema,
    elo: z.number(),
    matches: z.number().int().openapi({ description: "Matches rated this season" }),
    lastChange: z.number().nullable(),
  })
  .openapi("RatingRow");

export const RatingMetaSchema = z
  .object({
    model: z.string(),
    basis: z.enum(["stored", "computed_on_read"]),
    parameters: z.object({ initial: z.number(), newcomer: z.number(), k: z.number(), homeAdvantage: z.number(), seasonRegression: z.number() }),
  })
  .openapi("RatingMeta");

export const CompetitionRatingsSchema = z
  .object({ data: z.object({ competition: z.object({ code: z.string() }), season: z.number().int(), ratings: z.array(RatingRowSchema) }), meta: RatingMetaSchema })
  .openapi("CompetitionRatings");

export const TeamRatingSchema = z
  .object({
    data: z.object({
      team: TeamRefSchema,
      season: z.number().int().nullable(),
      ratings: z.array(
        z.object({ competition: z.object({ code: z.string() }), season: z.number().int(), elo: z.number(), rank: z.number().int(), of: z.number().int(), matches: z.number().int(), history: z.array(EloPoint) }),
      ),
    }),
    meta: RatingMetaSchema,
  })
  .openapi("TeamRating");

const ScoreProb = z.object({ home: z.number().int(), away: z.number().int(), probability: z.number() });

export const PredictionSchema = z
  .object({
    data: z.object({
      match: z.object({
        id: z.number().int(),
        competition: z.object({ code: z.string() }),
        season: z.number().int(),
        kickoff: z.string(),
        status: z.string(),
        home: TeamRefSchema,
        away: TeamRefSchema,
        score: z.object({ home: z.number().int().nullable(), away: z.number().int().nullable() }),
      }),
      probabilities: z.object({ home: z.number(), draw: z.number(), away: z.number() }).openapi({ description: "Sum to 1" }),
      expectedGoals: z.object({ home: z.number(), away: z.number() }),
      mostLikelyScores: z.array(ScoreProb),
    }),
    meta: z.object({
      model: z.string(),
      fittedOn: z.number().int().openapi({ description: "Finished matches of the competition in the 365 days before kickoff" }),
      asOf: z.string(),
      homeAdvantage: z.number().openapi({ description: "Multiplier on the home side's scoring rate" }),
      rho: z.number(),
    }),
  })
  .openapi("Prediction");

const MatchLite = z.object({
  id: z.number().int(),
  competition: z.object({ code: z.string() }),
  season: z.number().int(),
  kickoff: z.string(),
  status: z.string(),
  home: TeamRefSchema,
  away: TeamRefSchema,
  score: z.object({ home: z.number().int().nullable(), away: z.number().int().nullable() }),
});

export const HeadToHeadSchema = z
  .object({
    data: z.object({
      team: TeamRefSchema,
      opponent: TeamRefSchema,
      summary: z.object({ played: z.number().int(), won: z.number().int(), drawn: z.number().int(), lost: z.number().int(), goalsFor: z.number().int(), goalsAgainst: z.number().int() }),
      matches: z.array(MatchLite),
      next: MatchLite.nullable(),
    }),
  })
  .openapi("HeadToHead");

export const LeaderSchema = z
  .object({
    player: z.object({ id: z.number().int(), name: z.string().nullable() }),
    team: orNull(TeamRefSchema),
    goals: z.number().int(),
    assists: z.number().int().nullable(),
    penaltyGoals: z.number().int(),
    appearances: z.number().int().nullable(),
    minutes: z.number().int().nullable(),
    per90: z.object({ goals: z.number(), assists: z.number().nullable(), goalsAndAssists: z.number().nullable() }).nullable(),
  })
  .openapi("PlayerLeader");

export const LeadersSchema = z
  .object({ data: z.array(LeaderSchema), meta: z.object({ competition: z.string(), season: z.number().int(), basis: z.string() }) })
  .openapi("PlayerLeaders");

const TermSchema = z.object({ name: z.string(), input: z.number().nullable(), coefficient: z.number(), contribution: z.number(), factor: z.number() });

export const MarketValuesSchema = z
  .object({
    data: z.object({
      player: z.object({ id: z.number().int(), name: z.string().nullable() }),
      values: z.array(
        z.object({
          asOf: z.string(),
          valueEur: z.number().int(),
          modelVersion: z.string(),
          features: z.record(z.string(), z.unknown()),
          explanation: z
            .object({ baseEur: z.number(), terms: z.array(TermSchema), modelEur: z.number(), previousEur: z.number().nullable(), previousWeight: z.number(), valueEur: z.number() })
            .nullable()
            .openapi({ description: "Null when the row's model version is no longer known" }),
        }),
      ),
    }),
    meta: z.object({ currentModel: z.string(), note: z.string() }),
  })
  .openapi("MarketValues");
