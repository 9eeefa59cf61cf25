// The whole path as production runs it: a Cron Trigger → scheduled() → the `ingest` queue (real miniflare queue)
// → queue() consumer → replay server → Postgres, with the run recorded in job_runs.
import { exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { countRows, replay, resetAll, rowVersions, withDb } from "./helpers";

type Scheduler = { scheduled(o: { cron: string; scheduledTime?: number }): Promise<{ outcome: string }> };
const worker = () => (exports as unknown as { default: Scheduler }).default;

async function runsOf(job: string) {
  return withDb(async (db) => (await db.execute<Record<string, any>>(sql`select * from job_runs where job = ${job} order by id`)).rows);
}

async function waitForRuns(job: string, n: number, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const runs = await runsOf(job);
    if (runs.length >= n && runs.slice(-n).every((r) => ["succeeded", "failed", "skipped"].includes(r.status))) return runs.slice(-n);
    if (Date.now() > until) throw new Error(`job runs not finished: ${JSON.stringify(runs.map((r) => [r.id, r.status, r.error]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("cron → queue → consumer", () => {
  beforeAll(resetAll);

  it("the daily cron ingests every tracked competition season a provider covers", async () => {
    const result = await worker().scheduled({ cron: "0 0 * * *", scheduledTime: Date.parse("2026-11-24T00:00:00Z") });
    expect(result.outcome).toBe("ok");
    const [run] = await waitForRuns("update_matches", 1);
    // COMPETITIONS=BL1,PL, SEASONS=2023 in tests: only BL1 has a provider (OpenLigaDB) in this version.
    expect(run).toMatchObject({ status: "succeeded", trigger: "cron", provider: "openligadb", competition: "BL1", season: 2023, attempts: 1 });
    expect(run!.rows_written).toBeGreaterThan(306);
    expect(await countRows("matches")).toBe(306);
    const requests = (await replay("GET", "/__replay/requests")) as { requests: { path: string }[] };
    expect(requests.requests.map((r) => r.path)).toEqual(["/openligadb/getmatchdata/bl1/2023"]);
  });

  it("a second firing on unchanged data writes nothing", async () => {
    const before = await rowVersions();
    await worker().scheduled({ cron: "0 0 * * *" });
    const runs = await waitForRuns("update_matches", 2);
    expect(runs[1]).toMatchObject({ status: "succeeded", rows_written: 0 });
    expect(await rowVersions()).toEqual(before);
  });

  it("each of the five crons enqueues its units: one per configured provider covering each tracked competition", async () => {
    // Tests track BL1 and PL for 2023 with no API-Football key or football-data token: only OpenLigaDB (BL1) runs.
    const expected: Record<string, { provider: string | null; competition: string }[]> = {
      "*/5 * * * *": [{ provider: "openligadb", competition: "BL1" }], // update_live_matches
      // update_team_stats: OpenLigaDB has no standings endpoint; our own computation runs per competition.
      "0 */6 * * *": [{ provider: null, competition: "BL1" }, { provider: null, competition: "PL" }],
      "0 */12 * * *": [], // update_player_stats
      "0 0 * * 1": [{ provider: null, competition: "BL1" }, { provider: null, competition: "PL" }], // update_market_values
    };
    const jobs: Record<string, string> = { "*/5 * * * *": "update_live_matches", "0 */6 * * *": "update_team_stats", "0 */12 * * *": "update_player_stats", "0 0 * * 1": "update_market_values" };
    for (const [cron, units] of Object.entries(expected)) {
      expect((await worker().scheduled({ cron })).outcome).toBe("ok");
      const runs = await runsOf(jobs[cron]!);
      expect(runs.map((r) => ({ provider: r.provider, competition: r.competition })), cron).toEqual(units);
      expect(runs.every((r) => r.trigger === "cron" && r.season === 2023)).toBe(true);
    }
    // The queue consumer processes them: the live unit reads the current matchday; our BL1 tables are computed;
    // market values find no player season stats for BL1 (nothing written) and nothing stored for PL (skipped).
    const [live] = await waitForRuns("update_live_matches", 1);
    expect(live).toMatchObject({ status: "succeeded" });
    const teamStats = await waitForRuns("update_team_stats", 2);
    expect(teamStats.map((r) => `${r.competition}:${r.status}`).sort()).toEqual(["BL1:succeeded", "PL:skipped"]);
    const market = await waitForRuns("update_market_values", 2);
    expect(market.map((r) => `${r.competition}:${r.status}`).sort()).toEqual(["BL1:succeeded", "PL:skipped"]);
  });
});
