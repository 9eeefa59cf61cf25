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
    if (runs.length >= n && runs.slice(-n).every((r) => r.status === "succeeded" || r.status === "failed")) return runs.slice(-n);
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

  it("crons of jobs without provider work yet dispatch nothing", async () => {
    for (const cron of ["*/5 * * * *", "0 */6 * * *", "0 */12 * * *", "0 0 * * 1"]) {
      expect((await worker().scheduled({ cron })).outcome).toBe("ok");
    }
    expect(await countRows("job_runs")).toBe(2);
  });
});
