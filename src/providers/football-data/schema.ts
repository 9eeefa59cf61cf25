// zod schemas of football-data.org v4's real payloads (see test/fixtures/football-data/README.md for the recordings):
//   GET /competitions/{code}/matches    { filters, resultSet, competition, matches[] }
//   GET /matches                        { filters, resultSet, matches[] }           (live: ?competitions=&status=)
//   GET /teams/{id}/matches             { filters, resultSet, matches[] }           (resultSet also has wins/draws/losses)
//   GET /competitions/{code}/standings  { filters, area, competition, season, standings[] }
//   GET /competitions/{code}/scorers    { count, filters, competition, season, scorers[] }
//   GET /teams/{id}                     one club: { id, name, …, address, website, founded, venue, coach, squad[] }
//   GET /competitions/{code}/teams      { count, filters, competition, season, teams[] } (the same club objects)
// Strict where our logic depends on it (ids of matches and table teams, utcDate, status, table numbers); lenient
// where the real data varies: nulls everywhere in `score`, the optional score blocks (regularTime, extraTime,
// penalties) that only knockout matches carry, `odds`/`referees` (not read, so not validated: unknown keys are
// stripped), team ids and names that are null for knockout matches whose teams are not known yet, and the
// paid-tier match detail blocks (goals, bookings, substitutions) that the free tier's lists do not carry.
import { z } from "zod";

const int = z.number().int();
const nullableInt = int.nullish().transform((v) => v ?? null);
const nullableString = z.string().nullish().transform((v) => v ?? null);

/** A team as it appears inside a match: all null for a knockout slot whose team is not decided yet. */
export const fdMatchTeam = z.object({
  id: nullableInt,
  name: nullableString,
  shortName: nullableString,
  tla: nullableString,
  crest: nullableString,
});

/** A team in a table or scorer list (always a real team). Extra club fields (address, venue, …) are stripped. */
export const fdTeam = z.object({
  id: int,
  name: z.string(),
  shortName: nullableString,
  tla: nullableString,
  crest: nullableString,
});

/** `{ home, away }`; v2-style `{ homeTeam, awayTeam }` keys are accepted too (seen in older captures). */
const scorePair = z.preprocess(
  (v) => {
    if (v && typeof v === "object" && !("home" in v) && ("homeTeam" in v || "awayTeam" in v)) {
      const o = v as { homeTeam?: unknown; awayTeam?: unknown };
      return { home: o.homeTeam, away: o.awayTeam };
    }
    return v;
  },
  z.object({ home: nullableInt, away: nullableInt }),
);
const optionalPair = scorePair.nullish().transform((v) => v ?? null);

export const fdScore = z.object({
  winner: nullableString,
  /** REGULAR | EXTRA_TIME | PENALTY_SHOOTOUT: how the match ended, or (in play) which phase it is in. */
  duration: nullableString,
  /** The running score while in play; see normalize.ts for what it contains after extra time / penalties. */
  fullTime: optionalPair,
  halfTime: optionalPair,
  /** Since v4, knockout matches only: goals of the 90 minutes, of extra time, of the shoot-out. */
  regularTime: optionalPair,
  extraTime: optionalPair,
  penalties: optionalPair,
});

const person = z.object({ id: nullableInt, name: nullableString });
const optionalPerson = person.nullish().transform((v) => v ?? null);
const eventTeam = z
  .object({ id: nullableInt, name: nullableString })
  .nullish()
  .transform((v) => v ?? null);
/** "57", 57 or "45+2" (the live minute); anything else reads as unknown. */
const minuteValue = z
  .union([int, z.string()])
  .nullish()
  .transform((v) => v ?? null);

export const fdGoal = z.object({
  minute: nullableInt,
  injuryTime: nullableInt,
  /** REGULAR | PENALTY | OWN (other words kept as detail). */
  type: nullableString,
  team: eventTeam,
  scorer: optionalPerson,
  assist: optionalPerson,
  score: optionalPair,
});

export const fdBooking = z.object({
  minute: nullableInt,
  injuryTime: nullableInt,
  team: eventTeam,
  player: optionalPerson,
  /** YELLOW | YELLOW_RED | RED */
  card: nullableString,
});

export const fdSubstitution = z.object({
  minute: nullableInt,
  injuryTime: nullableInt,
  team: eventTeam,
  playerOut: optionalPerson,
  playerIn: optionalPerson,
});

const competitionRef = z.object({ id: nullableInt, name: nullableString, code: nullableString });
const seasonRef = z.object({ id: nullableInt, startDate: nullableString, endDate: nullableString, currentMatchday: nullableInt });

