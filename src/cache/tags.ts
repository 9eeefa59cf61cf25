// Cache tags: what a cached read depends on, and what a stored change retires. Both sides use these helpers
// so a read and the ingestion that changes it always agree on names.
import type { StoreResult } from "../ingest/store";

export const tags = {
  competitions: () => "competitions",
  match: (id: number) => `match:${id}`,
  team: (id: number) => `team:${id}`,
  /** Match lists scoped to one competition season. */
  seasonMatches: (code: string, season: number) => `matches:${code}:${season}`,
  /** Match lists not scoped to one competition season (by date, team, status…). */
  anyMatches: () => "matches:any",
  /** Standings of any season of a competition (the default season is only known after reading). */
  standings: (code: string) => `standings:${code}`,
  teamLists: () => "teams:any",
  topScorers: (code: string) => `scorers:${code}`,
  /** Player lists, details and stats (market values included). */
  players: () => "players",
  /** Computed team ratings and season stats of any season of a competition (update_team_stats). */
  ratings: (code: string) => `ratings:${code}`,
};

/** The tags a stored batch retires; empty when nothing was written. */
export function tagsForStoreResult(r: StoreResult): string[] {
  if (r.written === 0) return [];
  const out = new Set<string>();
  if (r.counts.competitions || r.counts.seasons) out.add(tags.competitions());
  if (r.changedMatchIds.length || r.changedTeamIds.length) {
    out.add(tags.seasonMatches(r.competitionCode, r.season));
    out.add(tags.anyMatches());
    out.add(tags.standings(r.competitionCode));
    out.add(tags.teamLists());
  }
  if (r.counts.players || r.counts.player_season_stats) out.add(tags.players());
  if (r.counts.player_season_stats || r.changedMatchIds.length) out.add(tags.topScorers(r.competitionCode));
  if (r.counts.standings) out.add(tags.standings(r.competitionCode));
  // Computed by update_team_stats / update_market_values (ingest/jobs/season-analytics.ts, market-values.ts).
  if (r.counts.standings_computed || r.counts.team_season_stats) {
    out.add(tags.standings(r.competitionCode));
    out.add(tags.ratings(r.competitionCode));
  }
  if (r.counts.player_season_computed) {
    out.add(tags.topScorers(r.competitionCode));
    out.add(tags.players());
  }
  if (r.counts.market_values) out.add(tags.players());
  for (const id of [...r.changedMatchIds, ...(r.detailMatchIds ?? [])]) out.add(tags.match(id));
  for (const id of r.changedTeamIds) out.add(tags.team(id));
  return [...out];
}
