// Canonical Postgres model (Drizzle). One row per real-world competition, season, team, player and match,
// whatever provider(s) it came from; provider ids live only in `external_refs`. All times are UTC timestamptz.
// drizzle-kit generates migrations/ from this file (`npm run db:generate`).
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ENTITY_KINDS, EVENT_TYPES, MATCH_STATUSES, PROVIDERS } from "../domain/vocabulary";

export const JOB_NAMES = [
  "update_matches",
  "update_live_matches",
  "update_team_stats",
  "update_player_stats",
  "update_market_values",
  // Match and team detail (README "Match and team detail"): lineups/statistics/player stats, odds and
  // provider predictions, team venues and club details. They ride on the crons above (schedule.ts).
  "update_match_details",
  "update_odds",
  "update_team_details",
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const JOB_STATUSES = ["queued", "running", "retrying", "succeeded", "skipped", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const providerEnum = pgEnum("provider", PROVIDERS);
export const matchStatusEnum = pgEnum("match_status", MATCH_STATUSES);
export const eventTypeEnum = pgEnum("event_type", EVENT_TYPES);
export const entityKindEnum = pgEnum("entity_kind", ENTITY_KINDS);
export const jobStatusEnum = pgEnum("job_status", JOB_STATUSES);

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => tstz("created_at").notNull().defaultNow();
const updatedAt = () => tstz("updated_at").notNull().defaultNow();

// Foreign-key columns used by many tables (references are lazy, so order of definition does not matter).
const matchFk = () =>
  integer("match_id")
    .notNull()
    .references(() => matches.id, { onDelete: "cascade" });
const seasonFk = () =>
  integer("season_id")
    .notNull()
    .references(() => seasons.id);
const teamFk = () =>
  integer("team_id")
    .notNull()
    .references(() => teams.id);

export const competitions = pgTable("competitions", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  country: text("country"),
  type: text("type").notNull().default("league"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const seasons = pgTable(
  "seasons",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    competitionId: integer("competition_id")
      .notNull()
      .references(() => competitions.id),
    year: smallint("year").notNull(),
    name: text("name").notNull(),
    startDate: date("start_date"),
    endDate: date("end_date"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("seasons_competition_year").on(t.competitionId, t.year)],
);

export const teams = pgTable(
  "teams",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    shortName: text("short_name"),
    tla: text("tla"),
    crestUrl: text("crest_url"),
    country: text("country"),
    founded: smallint("founded"),
    // { name, address, city, capacity, surface, image }: merged per field from team_details (precedence.ts).
    venue: jsonb("venue"),
    coach: text("coach"),
    address: text("address"),
    website: text("website"),
    // Lower-case, accent- and punctuation-free name used to match the same club across providers.
    nameKey: text("name_key").notNull(),
    // The provider whose values currently fill the descriptive fields (precedence, see ingest/README).
    sourceProvider: providerEnum("source_provider").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("teams_name_key").on(t.nameKey)],
);

export const players = pgTable(
  "players",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    // Null while no provider has given a usable name (OpenLigaDB often sends "" for goal scorers).
    name: text("name"),
    nameKey: text("name_key"),
    nationality: text("nationality"),
    birthDate: date("birth_date"),
    position: text("position"),
    teamId: integer("team_id").references(() => teams.id),
    sourceProvider: providerEnum("source_provider").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("players_name_key").on(t.nameKey)],
);

export const matches = pgTable(
  "matches",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    competitionId: integer("competition_id")
      .notNull()
      .references(() => competitions.id),
    seasonId: seasonFk(),
    matchday: smallint("matchday"),
    stage: text("stage"),
    groupName: text("group_name"),
    kickoff: tstz("kickoff").notNull(),
    // The provider has not fixed the time yet (football-data SCHEDULED, or a whole matchday at one placeholder).
    kickoffTentative: boolean("kickoff_tentative").notNull().default(false),
    status: matchStatusEnum("status").notNull(),
    minute: smallint("minute"),
    homeTeamId: integer("home_team_id")
      .notNull()
      .references(() => teams.id),
    awayTeamId: integer("away_team_id")
      .notNull()
      .references(() => teams.id),
    homeScore: smallint("home_score"),
    awayScore: smallint("away_score"),
    halftimeHome: smallint("halftime_home"),
    halftimeAway: smallint("halftime_away"),
    // Goals of the extra-time periods only, and the shoot-out score, when a provider breaks them out.
    extraTimeHome: smallint("extra_time_home"),
    extraTimeAway: smallint("extra_time_away"),
    penaltiesHome: smallint("penalties_home"),
    penaltiesAway: smallint("penalties_away"),
    venue: text("venue"),
    attendance: integer("attendance"),
    // Derived from match_observations by domain/fusion.ts: the provider holding the status and score, and its
    // own last-modified time.
    sourceProvider: providerEnum("source_provider").notNull(),
    sourceUpdatedAt: tstz("source_updated_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("matches_season_kickoff").on(t.seasonId, t.kickoff, t.id),
    index("matches_kickoff").on(t.kickoff, t.id),
    index("matches_home_team").on(t.homeTeamId, t.kickoff),
    index("matches_away_team").on(t.awayTeamId, t.kickoff),
    index("matches_status")
      .on(t.status)
      .where(sql`${t.status} in ('live', 'halftime', 'extra_time', 'penalties')`),
  ],
);

export const matchEvents = pgTable(
  "match_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    matchId: matchFk(),
    type: eventTypeEnum("type").notNull(),
    minute: smallint("minute"),
    extraMinute: smallint("extra_minute"),
    teamId: integer("team_id").references(() => teams.id),
    playerId: integer("player_id").references(() => players.id),
    // Names as the provider reported them: some events name a player without an id.
    playerName: text("player_name"),
    assistPlayerId: integer("assist_player_id").references(() => players.id),
    assistName: text("assist_name"),
    detail: text("detail"),
    // Running score after the event (goals only), as the provider reported it.
    scoreHome: smallint("score_home"),
    scoreAway: smallint("score_away"),
    // One canonical event per real event (domain/fusion.ts): the provider whose values it shows and that
    // provider's key, and `provider:ref` of every provider event it was matched with.
    provider: providerEnum("provider").notNull(),
    providerEventId: text("provider_event_id").notNull(),
    sources: text("sources").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("match_events_match").on(t.matchId), index("match_events_player").on(t.playerId)],
);

// Each provider's latest observation of each match, as it said it: the input of domain/fusion.ts, which derives
// the canonical `matches` row and its `match_events` from all of a match's observations. Events are the
// provider's complete list (null: it never sent one), teams as the match side, players as canonical ids.
export const matchObservations = pgTable(
  "match_observations",
  {
    matchId: matchFk(),
    provider: providerEnum("provider").notNull(),
    // Our clock, taken before the request, of the fetch that brought this content; and of the latest fetch
    // that still reported it (moved only while the match is in play, so unchanged data writes nothing).
    fetchedAt: tstz("fetched_at").notNull(),
    seenAt: tstz("seen_at").notNull(),
    // The provider's own last-modified time, where it sends one.
    sourceUpdatedAt: tstz("source_updated_at"),
    status: matchStatusEnum("status").notNull(),
    minute: smallint("minute"),
    homeScore: smallint("home_score"),
    awayScore: smallint("away_score"),
    halftimeHome: smallint("halftime_home"),
    halftimeAway: smallint("halftime_away"),
    extraTimeHome: smallint("extra_time_home"),
    extraTimeAway: smallint("extra_time_away"),
    penaltiesHome: smallint("penalties_home"),
    penaltiesAway: smallint("penalties_away"),
    kickoff: tstz("kickoff").notNull(),
    kickoffProvisional: boolean("kickoff_provisional").notNull(),
    matchday: smallint("matchday"),
    stage: text("stage"),
    groupName: text("group_name"),
    venue: text("venue"),
    attendance: integer("attendance"),
    homeTeamId: integer("home_team_id")
      .notNull()
      .references(() => teams.id),
    awayTeamId: integer("away_team_id")
      .notNull()
      .references(() => teams.id),
    events: jsonb("events"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.provider] })],
);

