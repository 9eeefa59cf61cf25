// Response schemas of the public API (zod, with OpenAPI names). /openapi.json is generated from these and from
// the request schemas in params.ts; test/openapi.test.ts checks real responses against them.
import { z } from "@hono/zod-openapi";
import { EVENT_TYPES, MATCH_STATUSES, PROVIDERS } from "../domain/vocabulary";
import { MatchDetailExtrasSchema, TeamDetailExtrasSchema } from "./detail-shapes";
import { orNull } from "./nullable-ref";

const isoTime = z.string().openapi({ format: "date-time", example: "2023-11-24T19:30:00Z" });

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://matchday-edge.dev/problems/400" }),
    title: z.string().openapi({ example: "Invalid request" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().optional().openapi({ example: "The query is invalid: query.season: must be a whole number" }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem details (application/problem+json)." });

export const TeamRefSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    shortName: z.string().nullable(),
    crest: z.string().nullable().optional(),
  })
  .openapi("TeamRef");

export const CompetitionSchema = z
  .object({
    code: z.string().openapi({ example: "BL1" }),
    name: z.string(),
    country: z.string().nullable(),
    type: z.string().nullable().optional(),
    seasons: z.array(z.number().int()).openapi({ description: "Seasons stored, by start year." }),
  })
  .openapi("Competition");

export const MatchSchema = z
  .object({
    id: z.number().int(),
    competition: z.object({ code: z.string() }),
    season: z.number().int().openapi({ description: "Start year of the season (2023 = 2023/24)." }),
    matchday: z.number().int().nullable(),
    stage: z.string().nullable(),
    group: z.string().nullable(),
    kickoff: isoTime,
    kickoffLocal: z
      .string()
      .optional()
      .openapi({ format: "date-time", description: "With `?tz=`: the kickoff in that zone, with its offset.", example: "2024-03-31T00:30:00+01:00" }),
    kickoffTentative: z.boolean().openapi({ description: "The provider has not fixed the kickoff time yet." }),
    status: z.enum(MATCH_STATUSES),
    minute: z.number().int().nullable(),
    home: TeamRefSchema,
    away: TeamRefSchema,
    score: z.object({
      home: z.number().int().nullable(),
      away: z.number().int().nullable(),
      halftime: z.object({ home: z.number().int().nullable(), away: z.number().int().nullable() }),
    }),
    venue: z.string().nullable(),
  })
  .openapi("Match");

const PersonRef = z.object({ id: z.number().int().nullable(), name: z.string().nullable() });

export const EventSchema = z
  .object({
    id: z.number().int().openapi({ description: "Stable while the provider keeps reporting the event." }),
    minute: z.number().int().nullable(),
    extraMinute: z.number().int().nullable(),
    type: z.enum(EVENT_TYPES),
    team: z.object({ id: z.number().int() }).nullable(),
    player: PersonRef.nullable(),
    assist: PersonRef.nullable(),
    detail: z.string().nullable(),
    score: z.object({ home: z.number().int(), away: z.number().int() }).nullable().openapi({ description: "Score after a goal event." }),
  })
  .openapi("Event");

/** /v1/matches/{id}: the match, its events, and lineups, statistics, player stats, odds and predictions (null when unknown). */
export const MatchDetailSchema = MatchSchema.extend({ events: z.array(EventSchema) })
  .extend(MatchDetailExtrasSchema.shape)
  .openapi("MatchDetail");

export const PageSchema = z.object({
  nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
  limit: z.number().int(),
});

export const StandingRowSchema = z
  .object({
    position: z.number().int(),
    team: TeamRefSchema,
    played: z.number().int(),
    won: z.number().int(),
    drawn: z.number().int(),
    lost: z.number().int(),
    goalsFor: z.number().int(),
    goalsAgainst: z.number().int(),
    goalDifference: z.number().int(),
    points: z.number().int(),
    form: z.string().nullable().openapi({ description: "Last five results, oldest first (W/D/L)." }),
  })
  .openapi("StandingRow");

export const StandingsSchema = z
  .object({
    competition: z.object({ code: z.string(), name: z.string() }),
    season: z.number().int(),
    table: z.array(StandingRowSchema),
  })
  .openapi("Standings");

export const ScorerSchema = z
  .object({
    player: z.object({ id: z.number().int(), name: z.string().nullable() }),
    team: orNull(TeamRefSchema),
    goals: z.number().int(),
    assists: z.number().int().nullable().optional(),
    penalties: z.number().int().nullable().optional(),
    appearances: z.number().int().nullable().optional(),
  })
  .openapi("Scorer");

export const TeamSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    shortName: z.string().nullable(),
    tla: z.string().nullable(),
    crest: z.string().nullable(),
    country: z.string().nullable(),
    founded: z.number().int().nullable(),
  })
  .openapi("Team");

