// Analytics: tie-breaks per league on hand-computed cases; the stored computed table of a recorded (Ligue 1
// 2024/25 at matchday 26, football-data) and a generated full season (306 matches) against tables derived
// independently (the provider's own table; a plain tally of the generator's results in this file); team and player
// figures adding up; idempotent re-runs; Elo, predictions (probabilities sum to 1, beat the base rate on held-out
// matches), head-to-head, market values with features and model version, not rewritten when unchanged.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { computeTable, type ResultInput } from "../src/analytics/standings";
import { TIE_BREAKS } from "../src/analytics/rules";
import { evaluate } from "../src/analytics/prediction";
import { MARKET_MODEL } from "../src/analytics/market-value";
// @ts-expect-error plain ESM module without types
import { generateOpenLigaDbSeason, withExtraGoal } from "../bench/lib/season-generator.mjs";
import { api, json, openRateGates, override, resetAll, runIngest, withDb } from "./helpers";
import fdStandings from "./fixtures/football-data/competitions/FL1/standings@season=2024.json";
import afTopScorers from "./fixtures/api-football/players/topscorers@league=39&season=2018.json";

const KEYS = { API_FOOTBALL_KEY: "test-key", FOOTBALL_DATA_TOKEN: "test-token" };
const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => withDb(async (db) => (await db.execute(q)).rows as T[]);

// --- tie-breaks on constructed cases (hand-computed expectations) ---------------------------------------------
const A = 1, B = 2, C = 3, D = 4;
const names = new Map([[A, "A"], [B, "B"], [C, "C"], [D, "D"]]);
let day = 0;
const r = (homeId: number, awayId: number, homeScore: number, awayScore: number, matchday = 1): ResultInput => ({ homeId, awayId, homeScore, awayScore, matchday, kickoff: new Date(Date.UTC(2024, 7, 1 + day++)) });
const order = (results: ResultInput[], code: keyof typeof TIE_BREAKS) => computeTable(results, names, TIE_BREAKS[code]).map((x) => names.get(x.teamId)).join("");

// A 4 pts GD +4, B 4 pts GD 0, but B beat A: D 5, then A/B, C 3.
const case1 = [r(A, B, 0, 1), r(A, C, 5, 0), r(A, D, 1, 1), r(C, B, 1, 0), r(D, B, 0, 0), r(C, D, 0, 2)];
// A and B: 4 pts, GD +2 each; A scored 7, B 4; B beat A 3-0.
const case2 = [r(B, A, 3, 0), r(A, C, 5, 0), r(A, D, 2, 2), r(B, C, 1, 1), r(D, B, 1, 0), r(C, D, 1, 1)];

