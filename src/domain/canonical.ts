// Canonical records: what every provider adapter produces and ingestion stores. Provider ids appear only as
// opaque `ref` strings, resolved to canonical ids through external_refs by the store.
import type { EventType, MatchStatus, Provider } from "./vocabulary";
import type { CompetitionCode } from "./competitions";

export interface TeamRecord {
  ref: string;
  name: string;
  shortName: string | null;
  tla: string | null;
  crestUrl: string | null;
}

export interface PlayerRecord {
  ref: string;
  /** Null when the provider gave no usable name; an existing name is then kept. */
  name: string | null;
  teamRef: string | null;
  nationality?: string | null;
  /** YYYY-MM-DD */
  birthDate?: string | null;
  /** Goalkeeper | Defender | Midfielder | Attacker (providers' own words mapped to these four) */
  position?: string | null;
}

export interface EventRecord {
  /** Stable within the match for this provider (its own event id, or a key built from the event's content). */
  ref: string;
  type: EventType;
  minute: number | null;
  extraMinute: number | null;
  teamRef: string | null;
  /** The acting player: scorer, booked player, player coming ON for substitutions. */
  playerRef: string | null;
  /** The player's name as reported (kept also when the provider gives no player id). */
  playerName: string | null;
  /** Assisting player for goals; player going OFF for substitutions. */
  assistRef: string | null;
  assistName: string | null;
  detail: string | null;
  scoreHome: number | null;
  scoreAway: number | null;
}

export interface MatchRecord {
  ref: string;
  matchday: number | null;
  stage: string | null;
  kickoff: Date;
  status: MatchStatus;
  minute: number | null;
  homeRef: string;
  awayRef: string;
  homeScore: number | null;
  awayScore: number | null;
  halftimeHome: number | null;
  halftimeAway: number | null;
  /** Goals of the extra-time periods only, when the provider breaks them out. */
  extraTimeHome?: number | null;
  extraTimeAway?: number | null;
  /** The shoot-out score, when there was one. */
  penaltiesHome?: number | null;
  penaltiesAway?: number | null;
  venue: string | null;
  attendance: number | null;
  /** The provider's last-modified time for this match, when it says. */
  sourceUpdatedAt: Date | null;
  /** Group of a group stage (e.g. "GROUP_G"), when the provider says. */
  group?: string | null;
  /** True when the kickoff is a placeholder the provider has not fixed yet. */
  kickoffProvisional?: boolean;
  /** The complete event list as the provider knows it now; null when this payload carries no events. */
  events: EventRecord[] | null;
}

export interface MatchBatch {
  provider: Provider;
  /**
   * When the payload was asked for (our clock, taken BEFORE the request), so a slow earlier fetch that is stored
   * late is recognisably older. Set by the job that fetched it; absent → the store's clock.
   */
  fetchedAt?: Date;
  competition: CompetitionCode;
  season: number;
  teams: TeamRecord[];
  players: PlayerRecord[];
  matches: MatchRecord[];
  /** Provider data dropped during normalization, with why (logged and counted in job_runs). */
  discarded: string[];
}

/** A provider's own league table (kept per provider to cross-check our computed one). */
/** A team's record over some matches: what every table (a provider's, ours, a team's home or away split) counts. */
export interface ResultTotals {
  played: number;
  won: number;
  drawn: number;
  lost: number;
  goalsFor: number;
  goalsAgainst: number;
  points: number;
}

export interface StandingRecord extends ResultTotals {
  teamRef: string;
  /** Group name for competitions with groups; null for a single table. */
  group: string | null;
  position: number;
  /** Last results, oldest first (W/D/L), when the provider gives them. */
  form: string | null;
}

export interface StandingsBatch {
  provider: Provider;
  competition: CompetitionCode;
  season: number;
  teams: TeamRecord[];
  rows: StandingRecord[];
}

export interface PlayerSeasonRecord {
  playerRef: string;
  teamRef: string | null;
  appearances: number | null;
  minutes: number | null;
  goals: number | null;
  assists: number | null;
  penalties: number | null;
  yellowCards: number | null;
  redCards: number | null;
  rating: number | null;
}

export interface PlayerStatsBatch {
  provider: Provider;
  competition: CompetitionCode;
  season: number;
  teams: TeamRecord[];
  players: PlayerRecord[];
  stats: PlayerSeasonRecord[];
  /** Paged endpoints: the page after this one, or null when this was the last. */
  nextPage: number | null;
}

/** What a provider said about its request budget in its response headers. */
export interface RateBudget {
  /** Requests left in the current window (minute or day, whichever is tighter), when the provider says. */
  remaining: number | null;
  /** Seconds until that window resets, when known. */
  resetSeconds: number | null;
}

// --- match and team detail (lineups, statistics, player match stats, odds, predictions, club details) -------

