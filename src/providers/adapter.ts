// The contract every provider adapter fulfils. Jobs only talk to adapters through this interface, so nothing
// outside src/providers/<name>/ knows a provider's URLs, field names or quirks.
import type { Provider } from "../domain/vocabulary";
import type { Config } from "../env";
import type { MatchBatch, MatchDetailBatch, MatchTarget, OddsBatch, PlayerStatsBatch, PredictionBatch, RateBudget, StandingsBatch, TeamDetailBatch } from "../domain/canonical";
import type { CompetitionCode } from "../domain/competitions";

export interface AdapterContext {
  config: Config;
  /** The clock used for status inference (tests pass a fixed one). */
  now: Date;
  /** The last saved checkpoint under a key (e.g. a provider's last-change stamp), to skip unchanged data. */
  checkpoint?: (key: string) => Promise<string | null>;
}

/** Every fetch also reports what the provider said about its remaining budget. */
export interface Fetched<T> {
  data: T;
  budget: RateBudget;
  /** Checkpoints to save once the data is stored (never before: a failed store must not skip data). */
  checkpoints?: Record<string, string>;
}

export interface ProviderAdapter {
  provider: Provider;
  /** Whether the configuration has what the provider needs (a key or token). Unconfigured → skipped, logged. */
  isConfigured(config: Config): boolean;
  /** Whether the provider covers a canonical competition (registry id present). */
  covers(competition: CompetitionCode): boolean;
  /** Requests per minute the provider allows on the configured plan (the budget the producer spreads). */
  requestsPerMinute(config: Config): number;

  /** Fixtures and results of a season (optionally one matchday / page). */
  seasonMatches(ctx: AdapterContext, competition: CompetitionCode, season: number, opts?: { matchday?: number; page?: number }): Promise<Fetched<MatchBatch>>;
  /** Matches in play now in the given competitions, with their events where the provider embeds them. */
  liveMatches?(ctx: AdapterContext, competitions: CompetitionCode[], season: number): Promise<Fetched<MatchBatch[]>>;
  /**
   * Specific matches by the provider's ids (live lists drop a match at full time: this fetches its final state).
   * At most `MATCHES_BY_REFS_MAX` refs per call.
   */
  matchesByRefs?(ctx: AdapterContext, competition: CompetitionCode, season: number, refs: string[]): Promise<Fetched<MatchBatch>>;
  /** The provider's own standings table. */
  standings?(ctx: AdapterContext, competition: CompetitionCode, season: number): Promise<Fetched<StandingsBatch>>;
  /** Players and their season stats, page by page (page starts at 1). */
  playerStats?(ctx: AdapterContext, competition: CompetitionCode, season: number, page: number): Promise<Fetched<PlayerStatsBatch>>;

  // --- match and team detail (README "Match and team detail") ---
  /** Lineups, team statistics and player match stats of up to `MATCH_DETAILS_MAX` matches, in one request. */
  matchDetails?(ctx: AdapterContext, targets: MatchTarget[]): Promise<Fetched<MatchDetailBatch>>;
  /** Pre-match odds of a competition season's upcoming matches, page by page (page starts at 1). */
  odds?(ctx: AdapterContext, competition: CompetitionCode, season: number, page: number): Promise<Fetched<OddsBatch>>;
  /** The provider's own outcome prediction for one match (one request per match). */
  prediction?(ctx: AdapterContext, target: MatchTarget): Promise<Fetched<PredictionBatch>>;
  /** Club details (venue, founded, crest, coach …) of a competition season's teams. */
  teamDetails?(ctx: AdapterContext, competition: CompetitionCode, season: number): Promise<Fetched<TeamDetailBatch>>;
}

/** Matches per matchDetails call: API-Football's `/fixtures?ids=` takes at most 20 ids. */
export const MATCH_DETAILS_MAX = 20;

/** API-Football takes at most 20 ids per /fixtures?ids= request; football-data accepts more, we keep one limit. */
export const MATCHES_BY_REFS_MAX = 20;