describe("tie-break rules per competition (constructed cases)", () => {
  it("level on points: England/Germany/France rank by goal difference, Spain/Italy by the head-to-head first", () => {
    expect(order(case1, "PL")).toBe("DABC");
    expect(order(case1, "BL1")).toBe("DABC");
    expect(order(case1, "FL1")).toBe("DABC");
    expect(order(case1, "PD")).toBe("DBAC");
    expect(order(case1, "SA")).toBe("DBAC");
  });

  it("level on points and goal difference: goals scored decide in England/Germany, the head-to-head in France", () => {
    expect(order(case2, "PL")).toBe("DABC");
    expect(order(case2, "BL1")).toBe("DABC");
    expect(order(case2, "FL1")).toBe("DBAC");
    expect(order(case2, "PD")).toBe("DBAC");
  });

  it("three clubs level: a mini-league of their matches (La Liga)", () => {
    // A, B and C: 6 pts each (A beat B 3-0, B beat C 1-0, C beat A 1-0: 3 pts each among them); D 3 pts.
    // Among the three: goal difference A +2, C 0, B -2 → A, C, B.
    const res = [r(A, B, 3, 0), r(B, C, 1, 0), r(C, A, 1, 0), r(A, D, 0, 1), r(B, D, 1, 0), r(C, D, 1, 0), r(D, A, 0, 1)];
    expect(order(res, "PD")).toBe("ACBD");
    // Premier League: overall goal difference first: A 4:2 (+2), B 2:3 (-1), C 2:1 (+1) → A, C, B as well, by another route.
    expect(computeTable(res, names, TIE_BREAKS.PL).map((x) => x.goalDifference)).toEqual([2, 1, -1, -2]);
  });

  it("previous matchday's position and home/away tables", () => {
    const res = [r(A, B, 1, 0, 1), r(C, D, 0, 0, 1), r(B, A, 2, 0, 2), r(D, C, 3, 0, 2)];
    const table = computeTable(res, names, TIE_BREAKS.PL);
    // After matchday 1: A 3, C 1 & D 1 (name: C before D), B 0 → A1 C2 D3 B4. After 2: D 4 (+3), B 3 (+1, 2:1), A 3 (0, 1:2), C 1.
    expect(table.map((x) => [names.get(x.teamId), x.position, x.previousPosition])).toEqual([["D", 1, 3], ["B", 2, 4], ["A", 3, 1], ["C", 4, 2]]);
    // Home matches only: D 3-0, B 2-0, A 1-0 (3 pts each, by goal difference), C 0-0.
    expect(computeTable(res, names, TIE_BREAKS.PL, "home").map((x) => `${names.get(x.teamId)}${x.points}`).join(" ")).toBe("D3 B3 A3 C1");
  });
});

// --- recorded season: Ligue 1 2024/25 at matchday 26 (football-data) ------------------------------------------
describe("stored computed standings against a recorded table (Ligue 1 2024/25, football-data)", () => {
  beforeAll(async () => {
    await resetAll();
    await openRateGates();
    expect((await runIngest({ job: "update_matches", provider: "football_data", competition: "FL1", season: 2024 }, 1, KEYS)).run.status).toBe("succeeded");
    expect((await runIngest({ job: "update_team_stats", provider: "football_data", competition: "FL1", season: 2024 }, 1, KEYS)).run.status).toBe("succeeded");
  });

  it("every team's figures equal the provider's; positions too, except where Ligue 1's head-to-head rule applies", async () => {
    const run = await runIngest({ job: "update_team_stats", provider: null, competition: "FL1", season: 2024 });
    expect(run.run.status, String(run.run.error)).toBe("succeeded");
    const ours = await rows<{ name: string; position: number; played: number; won: number; drawn: number; lost: number; goals_for: number; goals_against: number; points: number }>(sql`
      select t.name, s.position, s.played, s.won, s.drawn, s.lost, s.goals_for, s.goals_against, s.points
      from standings s join teams t on t.id = s.team_id where s.source = 'computed' order by s.position`);
    const recorded = fdStandings.standings[0]!.table;
    expect(ours).toHaveLength(recorded.length);
    const byName = new Map(ours.map((o) => [o.name, o]));
    for (const t of recorded) {
      const o = byName.get(t.team.name)!;
      expect(o, t.team.name).toBeDefined();
      expect([o.played, o.won, o.drawn, o.lost, o.goals_for, o.goals_against, o.points], t.team.name).toEqual([t.playedGames, t.won, t.draw, t.lost, t.goalsFor, t.goalsAgainst, t.points]);
    }
    // Monaco and Nice: 47 pts, +19 each. football-data ranks them by goals scored (Monaco 51, Nice 50); Ligue 1 ranks
    // by the matches between them first (Nice 2-1 Monaco, 27 Oct 2024): Nice 3rd. Everyone else as recorded.
    const moved = recorded.filter((t) => byName.get(t.team.name)!.position !== t.position).map((t) => [t.team.shortName, t.position, byName.get(t.team.name)!.position]);
    expect(moved).toEqual([["Monaco", 3, 4], ["Nice", 4, 3]]);
    const disagreements = await rows<{ field: string; values: Record<string, string> }>(sql`select field, values from provider_disagreements where kind = 'team' order by canonical_id`);
    expect(disagreements.map((d) => [d.field.split(":")[0], d.values.football_data, d.values.computed]).sort()).toEqual([
      ["standings_position", "3", "4"],
      ["standings_position", "4", "3"],
    ]);
  });

  it("re-running the computed unit writes 0 rows", async () => {
    const again = await runIngest({ job: "update_team_stats", provider: null, competition: "FL1", season: 2024 });
    expect(again.run).toMatchObject({ status: "succeeded", rows_written: 0 });
  });

  it("the API serves the stored table with the league's rule; home and away tables add up to it", async () => {
    const body = await json(await api("/v1/competitions/FL1/standings?season=2024"));
    expect(body.meta).toMatchObject({ basis: "stored", tieBreak: TIE_BREAKS.FL1.criteria });
    expect(body.data.table[2].team.shortName).toBe("Nice");
    const home = await json(await api("/v1/competitions/FL1/standings?season=2024&type=home"));
    const away = await json(await api("/v1/competitions/FL1/standings?season=2024&type=away"));
    for (const row of body.data.table) {
      const h = home.data.table.find((x: any) => x.team.id === row.team.id);
      const a = away.data.table.find((x: any) => x.team.id === row.team.id);
      expect(h.points + a.points).toBe(row.points);
      expect(h.goalsFor + a.goalsFor).toBe(row.goalsFor);
      expect(h.played + a.played).toBe(row.played);
    }
    expect((await api("/v1/competitions/FL1/standings?season=2024&type=sideways")).status).toBe(400);
  });

  it("predictions beat the base rate on held-out real matches (walk-forward over the second half)", async () => {
    const ms = (await rows<{ home: number; away: number; hs: number; as: number; kickoff: string }>(sql`
      select home_team_id as home, away_team_id as away, home_score as hs, away_score as "as", kickoff from matches where status = 'finished' order by kickoff`))
      .map((m) => ({ homeId: m.home, awayId: m.away, homeScore: m.hs, awayScore: m.as, kickoff: new Date(m.kickoff) }));
    const result = evaluate(ms, ms[Math.floor(ms.length / 2)]!.kickoff);
    console.log(JSON.stringify({ heldOut: "FL1 2024", ...result }));
    expect(result.matches).toBeGreaterThan(100);
    expect(result.model.logLoss).toBeLessThan(result.baseline.logLoss);
    expect(result.model.brier).toBeLessThan(result.baseline.brier);
  });
});