const Margin = z.object({ matchId: z.number().int(), score: z.string(), margin: z.number().int() }).nullable();
const GoalsByInterval = z
  .record(z.string(), z.object({ for: z.number().int(), against: z.number().int() }))
  .openapi({ description: "Goals for/against by 15-minute interval (0-15 … 76-90; 91-120 is extra time)." });

/** /v1/teams/{id}: the team with its venue and club details. */
export const TeamDetailSchema = TeamSchema.extend(TeamDetailExtrasSchema.shape).openapi("TeamDetail");

const SplitSchema = z
  .object({
    played: z.number().int(),
    won: z.number().int(),
    drawn: z.number().int(),
    lost: z.number().int(),
    goalsFor: z.number().int(),
    goalsAgainst: z.number().int(),
    goalDifference: z.number().int(),
    cleanSheets: z.number().int(),
    failedToScore: z.number().int(),
    points: z.number().int(),
    pointsPerGame: z.number().nullable(),
    biggestWin: Margin,
    biggestLoss: Margin,
    goalsByInterval: GoalsByInterval,
  })
  .openapi("TeamRecord");

export const TeamSeasonStatsSchema = z
  .object({
    team: TeamSchema,
    season: z.number().int().nullable(),
    competitions: z.array(
      z.object({
        competition: z.object({ code: z.string() }),
        season: z.number().int().nullable(),
        total: SplitSchema,
        home: SplitSchema,
        away: SplitSchema,
        form: z.string(),
        biggestWin: Margin,
        biggestLoss: Margin,
        goalsByInterval: GoalsByInterval,
      }),
    ),
  })
  .openapi("TeamSeasonStats");

export const PlayerSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    nationality: z.string().nullable(),
    birthDate: z.string().nullable(),
    position: z.string().nullable(),
    team: orNull(TeamRefSchema),
  })
  .openapi("Player");

export const PlayerSeasonStatsSchema = z
  .object({
    competition: z.object({ code: z.string() }),
    season: z.number().int(),
    team: orNull(TeamRefSchema),
    appearances: z.number().int().nullable(),
    minutes: z.number().int().nullable(),
    goals: z.number().int().nullable(),
    assists: z.number().int().nullable(),
    penalties: z.number().int().nullable(),
    yellowCards: z.number().int().nullable(),
    redCards: z.number().int().nullable(),
    rating: z.number().nullable(),
    source: z.enum(PROVIDERS),
    per90: z.object({ goals: z.number(), assists: z.number() }).nullable(),
  })
  .openapi("PlayerSeasonStats");

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded", "down"]),
    db: z.enum(["ok", "down"]),
    cache: z.enum(["ok", "down", "disabled"]),
  })
  .openapi("Health");

export const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The key's first characters, to recognise it." }),
    ratePerMinute: z.number().int(),
    dailyQuota: z.number().int(),
    createdAt: isoTime,
    revokedAt: isoTime.nullable(),
    lastUsedAt: isoTime.nullable().openapi({ description: "Approximate (updated at most every few minutes)." }),
  })
  .openapi("ApiKey");

const percentileMs = z.number().nullable().openapi({ description: "Upper bound of the histogram bucket holding the percentile." });
const WindowSchema = z
  .object({
    requests: z.number().int(),
    perSecond: z.number(),
    status: z.object({ "2xx": z.number().int(), "3xx": z.number().int(), "4xx": z.number().int(), "5xx": z.number().int() }),
    latencyMs: z.object({ p50: percentileMs, p95: percentileMs, p99: percentileMs }),
    cache: z.object({
      hit: z.number().int(),
      miss: z.number().int(),
      bypass: z.number().int(),
      stale: z.number().int(),
      hitRatio: z.number().nullable(),
      edgeHits: z.number().int(),
      redisHits: z.number().int(),
    }),
  })
  .openapi("RequestWindow");

export const MetricsSchema = z
  .object({
    generatedAt: isoTime,
    requests: z.object({ last5m: WindowSchema, last1h: WindowSchema, last24h: WindowSchema }).nullable().openapi({ description: "Null without Redis." }),
    jobs: z.record(z.string(), z.unknown()).openapi({ description: "Units by window → job → status (units, avgMs, p95Ms, rowsWritten), backlog, recentFailures." }),
  })
  .openapi("Metrics");

/** `{ data: T }` — the envelope of every read. */
export const dataOf = <T extends z.ZodType>(schema: T) => z.object({ data: schema });