export const matchTeamStats = pgTable(
  "match_team_stats",
  {
    matchId: matchFk(),
    teamId: teamFk(),
    provider: providerEnum("provider").notNull(),
    possession: real("possession"),
    shots: smallint("shots"),
    shotsOnTarget: smallint("shots_on_target"),
    corners: smallint("corners"),
    fouls: smallint("fouls"),
    offsides: smallint("offsides"),
    yellowCards: smallint("yellow_cards"),
    redCards: smallint("red_cards"),
    passes: smallint("passes"),
    passAccuracy: real("pass_accuracy"),
    expectedGoals: real("expected_goals"),
    extra: jsonb("extra"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.teamId] })],
);

export const lineups = pgTable(
  "lineups",
  {
    matchId: matchFk(),
    teamId: teamFk(),
    provider: providerEnum("provider").notNull(),
    formation: text("formation"),
    coach: text("coach"),
    // [{ playerId, name, number, position, grid }]
    startXI: jsonb("start_xi").notNull(),
    substitutes: jsonb("substitutes").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.teamId] })],
);

// One provider's numbers for one player in one match (API-Football /fixtures/players). The source of
// per-match ratings and minutes; feeds player season stats when a provider has no season endpoint.
export const matchPlayerStats = pgTable(
  "match_player_stats",
  {
    matchId: matchFk(),
    playerId: integer("player_id")
      .notNull()
      .references(() => players.id),
    teamId: teamFk(),
    provider: providerEnum("provider").notNull(),
    number: smallint("number"),
    position: text("position"),
    captain: boolean("captain"),
    substitute: boolean("substitute"),
    minutes: smallint("minutes"),
    rating: real("rating"),
    goals: smallint("goals"),
    assists: smallint("assists"),
    shots: smallint("shots"),
    shotsOnTarget: smallint("shots_on_target"),
    passes: smallint("passes"),
    keyPasses: smallint("key_passes"),
    passesAccurate: smallint("passes_accurate"),
    tackles: smallint("tackles"),
    duels: smallint("duels"),
    duelsWon: smallint("duels_won"),
    dribbles: smallint("dribbles"),
    dribblesSuccess: smallint("dribbles_success"),
    yellowCards: smallint("yellow_cards"),
    redCards: smallint("red_cards"),
    // Less common counters (saves, conceded, blocks, interceptions, fouls, offsides, penalties …).
    extra: jsonb("extra"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.playerId] }), index("match_player_stats_player").on(t.playerId)],
);