// --- generated full season -------------------------------------------------------------------------------------
describe("a generated full season (18 clubs, 306 matches, every goal with its scorer)", () => {
  const SEASON = 2021;
  const feed = generateOpenLigaDbSeason({ season: SEASON, seed: 7 }) as any[];

  beforeAll(async () => {
    await resetAll();
    await override(`/openligadb/getmatchdata/bl1/${SEASON}`, feed);
    expect((await runIngest({ job: "update_matches", provider: "openligadb", competition: "BL1", season: SEASON })).run.status).toBe("succeeded");
  });

  it("the stored final table equals a plain tally of the generator's results", async () => {
    const run = await runIngest({ job: "update_team_stats", provider: null, competition: "BL1", season: SEASON });
    expect(run.run.status, String(run.run.error)).toBe("succeeded");
    const ms = Number(new Date(run.run.finished_at as string)) - Number(new Date(run.run.started_at as string));
    console.log(JSON.stringify({ job: "update_team_stats (computed unit), 306 matches", wallMs: ms, counts: run.run.counts }));
    // Independent: points, goals and the order by points, goal difference, goals scored from the raw feed.
    const tally = new Map<string, { pts: number; gf: number; ga: number; w: number; d: number; l: number }>();
    for (const m of feed) {
      const fin = m.matchResults.find((x: any) => x.resultTypeID === 2);
      const sides = [[m.team1.teamName, fin.pointsTeam1, fin.pointsTeam2], [m.team2.teamName, fin.pointsTeam2, fin.pointsTeam1]] as const;
      for (const [name, gf, ga] of sides) {
        const t = tally.get(name) ?? { pts: 0, gf: 0, ga: 0, w: 0, d: 0, l: 0 };
        t.gf += gf; t.ga += ga;
        if (gf > ga) { t.w++; t.pts += 3; } else if (gf === ga) { t.d++; t.pts++; } else t.l++;
        tally.set(name, t);
      }
    }
    const expected = [...tally].sort(([, a], [, b]) => b.pts - a.pts || b.gf - b.ga - (a.gf - a.ga) || b.gf - a.gf);
    // The seed was chosen so no two clubs are level on points, goal difference and goals (the order is unambiguous).
    for (let i = 1; i < expected.length; i++) {
      const [p, q] = [expected[i - 1]![1], expected[i]![1]];
      expect([p.pts, p.gf - p.ga, p.gf]).not.toEqual([q.pts, q.gf - q.ga, q.gf]);
    }
    const body = await json(await api(`/v1/competitions/BL1/standings?season=${SEASON}`));
    expect(body.meta.basis).toBe("stored");
    expect(body.data.table.map((t: any) => [t.team.name, t.played, t.won, t.drawn, t.lost, t.goalsFor, t.goalsAgainst, t.points])).toEqual(
      expected.map(([name, t]) => [name, 34, t.w, t.d, t.l, t.gf, t.ga, t.pts]),
    );
    expect(body.data.table.every((t: any) => t.form.length === 5 && t.previousPosition != null)).toBe(true);
  });

  it("team goals = its players' goals + the opponents' own goals; team stats add up", async () => {
    const teams = await rows<{ team_id: number; stats: any }>(sql`select team_id, stats from team_season_stats`);
    const players = await rows<{ team_id: number; goals: number }>(sql`select team_id, sum(goals)::int as goals from player_season_computed group by team_id`);
    // Own goals credited to a team: from the raw feed (the scorer plays for the opponent).
    const ownGoalsFor = await rows<{ team_id: number; n: number }>(sql`select team_id, count(*)::int as n from match_events where type = 'own_goal' group by team_id`);
    const table = await rows<{ team_id: number; goals_for: number; goals_against: number; points: number; played: number }>(sql`select team_id, goals_for, goals_against, points, played from standings where source = 'computed'`);
    expect(teams).toHaveLength(18);
    let ownGoals = 0;
    for (const t of table) {
      const p = players.find((x) => x.team_id === t.team_id)?.goals ?? 0;
      const og = ownGoalsFor.find((x) => x.team_id === t.team_id)?.n ?? 0;
      ownGoals += og;
      expect(p + og, `team ${t.team_id}`).toBe(t.goals_for);
      const s = teams.find((x) => x.team_id === t.team_id)!.stats;
      expect(s.total.goalsFor).toBe(t.goals_for);
      expect(s.home.goalsFor + s.away.goalsFor).toBe(t.goals_for);
      expect(s.home.played + s.away.played).toBe(t.played);
      expect(s.total.points).toBe(t.points);
      expect(s.total.won + s.total.drawn + s.total.lost).toBe(34);
      const byInterval = Object.values(s.total.goalsByInterval as Record<string, { for: number; against: number }>);
      // Goals without a minute (rare in the feed) are in no interval.
      expect(byInterval.reduce((n, x) => n + x.for, 0)).toBeLessThanOrEqual(t.goals_for);
      expect(byInterval.reduce((n, x) => n + x.for, 0)).toBeGreaterThanOrEqual(t.goals_for - 3);
      expect(s.rating.elo).toBeGreaterThan(1200);
    }
    expect(ownGoals).toBeGreaterThan(0); // the feed has ~3 % own goals: the identity is really exercised
    const scorers = await json(await api(`/v1/competitions/BL1/top-scorers?season=${SEASON}&limit=5`));
    expect(scorers.meta.basis).toBe("player_season_computed");
    const [top] = await rows<{ goals: number }>(sql`select max(goals)::int as goals from player_season_computed`);
    expect(scorers.data[0].goals).toBe(top!.goals);
  });

  it("ratings, predictions and head-to-head", async () => {
    const ratings = await json(await api(`/v1/competitions/BL1/ratings?season=${SEASON}`));
    expect(ratings.meta.basis).toBe("stored");
    expect(ratings.data.ratings).toHaveLength(18);
    // Elo is zero-sum: the mean stays at the initial rating.
    const mean = ratings.data.ratings.reduce((n: number, r: any) => n + r.elo, 0) / 18;
    expect(Math.abs(mean - 1500)).toBeLessThan(0.5);
    const best = ratings.data.ratings[0];
    const team = await json(await api(`/v1/teams/${best.team.id}/rating`));
    expect(team.data.ratings[0]).toMatchObject({ competition: { code: "BL1" }, elo: best.elo, rank: 1, of: 18, matches: 34 });

    const [match] = await rows<{ id: number; home: number; away: number }>(sql`select id, home_team_id as home, away_team_id as away from matches order by kickoff desc limit 1`);
    const res = await api(`/v1/matches/${match!.id}/prediction`);
    expect(res.status).toBe(200);
    const p = await json(res);
    const { home, draw, away } = p.data.probabilities;
    expect(home + draw + away).toBeCloseTo(1, 3);
    expect(p.meta.fittedOn).toBe(306 - (await rows<{ n: number }>(sql`select count(*)::int as n from matches where kickoff >= (select max(kickoff) from matches)`))[0]!.n);
    expect(p.data.mostLikelyScores).toHaveLength(5);

    const h2h = await json(await api(`/v1/teams/${match!.home}/head-to-head/${match!.away}`));
    expect(h2h.data.summary.played).toBe(2);
    expect(h2h.data.summary.won + h2h.data.summary.drawn + h2h.data.summary.lost).toBe(2);
    expect((await api(`/v1/teams/${match!.home}/head-to-head/${match!.home}`)).status).toBe(400);
    expect((await api(`/v1/matches/999999/prediction`)).status).toBe(404);
    expect((await api(`/v1/matches/abc/prediction`)).headers.get("content-type")).toContain("problem+json");
  });

  it("a changed result retires cached tables and ratings; the next computed run stores them again", async () => {
    const path = `/v1/competitions/BL1/ratings?season=${SEASON}`;
    await api(path);
    await expect.poll(async () => (await api(path)).headers.get("x-cache"), { timeout: 3000 }).toBe("HIT");
    const before = await json(await api(`/v1/competitions/BL1/standings?season=${SEASON}`));
    // A late correction: one more home goal in a matchday-20 match.
    await override(`/openligadb/getmatchdata/bl1/${SEASON}`, withExtraGoal(feed, { matchday: 20, side: 1 }).matches);
    expect((await runIngest({ job: "update_matches", provider: "openligadb", competition: "BL1", season: SEASON })).run.rows_written).toBeGreaterThan(0);
    expect((await api(path)).headers.get("x-cache")).not.toBe("HIT");
    const onRead = await json(await api(`/v1/competitions/BL1/standings?season=${SEASON}`));
    expect(onRead.meta.basis).toBe("computed_on_read");
    // The ratings, too, are replayed with the correction until the job stores them again.
    const ratingsOnRead = await json(await api(path));
    expect(ratingsOnRead.meta.basis).toBe("computed_on_read");
    const goals = (b: any) => b.data.table.reduce((n: number, t: any) => n + t.goalsFor, 0);
    expect(goals(onRead)).toBe(goals(before) + 1);
    const run = await runIngest({ job: "update_team_stats", provider: null, competition: "BL1", season: SEASON });
    expect(Number(run.run.rows_written)).toBeGreaterThan(0);
    const stored = await json(await api(`/v1/competitions/BL1/standings?season=${SEASON}`));
    expect(stored.meta.basis).toBe("stored");
    expect(stored.data.table).toEqual(onRead.data.table);
    const ratingsStored = await json(await api(path));
    expect(ratingsStored.meta.basis).toBe("stored");
    expect(ratingsStored.data.ratings).toEqual(ratingsOnRead.data.ratings);
  });

  it("predictions beat the base rate on held-out generated matches", () => {
    const ms = feed.map((m) => {
      const fin = m.matchResults.find((x: any) => x.resultTypeID === 2);
      return { homeId: m.team1.teamId, awayId: m.team2.teamId, homeScore: fin.pointsTeam1, awayScore: fin.pointsTeam2, kickoff: new Date(m.matchDateTimeUTC) };
    });
    const sorted = [...ms].sort((a, b) => a.kickoff.getTime() - b.kickoff.getTime());
    const result = evaluate(ms, sorted[Math.floor(sorted.length / 2)]!.kickoff);
    console.log(JSON.stringify({ heldOut: "generated BL1", ...result }));
    expect(result.model.logLoss).toBeLessThan(result.baseline.logLoss);
  });
});

