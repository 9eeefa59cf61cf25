// A season's table as the API serves it: the stored one when it is current, else computed on read from the
// stored matches with the same pure code as update_team_stats (src/analytics/standings.ts).
import { computeTable, ruleFor } from "../../analytics/standings";
import type { Queryable } from "../../db/client";
import { seasonMatchList, seasonResultsVersion, storedStandings, teamNames } from "../../db/queries/analytics";

export type StandingsView = "total" | "home" | "away";
const VIEW_SOURCE: Record<StandingsView, string> = { total: "computed", home: "computed_home", away: "computed_away" };

/**
 * A season's table as the API serves it: the stored computed table (update_team_stats) when it reflects every
 * finished match, else computed now from the matches with the same code — so results that land between two runs
 * of the job show at once. `basis` says which.
 */
export async function standingsTable(db: Queryable, code: string, seasonId: number, view: StandingsView) {
  // One after the other: in parallel they would open a second Postgres connection, dearer than a round trip.
  const stored = await storedStandings(db, seasonId, [VIEW_SOURCE[view]]);
  const version = await seasonResultsVersion(db, seasonId);
  const playedSum = stored.reduce((n, r) => n + r.played, 0);
  const newest = stored.reduce((t, r) => Math.max(t, r.updatedAt.getTime()), 0);
  const fresh = stored.length > 0 && playedSum === (view === "total" ? 2 : 1) * version.finished && (!version.changedAt || version.changedAt.getTime() <= newest);
  if (fresh) return { basis: "stored" as const, inPlay: version.inPlay, rows: stored.map((r) => ({ ...r, goalDifference: r.goalsFor - r.goalsAgainst })) };
  const all = await seasonMatchList(db, seasonId);
  // Every club of the season is listed, also those yet to play.
  const names = await teamNames(db, [...new Set(all.flatMap((m) => [m.homeId, m.awayId]))]);
  const rows = computeTable(all.filter((m) => m.status === "finished"), names, ruleFor(code), view);
  return { basis: "computed_on_read" as const, inPlay: version.inPlay, rows: rows.map((r) => ({ ...r, form: r.form as string | null })) };
}