// Pre-match odds per bookmaker and market as the provider quoted them (decimal odds); implied probabilities
// are derived on read (src/analytics/odds.ts). `line` separates the lines of one market ("2.5" of Over/Under).
export const matchOdds = pgTable(
  "match_odds",
  {
    matchId: matchFk(),
    provider: providerEnum("provider").notNull(),
    bookmakerId: text("bookmaker_id").notNull(),
    bookmaker: text("bookmaker").notNull(),
    market: text("market").notNull(),
    line: text("line").notNull().default(""),
    // [{ name, odds }] in the provider's order.
    selections: jsonb("selections").notNull(),
    // The provider's own time of these odds.
    sourceUpdatedAt: tstz("source_updated_at"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.provider, t.bookmakerId, t.market, t.line] })],
);

// Outcome predictions per source: a provider's (source = provider name) and, later, our own model's
// (source = "model:<version>", the analytics issue). Probabilities are 0–1.
export const matchPredictions = pgTable(
  "match_predictions",
  {
    matchId: matchFk(),
    source: text("source").notNull(),
    homeWin: real("home_win"),
    draw: real("draw"),
    awayWin: real("away_win"),
    winnerTeamId: integer("winner_team_id").references(() => teams.id),
    winnerComment: text("winner_comment"),
    winOrDraw: boolean("win_or_draw"),
    underOver: text("under_over"),
    goalsHome: text("goals_home"),
    goalsAway: text("goals_away"),
    advice: text("advice"),
    // { form: { home, away }, att: …, total: … } as 0–1 shares.
    comparison: jsonb("comparison"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.source] })],
);

// What each provider says about a club (venue, founded, crest, coach …); merged per field into `teams`.
export const teamDetails = pgTable(
  "team_details",
  {
    teamId: teamFk(),
    provider: providerEnum("provider").notNull(),
    country: text("country"),
    founded: smallint("founded"),
    crestUrl: text("crest_url"),
    venue: jsonb("venue"),
    coach: text("coach"),
    address: text("address"),
    website: text("website"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.provider] })],
);

export const standings = pgTable(
  "standings",
  {
    seasonId: seasonFk(),
    // "computed" for our own table, else the provider whose table this is (kept for cross-checks).
    source: text("source").notNull(),
    teamId: teamFk(),
    position: smallint("position").notNull(),
    played: smallint("played").notNull(),
    won: smallint("won").notNull(),
    drawn: smallint("drawn").notNull(),
    lost: smallint("lost").notNull(),
    goalsFor: smallint("goals_for").notNull(),
    goalsAgainst: smallint("goals_against").notNull(),
    points: smallint("points").notNull(),
    form: text("form"),
    // Computed tables only: the position after the previous matchday (null before the second matchday).
    previousPosition: smallint("previous_position"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.seasonId, t.source, t.teamId] })],
);