// --- market values ---------------------------------------------------------------------------------------------
describe("market values (API-Football player season stats, Premier League 2018)", () => {
  beforeAll(async () => {
    await resetAll();
    await openRateGates();
    await override("/api-football/players?league=39&page=1&season=2018", afTopScorers);
    expect((await runIngest({ job: "update_player_stats", provider: "api_football", competition: "PL", season: 2018, page: 1 }, 1, KEYS)).run.status).toBe("succeeded");
  });

  it("every value carries its model version and features; a re-run the same week writes 0 rows", async () => {
    const first = await runIngest({ job: "update_market_values", provider: null, competition: "PL", season: 2018 });
    expect(first.run.status, String(first.run.error)).toBe("succeeded");
    const stored = await rows<{ player_id: number; value_eur: string; model_version: string; features: any; as_of: string; v: string }>(sql`
      select player_id, value_eur, model_version, features, as_of::text as as_of, xmin::text as v from market_values order by player_id`);
    expect(stored.length).toBe(afTopScorers.response.length);
    expect(Number(first.run.rows_written)).toBe(stored.length);
    const monday = new Date();
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    for (const s of stored) {
      expect(s.model_version).toBe(MARKET_MODEL.version);
      expect(s.as_of).toBe(monday.toISOString().slice(0, 10));
      expect(s.features).toMatchObject({ season: 2018, competition: "PL", leagueStrength: 1 });
      expect(s.features.minutes).toBeGreaterThan(0);
      expect(Number(s.value_eur)).toBeGreaterThanOrEqual(50_000);
    }
    const again = await runIngest({ job: "update_market_values", provider: null, competition: "PL", season: 2018 });
    expect(again.run).toMatchObject({ status: "succeeded", rows_written: 0 });
    const after = await rows<{ v: string }>(sql`select xmin::text as v from market_values order by player_id`);
    expect(after.map((x) => x.v)).toEqual(stored.map((x) => x.v));
  });

  it("the route explains a number: base × the terms' factors gives the stored value", async () => {
    const [top] = await rows<{ player_id: number; value_eur: string }>(sql`select player_id, value_eur from market_values order by value_eur desc limit 1`);
    const body = await json(await api(`/v1/players/${top!.player_id}/market-values`));
    const [v] = body.data.values;
    expect(v.valueEur).toBe(Number(top!.value_eur));
    expect(v.explanation.valueEur).toBe(v.valueEur);
    const product = v.explanation.terms.reduce((x: number, t: any) => x * Math.exp(t.contribution), v.explanation.baseEur);
    expect(product / v.explanation.modelEur).toBeGreaterThan(0.95);
    expect(product / v.explanation.modelEur).toBeLessThan(1.05);
    expect(v.explanation.terms.map((t: any) => t.name)).toContain("age");
    expect((await api(`/v1/players/999999/market-values`)).status).toBe(404);
  });
});