export const fdMatch = z.object({
  id: int,
  utcDate: z.string(),
  /** SCHEDULED | TIMED | IN_PLAY | PAUSED | FINISHED | SUSPENDED | POSTPONED | CANCELLED | AWARDED (mapped in normalize). */
  status: z.string(),
  matchday: nullableInt,
  stage: nullableString,
  group: nullableString,
  lastUpdated: nullableString,
  competition: competitionRef.nullish().transform((v) => v ?? null),
  season: seasonRef.nullish().transform((v) => v ?? null),
  homeTeam: fdMatchTeam,
  awayTeam: fdMatchTeam,
  score: fdScore,
  // Match detail / paid tiers only; absent from the free tier's lists.
  venue: nullableString,
  attendance: nullableInt,
  minute: minuteValue,
  injuryTime: nullableInt,
  goals: z.array(fdGoal).nullish().transform((v) => v ?? null),
  bookings: z.array(fdBooking).nullish().transform((v) => v ?? null),
  substitutions: z.array(fdSubstitution).nullish().transform((v) => v ?? null),
});

/** /competitions/{code}/matches, /matches and /teams/{id}/matches share this envelope. */
export const fdMatchList = z.object({
  filters: z.record(z.string(), z.unknown()).nullish(),
  resultSet: z.object({ count: nullableInt }).nullish(),
  competition: competitionRef.nullish(),
  matches: z.array(fdMatch),
});

export const fdTableRow = z.object({
  position: int,
  team: fdTeam,
  playedGames: int,
  /** "W,D,L,W,W" (most recent first), "" or null. */
  form: nullableString,
  won: int,
  draw: int,
  lost: int,
  points: int,
  goalsFor: int,
  goalsAgainst: int,
  goalDifference: nullableInt,
});

export const fdStandings = z.object({
  filters: z.record(z.string(), z.unknown()).nullish(),
  competition: competitionRef.nullish(),
  season: seasonRef.nullish(),
  standings: z.array(
    z.object({
      stage: nullableString,
      /** TOTAL | HOME | AWAY */
      type: z.string(),
      group: nullableString,
      table: z.array(fdTableRow),
    }),
  ),
});

export const fdScorer = z.object({
  player: z.object({
    id: int,
    name: nullableString,
    firstName: nullableString,
    lastName: nullableString,
    dateOfBirth: nullableString,
    nationality: nullableString,
    position: nullableString,
  }),
  team: fdTeam.nullish().transform((v) => v ?? null),
  /** Not in every capture (the 2022 World Cup one has none). */
  playedMatches: nullableInt,
  goals: nullableInt,
  assists: nullableInt,
  penalties: nullableInt,
});

export const fdScorers = z.object({
  count: nullableInt,
  filters: z.record(z.string(), z.unknown()).nullish(),
  competition: competitionRef.nullish(),
  season: seasonRef.nullish(),
  scorers: z.array(fdScorer),
});

/** Error bodies: `{ message, errorCode }` (errorCode is missing from some 403s). */
/** A club as /teams/{id} and /competitions/{code}/teams give it. `venue` is only the stadium's name. */
export const fdClub = z.object({
  id: int,
  name: z.string(),
  shortName: nullableString,
  tla: nullableString,
  crest: nullableString,
  area: z
    .object({ name: nullableString })
    .nullish()
    .transform((v) => v ?? null),
  address: nullableString,
  website: nullableString,
  founded: nullableInt,
  clubColors: nullableString,
  venue: nullableString,
  coach: z
    .object({ name: nullableString, firstName: nullableString, lastName: nullableString, nationality: nullableString })
    .nullish()
    .transform((v) => v ?? null),
  lastUpdated: nullableString,
});
export type FdClub = z.infer<typeof fdClub>;

export const fdCompetitionTeams = z.object({
  teams: z.array(fdClub),
});
export type FdCompetitionTeams = z.infer<typeof fdCompetitionTeams>;

export const fdErrorBody = z.object({ message: nullableString, errorCode: nullableInt });

export type FdMatch = z.infer<typeof fdMatch>;
export type FdMatchList = z.infer<typeof fdMatchList>;
export type FdScore = z.infer<typeof fdScore>;
export type FdMatchTeam = z.infer<typeof fdMatchTeam>;
export type FdTeam = z.infer<typeof fdTeam>;
export type FdStandings = z.infer<typeof fdStandings>;
export type FdScorers = z.infer<typeof fdScorers>;
export type FdGoal = z.infer<typeof fdGoal>;
export type FdBooking = z.infer<typeof fdBooking>;
export type FdSubstitution = z.infer<typeof fdSubstitution>;
