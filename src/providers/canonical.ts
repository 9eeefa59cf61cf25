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
}

export interface EventRecord {
  ref: string;
  type: EventType;
  minute: number | null;
  extraMinute: number | null;
  teamRef: string | null;
  playerRef: string | null;
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