export const teamSeasonStats = pgTable(
  "team_season_stats",
  {
    seasonId: seasonFk(),
    teamId: teamFk(),
    stats: jsonb("stats").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.seasonId, t.teamId] })],
);

export const playerSeasonStats = pgTable(
  "player_season_stats",
  {
    seasonId: seasonFk(),
    playerId: integer("player_id")
      .notNull()
      .references(() => players.id),
    teamId: integer("team_id").references(() => teams.id),
    appearances: smallint("appearances"),
    minutes: integer("minutes"),
    goals: smallint("goals"),
    assists: smallint("assists"),
    penalties: smallint("penalties"),
    yellowCards: smallint("yellow_cards"),
    redCards: smallint("red_cards"),
    rating: real("rating"),
    extra: jsonb("extra"),
    sourceProvider: providerEnum("source_provider").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.seasonId, t.playerId] })],
);

// Our player season figures for one competition season, computed by update_team_stats from canonical goal and
// card events merged with the best provider's season stats (appearances, minutes, rating): see
// analytics/player-stats.ts. Kept apart from player_season_stats, which holds what providers report.
export const playerSeasonComputed = pgTable(
  "player_season_computed",
  {
    seasonId: seasonFk(),
    playerId: integer("player_id")
      .notNull()
      .references(() => players.id),
    teamId: integer("team_id").references(() => teams.id),
    goals: smallint("goals").notNull(),
    assists: smallint("assists"),
    stats: jsonb("stats").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.seasonId, t.playerId] }), index("player_season_computed_goals").on(t.seasonId, t.goals)],
);

export const marketValues = pgTable(
  "market_values",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    playerId: integer("player_id")
      .notNull()
      .references(() => players.id),
    asOf: date("as_of").notNull(),
    valueEur: bigint("value_eur", { mode: "number" }).notNull(),
    modelVersion: text("model_version").notNull(),
    features: jsonb("features").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("market_values_player_as_of").on(t.playerId, t.asOf)],
);

export const externalRefs = pgTable(
  "external_refs",
  {
    kind: entityKindEnum("kind").notNull(),
    provider: providerEnum("provider").notNull(),
    externalId: text("external_id").notNull(),
    canonicalId: integer("canonical_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.provider, t.externalId] }),
    index("external_refs_canonical").on(t.kind, t.canonicalId),
  ],
);

// Two providers disagreeing about a fact (a final score, a status); read by operators through the admin API.
export const providerDisagreements = pgTable(
  "provider_disagreements",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    kind: entityKindEnum("kind").notNull(),
    canonicalId: integer("canonical_id").notNull(),
    field: text("field").notNull(),
    // { provider: value } for every provider that reported the field.
    values: jsonb("values").notNull(),
    detectedAt: tstz("detected_at").notNull().defaultNow(),
    resolvedAt: tstz("resolved_at"),
  },
  (t) => [uniqueIndex("provider_disagreements_fact").on(t.kind, t.canonicalId, t.field)],
);

// One row per unit of queued work (job × provider × competition × season); `runId` groups the units of one
// dispatch (a cron firing or an admin request).
export const jobRuns = pgTable(
  "job_runs",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    runId: uuid("run_id").notNull(),
    job: text("job").notNull(),
    trigger: text("trigger").notNull(),
    provider: providerEnum("provider"),
    competition: text("competition"),
    season: smallint("season"),
    params: jsonb("params"),
    status: jobStatusEnum("status").notNull().default("queued"),
    attempts: smallint("attempts").notNull().default(0),
    rowsWritten: integer("rows_written"),
    counts: jsonb("counts"),
    error: text("error"),
    queuedAt: tstz("queued_at").notNull().defaultNow(),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
  },
  (t) => [index("job_runs_job_queued").on(t.job, t.queuedAt), index("job_runs_run_id").on(t.runId)],
);

export const apiKeys = pgTable("api_keys", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  keyPrefix: text("key_prefix").notNull(),
  keyHash: text("key_hash").notNull().unique(),
  ratePerMinute: integer("rate_per_minute").notNull(),
  dailyQuota: integer("daily_quota").notNull(),
  createdAt: createdAt(),
  revokedAt: tstz("revoked_at"),
  lastUsedAt: tstz("last_used_at"),
});