/** A provider's match, with its two teams, that a detail request is about (detail payloads rarely say home/away). */
export interface MatchTarget {
  ref: string;
  homeRef: string;
  awayRef: string;
}

/** One player of a lineup. `ref` null when the provider names a player without an id. */
export interface LineupPlayerRecord {
  ref: string | null;
  name: string | null;
  number: number | null;
  /** Goalkeeper | Defender | Midfielder | Attacker */
  position: string | null;
  /** The provider's pitch grid ("row:column", 1:1 = goalkeeper), starters only. */
  grid: string | null;
}

export interface LineupRecord {
  teamRef: string;
  formation: string | null;
  coach: string | null;
  startXI: LineupPlayerRecord[];
  substitutes: LineupPlayerRecord[];
}

/** A team's numbers in one match; null = the provider did not say (never 0 by default). */
export interface TeamMatchStatsRecord {
  teamRef: string;
  /** Percent of ball possession, 0–100. */
  possession: number | null;
  shots: number | null;
  shotsOnTarget: number | null;
  shotsOffTarget: number | null;
  blockedShots: number | null;
  shotsInsideBox: number | null;
  shotsOutsideBox: number | null;
  corners: number | null;
  fouls: number | null;
  offsides: number | null;
  yellowCards: number | null;
  redCards: number | null;
  saves: number | null;
  passes: number | null;
  passesAccurate: number | null;
  /** Percent of passes completed, 0–100. */
  passAccuracy: number | null;
  expectedGoals: number | null;
}

export interface PlayerMatchStatsRecord {
  playerRef: string;
  teamRef: string;
  number: number | null;
  position: string | null;
  captain: boolean | null;
  substitute: boolean | null;
  minutes: number | null;
  rating: number | null;
  goals: number | null;
  assists: number | null;
  shots: number | null;
  shotsOnTarget: number | null;
  passes: number | null;
  keyPasses: number | null;
  passesAccurate: number | null;
  tackles: number | null;
  duels: number | null;
  duelsWon: number | null;
  dribbles: number | null;
  dribblesSuccess: number | null;
  yellowCards: number | null;
  redCards: number | null;
  /** Less common counters, by name (saves, conceded, blocks, interceptions, foulsDrawn …); nulls left out. */
  extra: Record<string, number>;
}

/** What a provider said about one match's detail. A part that is null was not in the payload (kept as stored). */
export interface MatchDetailRecord {
  matchRef: string;
  /** `[]` would mean "no lineups": providers send an empty list before they have them, so it arrives as null. */
  lineups: LineupRecord[] | null;
  statistics: TeamMatchStatsRecord[] | null;
  players: PlayerMatchStatsRecord[] | null;
}

export interface MatchDetailBatch {
  provider: Provider;
  /** Players named by lineups and player stats (created or matched by identity resolution). */
  players: PlayerRecord[];
  details: MatchDetailRecord[];
  discarded: string[];
}

/** One bookmaker's prices for one market (and line) of one match, in decimal odds. */
export interface OddsRecord {
  matchRef: string;
  bookmakerRef: string;
  bookmaker: string;
  market: string;
  /** "2.5" for the 2.5 line of an over/under market; "" when the market has one line. */
  line: string;
  selections: { name: string; odds: number }[];
  sourceUpdatedAt: Date | null;
}

export interface OddsBatch {
  provider: Provider;
  /** Matches the payload covered: their stored odds from this provider are replaced by these. */
  matchRefs: string[];
  odds: OddsRecord[];
  nextPage: number | null;
  discarded: string[];
}

export interface PredictionRecord {
  matchRef: string;
  /** 0–1 */
  homeWin: number | null;
  draw: number | null;
  awayWin: number | null;
  winnerTeamRef: string | null;
  winnerComment: string | null;
  winOrDraw: boolean | null;
  underOver: string | null;
  goalsHome: string | null;
  goalsAway: string | null;
  advice: string | null;
  /** Head-to-head comparison shares (0–1) by criterion, e.g. { form: { home: 0.6, away: 0.4 } }. */
  comparison: Record<string, { home: number | null; away: number | null }> | null;
}

export interface PredictionBatch {
  provider: Provider;
  predictions: PredictionRecord[];
  discarded: string[];
}

export interface VenueRecord {
  name: string | null;
  address: string | null;
  city: string | null;
  capacity: number | null;
  surface: string | null;
  image: string | null;
}

export interface TeamDetailRecord {
  teamRef: string;
  country: string | null;
  founded: number | null;
  crestUrl: string | null;
  venue: VenueRecord | null;
  coach: string | null;
  address: string | null;
  website: string | null;
}

export interface TeamDetailBatch {
  provider: Provider;
  competition: CompetitionCode;
  season: number;
  teams: TeamRecord[];
  details: TeamDetailRecord[];
  discarded: string[];
}
