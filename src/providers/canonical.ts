// Canonical records: what every provider adapter produces and ingestion stores. Provider ids appear only as
// opaque `ref` strings, resolved to canonical ids through external_refs by the store.
import type { EventType, MatchStatus, Provider } from "../db/schema";
import type { CompetitionCode } from "./registry";

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
  competition: CompetitionCode;
  season: number;
  teams: TeamRecord[];
  players: PlayerRecord[];
  matches: MatchRecord[];
  /** Provider data dropped during normalization, with why (logged and counted in job_runs). */
  discarded: string[];
}

/** A provider's own league table (kept per provider to cross-check our computed one). */
export interface StandingRecord {
  teamRef: string;
  /** Group name for competitions with groups; null for a single table. */
  group: string | null;
  position: number;
  played: number;
  won: number;
  drawn: number;
  lost: number;
  goalsFor: number;
  goalsAgainst: number;
  points: number;
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
