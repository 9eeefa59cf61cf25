// Every job through the real queue handler with each provider's recorded answers: the second run on unchanged
// data writes 0 rows; a provider's budget headers close its gate (later units are deferred, not failed); and
// with every provider configured each cron plans the right units.
import { sql } from "drizzle-orm";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../src/env";
import { planJob } from "../src/ingest/producer";
import { openRateGates, override, resetAll, rowVersions, runIngest, withDb } from "./helpers";
import afTopScorers from "./fixtures/api-football/players/topscorers@league=39&season=2018.json";
import fdStandings from "./fixtures/football-data/competitions/FL1/standings@season=2024.json";

const KEYS = { API_FOOTBALL_KEY: "test-key", FOOTBALL_DATA_TOKEN: "test-token" };

async function twice(unit: Parameters<typeof runIngest>[0]) {
  await openRateGates();
  const first = await runIngest(unit, 1, KEYS);
  expect(first.run.status, String(first.run.error)).toBe("succeeded");
  expect(Number(first.run.rows_written)).toBeGreaterThan(0);
  const before = await rowVersions();
  const second = await runIngest(unit, 1, KEYS);
  expect(second.run).toMatchObject({ status: "succeeded", rows_written: 0 });
  expect(await rowVersions()).toEqual(before);
  return first.run;
}

const count = (q: ReturnType<typeof sql>) => withDb(async (db) => Number((await db.execute<{ n: number }>(q)).rows[0]!.n));

describe("jobs per provider, twice", () => {
  beforeAll(resetAll);

  it("update_matches + update_team_stats (football-data, Ligue 1 2024): the provider's table agrees with ours", async () => {
    await twice({ job: "update_matches", provider: "football_data", competition: "FL1", season: 2024 });
    const run = await twice({ job: "update_team_stats", provider: "football_data", competition: "FL1", season: 2024 });
    expect(run.counts).toMatchObject({ standings: 18 });
    expect(await count(sql`select count(*)::int as n from standings where source = 'football_data'`)).toBe(18);
    // Our table from its 233 finished matches vs its own table at matchday 27: teams at the same number of games
    // must have the same points and goals (else a disagreement is recorded). Positions differ only for Monaco and
    // Nice (level on points and goal difference): football-data orders them by goals scored, Ligue 1 by the
    // head-to-head (Nice won 2-1) — recorded as position disagreements (see test/analytics.test.ts).
    const disagreements = await withDb(async (db) => (await db.execute<{ field: string; values: Record<string, string> }>(sql`select field, values from provider_disagreements where kind = 'team'`)).rows);
    expect(disagreements.map((d) => [d.field.split(":")[0], d.values.football_data, d.values.computed]).sort()).toEqual([
      ["standings_position", "3", "4"],
      ["standings_position", "4", "3"],
    ]);
  });

  it("update_team_stats (API-Football, Premier League 2022 final table)", async () => {
    const run = await twice({ job: "update_team_stats", provider: "api_football", competition: "PL", season: 2022 });
    expect(run.counts).toMatchObject({ standings: 20 });
  });

  it("update_player_stats (football-data scorers, World Cup 2022)", async () => {
    const run = await twice({ job: "update_player_stats", provider: "football_data", competition: "WC", season: 2022, page: 1 });
    expect(run.counts).toMatchObject({ player_season_stats: 10 });
    const mbappe = await withDb(async (db) => (await db.execute<{ goals: number }>(sql`
      select s.goals from player_season_stats s join players p on p.id = s.player_id where p.name ilike '%mbapp%'`)).rows[0]);
    expect(mbappe?.goals).toBe(5); // the recording was captured mid-tournament
  });

  it("update_player_stats (API-Football /players shape, Premier League 2018 recording)", async () => {
    await override("/api-football/players?league=39&page=1&season=2018", afTopScorers);
    const run = await twice({ job: "update_player_stats", provider: "api_football", competition: "PL", season: 2018, page: 1 });
    expect(Number((run.counts as Record<string, number>).player_season_stats)).toBe(afTopScorers.response.length);
  });

  it("a provider's budget headers (0 requests left this minute) defer its next unit instead of failing it", async () => {
    await openRateGates();
    const res = await fetch(`${env.TEST_REPLAY_URL}/__replay/override`, {
      method: "PUT",
      body: JSON.stringify({
        path: "/football-data/competitions/FL1/standings?season=2024",
        body: fdStandings,
        headers: { "X-Requests-Available-Minute": "0", "X-RequestCounter-Reset": "37" },
      }),
    });
    expect(res.ok).toBe(true);
    const first = await runIngest({ job: "update_team_stats", provider: "football_data", competition: "FL1", season: 2024 }, 1, KEYS);
    expect(first.run.status).toBe("succeeded");
    const next = await runIngest({ job: "update_matches", provider: "football_data", competition: "FL1", season: 2024 }, 1, KEYS);
    expect(next.result.explicitAcks).toHaveLength(1);
    expect(next.result.retryMessages).toHaveLength(0);
    expect(next.run.status).toBe("retrying");
    expect((next.run.counts as { deferredSeconds: number }).deferredSeconds).toBeGreaterThan(30);
    expect((next.run.counts as { deferredSeconds: number }).deferredSeconds).toBeLessThanOrEqual(37);
    // Other providers are not affected.
    const other = await runIngest({ job: "update_matches", provider: "openligadb", competition: "BL1", season: 2023, matchday: 12 }, 1, KEYS);
    expect(other.run.status).toBe("succeeded");
    await openRateGates();
  });
});

describe("cron planning with every provider configured", () => {
  const config = readConfig({ ...env, ...KEYS, COMPETITIONS: "BL1,PL", SEASONS: "2023" } as never);
  const plan = (job: Parameters<typeof planJob>[0]["job"]) =>
    planJob({ job }, config, new Date("2026-11-24T00:00:00Z")).units.map((u) => `${u.provider ?? "-"}:${u.competition}${u.page ? `:p${u.page}` : ""}`);

  it("plans one unit per provider covering each competition, by capability", () => {
    expect(plan("update_matches")).toEqual(["openligadb:BL1", "football_data:BL1", "api_football:BL1", "football_data:PL", "api_football:PL"]);
    expect(plan("update_live_matches")).toEqual(["openligadb:BL1", "football_data:BL1", "api_football:BL1", "football_data:PL", "api_football:PL"]);
    // update_team_stats: each provider's table, plus our own computation (no provider) per competition season.
    expect(plan("update_team_stats")).toEqual(["-:BL1", "football_data:BL1", "api_football:BL1", "-:PL", "football_data:PL", "api_football:PL"]);
    expect(plan("update_player_stats")).toEqual(["football_data:BL1:p1", "api_football:BL1:p1", "football_data:PL:p1", "api_football:PL:p1"]);
    expect(plan("update_market_values")).toEqual(["-:BL1", "-:PL"]);
  });

  it("skips providers without their key, saying why", () => {
    const bare = readConfig({ ...env, COMPETITIONS: "PL", SEASONS: "2023" } as never);
    const p = planJob({ job: "update_matches" }, bare, new Date());
    expect(p.units).toEqual([]);
    expect(p.skipped).toEqual([
      "football_data: skipped, FOOTBALL_DATA_TOKEN is not set",
      "api_football: skipped, API_FOOTBALL_KEY is not set",
      "PL 2023: no configured provider covers it for update_matches",
    ]);
  });
});
