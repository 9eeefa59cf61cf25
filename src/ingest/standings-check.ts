// Cross-check of every provider's stored table against ours (computed from canonical results with the
// competition's tie-break rules): a team at the same number of games with other points or goals, or — when every
// team has played as many games in both tables — another position, is recorded in provider_disagreements.
// Called when a provider's table is stored and when update_team_stats recomputes ours.
import type { Transaction } from "../db/client";
import { PROVIDERS } from "../domain/vocabulary";
import { findSeasonById, seasonMatchList, storedStandings, teamNames } from "../db/queries/analytics";
import { computeTable, ruleFor, type TableRow } from "../analytics/standings";
import { upsertDisagreements } from "./disagreements";

export async function crossCheckStandings(tx: Transaction, competition: string, seasonId: number, providers: readonly string[] = PROVIDERS, ours?: TableRow[]): Promise<number> {
  const theirs = await storedStandings(tx, seasonId, [...providers]);
  if (!theirs.length) return 0;
  let table = ours;
  if (!table) {
    const season = await findSeasonById(tx, seasonId);
    if (season?.type === "cup") return 0; // group tables: not ranked by us
    const matches = (await seasonMatchList(tx, seasonId)).filter((m) => m.status === "finished");
    const names = await teamNames(tx, [...new Set(matches.flatMap((m) => [m.homeId, m.awayId]))]);
    table = computeTable(matches, names, ruleFor(competition));
  }
  const byTeam = new Map(table.map((r) => [r.teamId, r]));
  const rows: Parameters<typeof upsertDisagreements>[1] = [];
  for (const provider of providers) {
    const list = theirs.filter((r) => r.source === provider);
    if (!list.length) continue;
    const sameMoment = list.length === table.length && list.every((r) => byTeam.get(r.teamId)?.played === r.played);
    for (const r of list) {
      const o = byTeam.get(r.teamId);
      if (!o || o.played !== r.played) continue; // different moments in the season: nothing to compare
      const their = `${r.points} pts ${r.goalsFor}:${r.goalsAgainst}`;
      const mine = `${o.points} pts ${o.goalsFor}:${o.goalsAgainst}`;
      if (their !== mine) rows.push({ kind: "team", canonicalId: r.teamId, field: `standings:${seasonId}`, values: { [provider]: their, computed: mine } });
      else if (sameMoment && r.position !== o.position) {
        // Same figures, other place: the provider ranks ties by other rules than the league's.
        rows.push({ kind: "team", canonicalId: r.teamId, field: `standings_position:${seasonId}`, values: { [provider]: String(r.position), computed: String(o.position) } });
      }
    }
  }
  return upsertDisagreements(tx, rows);
}
