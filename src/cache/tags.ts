// Cache tags: what a cached read depends on, and what a stored change retires. Both sides use these helpers
// so a read and the ingestion that changes it always agree on names (ingestion maps its writes to tags in
// src/ingest/invalidation.ts).

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
