// League table from finished matches. Ranking rule (documented in README): points (3/1/0), then goal difference,
// then goals scored, then — among teams still level — the points, goal difference and goals of the matches
// between them (head-to-head), then away goals scored, then name. Bundesliga and Premier League rank by
// points, goal difference and goals first; the head-to-head step only decides what those leave level.

export interface ResultInput {
  homeId: number;
  awayId: number;
  homeScore: number | null;
  awayScore: number | null;
  kickoff: Date;
}

export interface TableRow {
  teamId: number;
  position: number;
  played: number;
  won: number;
  drawn: number;
  lost: number;
  goalsFor: number;
  goalsAgainst: number;
  goalDifference: number;
  points: number;
  awayGoals: number;
  /** Last five results, oldest first, newest last: e.g. "WWDLW". */
  form: string;
}

/** `names` lists every team of the season: teams yet to play appear with zeros. */
export function computeTable(results: ResultInput[], names: Map<number, string>): TableRow[] {
  const played = results.filter((r) => r.homeScore != null && r.awayScore != null);
  const rows = new Map<number, TableRow & { results: { at: number; r: string }[] }>();
  const row = (teamId: number) => {
    let r = rows.get(teamId);
    if (!r) {
      r = { teamId, position: 0, played: 0, won: 0, drawn: 0, lost: 0, goalsFor: 0, goalsAgainst: 0, goalDifference: 0, points: 0, awayGoals: 0, form: "", results: [] };
      rows.set(teamId, r);
    }
    return r;
  };
  for (const id of names.keys()) row(id);
  for (const m of played) {
    const h = row(m.homeId);
    const a = row(m.awayId);
    const hs = m.homeScore!;
    const as = m.awayScore!;
    const at = m.kickoff.getTime();
    h.played++; a.played++;
    h.goalsFor += hs; h.goalsAgainst += as;
    a.goalsFor += as; a.goalsAgainst += hs;
    a.awayGoals += as;
    if (hs > as) { h.won++; a.lost++; h.points += 3; h.results.push({ at, r: "W" }); a.results.push({ at, r: "L" }); }
    else if (hs < as) { a.won++; h.lost++; a.points += 3; h.results.push({ at, r: "L" }); a.results.push({ at, r: "W" }); }
    else { h.drawn++; a.drawn++; h.points++; a.points++; h.results.push({ at, r: "D" }); a.results.push({ at, r: "D" }); }
  }
  const all = [...rows.values()];
  for (const r of all) {
    r.goalDifference = r.goalsFor - r.goalsAgainst;
    r.form = r.results.sort((x, y) => x.at - y.at).slice(-5).map((x) => x.r).join("");
  }
  const primary = (x: TableRow, y: TableRow) => y.points - x.points || y.goalDifference - x.goalDifference || y.goalsFor - x.goalsFor;
  all.sort(primary);
  // Resolve groups still level on the primary criteria with a mini-table of their matches against each other.
  const ordered: TableRow[] = [];
  for (let i = 0; i < all.length; ) {
    let j = i + 1;
    while (j < all.length && primary(all[i]!, all[j]!) === 0) j++;
    const group = all.slice(i, j);
    if (group.length > 1) {
      const ids = new Set(group.map((g) => g.teamId));
      const h2h = computeMiniTable(played.filter((m) => ids.has(m.homeId) && ids.has(m.awayId)));
      const key = (t: TableRow) => h2h.get(t.teamId) ?? { points: 0, gd: 0, gf: 0 };
      group.sort(
        (x, y) =>
          key(y).points - key(x).points ||
          key(y).gd - key(x).gd ||
          key(y).gf - key(x).gf ||
          y.awayGoals - x.awayGoals ||
          (names.get(x.teamId) ?? "").localeCompare(names.get(y.teamId) ?? ""),
      );
    }
    ordered.push(...group);
    i = j;
  }
  return ordered.map(({ results: _r, ...r }: TableRow & { results?: unknown }, i) => ({ ...(r as TableRow), position: i + 1 }));
}

function computeMiniTable(ms: ResultInput[]) {
  const t = new Map<number, { points: number; gd: number; gf: number }>();
  const get = (id: number) => t.get(id) ?? (t.set(id, { points: 0, gd: 0, gf: 0 }), t.get(id)!);
  for (const m of ms) {
    const h = get(m.homeId);
    const a = get(m.awayId);
    const hs = m.homeScore!;
    const as = m.awayScore!;
    h.gf += hs; a.gf += as; h.gd += hs - as; a.gd += as - hs;
    if (hs > as) h.points += 3; else if (hs < as) a.points += 3; else { h.points++; a.points++; }
  }
  return t;
}
