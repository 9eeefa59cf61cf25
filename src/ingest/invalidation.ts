// What a stored batch retires from the caches: the cache tags (src/cache/tags.ts) of everything it wrote.
import { tags } from "../cache/tags";
import type { StoreResult } from "./store";

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
