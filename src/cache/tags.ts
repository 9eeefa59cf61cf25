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
  /** Player lists, details and stats. */
  players: () => "players",
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
  for (const id of [...r.changedMatchIds, ...(r.detailMatchIds ?? [])]) out.add(tags.match(id));
  for (const id of r.changedTeamIds) out.add(tags.team(id));
  return [...out];
}
