// League tables from finished matches, ranked by the competition's own tie-break rules (analytics/rules.ts):
// total, home-only and away-only tables, form (last five), and each team's position after the previous matchday.
// Pure functions: the update_team_stats job stores the result (standings, source "computed"), the API reads it.
import { TIE_BREAKS, type Criterion, type TieBreakRule } from "./rules";
import type { ResultTotals } from "../domain/canonical";
import type { CompetitionCode } from "../domain/competitions";

export interface ResultInput {
  homeId: number;
  awayId: number;
  homeScore: number | null;
  awayScore: number | null;
  kickoff: Date;
  matchday?: number | null;
}

export type TableView = "total" | "home" | "away";

export interface TableRow extends ResultTotals {
  teamId: number;
  position: number;
  goalDifference: number;
  awayGoals: number;
  /** Last five results, oldest first, newest last: e.g. "WWDLW". */
  form: string;
  /** Position after the previous matchday (total table only; null when there is none yet). */
  previousPosition: number | null;
}

/** Points, GD, GF, then H2H and away goals: the rule when a competition is unknown. */
export const DEFAULT_RULE: TieBreakRule = { criteria: ["points", "goalDifference", "goalsFor", "h2hPoints", "h2hGoalDifference", "h2hAwayGoals", "awayGoals"], source: "default" };

export const ruleFor = (code: string): TieBreakRule => TIE_BREAKS[code as CompetitionCode] ?? DEFAULT_RULE;

type Played = ResultInput & { homeScore: number; awayScore: number };
type Acc = Omit<TableRow, "position" | "form" | "previousPosition"> & { results: { at: number; r: string }[] };

/**
 * The table of `view` ("home": only each team's home matches). `names` lists every team of the season (teams yet
 * to play appear with zeros) and gives the last resort order (by name) when every criterion is level.
 */
export function computeTable(results: ResultInput[], names: Map<number, string>, rule: TieBreakRule = DEFAULT_RULE, view: TableView = "total"): TableRow[] {
  const played = results.filter((r): r is Played => r.homeScore != null && r.awayScore != null);
  const ranked = rankTable(played, names, rule, view);
  if (view !== "total") return ranked.map((r) => ({ ...r, previousPosition: null }));
  // The previous matchday's table: every match of an earlier matchday (or, without matchdays, every match but the
  // latest day's). Teams that have not played yet keep null.
  const lastDay = Math.max(0, ...played.map((m) => m.matchday ?? 0));
  const before = lastDay > 0
    ? played.filter((m) => (m.matchday ?? 0) < lastDay)
    : played.filter((m) => m.kickoff.toISOString().slice(0, 10) < (played.map((x) => x.kickoff.toISOString().slice(0, 10)).sort().at(-1) ?? ""));
  const previous = before.length ? new Map(rankTable(before, names, rule, "total").map((r) => [r.teamId, r.position])) : new Map<number, number>();
  return ranked.map((r) => ({ ...r, previousPosition: previous.get(r.teamId) ?? null }));
}

function rankTable(played: Played[], names: Map<number, string>, rule: TieBreakRule, view: TableView): Omit<TableRow, "previousPosition">[] {
  const rows = new Map<number, Acc>();
  const row = (teamId: number) => {
    let r = rows.get(teamId);
    if (!r) {
      r = { teamId, played: 0, won: 0, drawn: 0, lost: 0, goalsFor: 0, goalsAgainst: 0, goalDifference: 0, points: 0, awayGoals: 0, results: [] };
      rows.set(teamId, r);
    }
    return r;
  };
  for (const id of names.keys()) row(id);
  for (const m of played) {
    const at = m.kickoff.getTime();
    if (view !== "away") add(row(m.homeId), m.homeScore, m.awayScore, false, at);
    else row(m.homeId);
    if (view !== "home") add(row(m.awayId), m.awayScore, m.homeScore, true, at);
    else row(m.awayId);
  }
  const all = [...rows.values()];
  for (const r of all) r.goalDifference = r.goalsFor - r.goalsAgainst;
  const ordered = rank(all, rule.criteria, played, view, names);
  return ordered.map(({ results, ...r }, i) => ({
    ...r,
    position: i + 1,
    form: results.sort((x, y) => x.at - y.at).slice(-5).map((x) => x.r).join(""),
  }));
}

function add(r: Acc, gf: number, ga: number, away: boolean, at: number) {
  r.played++;
  r.goalsFor += gf;
  r.goalsAgainst += ga;
  if (away) r.awayGoals += gf;
  const result = gf > ga ? "W" : gf < ga ? "L" : "D";
  if (result === "W") { r.won++; r.points += 3; } else if (result === "D") { r.drawn++; r.points++; } else r.lost++;
  r.results.push({ at, r: result });
}

/**
 * Orders `group` by the criteria in turn. When a criterion splits the group, each part still level is ranked
 * again from the first criterion, so head-to-head figures are recomputed among only the clubs still level (the
 * "mini-league" of the regulations). Fully level teams are ordered by name.
 */
function rank(group: Acc[], criteria: Criterion[], matches: Played[], view: TableView, names: Map<number, string>): Acc[] {
  if (group.length <= 1) return group;
  for (const c of criteria) {
    const key = keyOf(c, group, matches, view);
    const sorted = [...group].sort((a, b) => key(b) - key(a));
    const parts: Acc[][] = [];
    for (const r of sorted) {
      const last = parts.at(-1);
      if (last && key(last[0]!) === key(r)) last.push(r);
      else parts.push([r]);
    }
    if (parts.length > 1) return parts.flatMap((p) => rank(p, criteria, matches, view, names));
  }
  return [...group].sort((a, b) => (names.get(a.teamId) ?? "").localeCompare(names.get(b.teamId) ?? "") || a.teamId - b.teamId);
}

function keyOf(c: Criterion, group: Acc[], matches: Played[], view: TableView): (r: Acc) => number {
  switch (c) {
    case "points": return (r) => r.points;
    case "goalDifference": return (r) => r.goalDifference;
    case "goalsFor": return (r) => r.goalsFor;
    case "wins": return (r) => r.won;
    case "awayGoals": return (r) => r.awayGoals;
    default: {
      const ids = new Set(group.map((g) => g.teamId));
      const h2h = new Map<number, { points: number; gd: number; gf: number; away: number }>();
      const get = (id: number) => h2h.get(id) ?? (h2h.set(id, { points: 0, gd: 0, gf: 0, away: 0 }), h2h.get(id)!);
      for (const m of matches) {
        if (!ids.has(m.homeId) || !ids.has(m.awayId)) continue;
        const h = get(m.homeId);
        const a = get(m.awayId);
        if (view !== "away") { h.gf += m.homeScore; h.gd += m.homeScore - m.awayScore; h.points += pts(m.homeScore, m.awayScore); }
        if (view !== "home") { a.gf += m.awayScore; a.gd += m.awayScore - m.homeScore; a.points += pts(m.awayScore, m.homeScore); a.away += m.awayScore; }
      }
      const field = c === "h2hPoints" ? "points" : c === "h2hGoalDifference" ? "gd" : c === "h2hGoalsFor" ? "gf" : "away";
      return (r) => h2h.get(r.teamId)?.[field] ?? 0;
    }
  }
}

const pts = (gf: number, ga: number) => (gf > ga ? 3 : gf === ga ? 1 : 0);
