// update_matches for OpenLigaDB through the real queue handler, replay server, Neon driver → Postgres.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import worker from "../src";
import { countRows, fault, openRateGates, replay, resetAll, rowVersions, runIngest, withDb } from "./helpers";

const MATCHDAY = { competition: "BL1", season: 2023, matchday: 12 } as const;
const MATCHDAY_PATH = "/openligadb/getmatchdata/bl1/2023/12";

describe("update_matches (OpenLigaDB)", () => {
  beforeAll(resetAll);

  it("stores the recorded matchday as canonical rows and acks the message", async () => {
    const { result, run } = await runIngest(MATCHDAY);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    expect(run.status).toBe("succeeded");
    expect(await countRows("matches")).toBe(9);
    expect(await countRows("teams")).toBe(18);
    expect(Number(run.rows_written)).toBeGreaterThan(9 + 18);
  });

  it("writes 0 rows when re-run on unchanged data (measured on row versions and job_runs)", async () => {
    const before = await rowVersions();
    const { run } = await runIngest(MATCHDAY);
    expect(run.status).toBe("succeeded");
    expect(run.rows_written).toBe(0);
    expect(await rowVersions()).toEqual(before);
  });

  for (const mode of ["429", "500", "malformed", "timeout"] as const) {
    it(`leaves the database unchanged and retries the message on a provider ${mode}`, async () => {
      const before = await rowVersions();
      await fault(MATCHDAY_PATH, mode, { retryAfter: 42 });
      const { result, run } = await runIngest(MATCHDAY);
      expect(result.explicitAcks).toHaveLength(0);
      expect(result.retryMessages).toHaveLength(1);
      // The provider's Retry-After decides the delay (the test plugin does not report delaySeconds itself).
      if (mode === "429") expect(run.counts).toEqual({ retryInSeconds: 42 });
      expect(run.status).toBe("retrying");
      expect(String(run.error)).toMatch(mode === "malformed" ? /invalid JSON|unexpected payload/ : mode === "timeout" ? /no answer/ : new RegExp(mode));
      expect(await rowVersions()).toEqual(before);
      await openRateGates();
    });
  }

  it("stores every goal with scorer, team and stoppage time", async () => {
    const goals = await withDb(async (db) =>
      (
        await db.execute<{ match: string; minute: number | null; extra: number | null; type: string; player: string | null; sh: number; sa: number; team: string | null }>(sql`
          select er.external_id as match, e.minute, e.extra_minute as extra, e.type, p.name as player,
                 e.score_home as sh, e.score_away as sa, t.name as team
          from match_events e
          join external_refs er on er.kind = 'match' and er.provider = 'openligadb' and er.canonical_id = e.match_id
          left join players p on p.id = e.player_id
          left join teams t on t.id = e.team_id
          order by er.external_id, e.score_home + e.score_away`)
      ).rows,
    );
    expect(goals).toHaveLength(20);
    const malen = goals.find((g) => g.player === "D. Malen");
    expect(malen).toMatchObject({ minute: 90, extra: 7, type: "goal", team: "Borussia Dortmund" });
    expect(goals.find((g) => g.player === "Kevin Volland")).toBeTruthy();
    expect(goals.find((g) => g.player === "Yussuf Poulsen")).toBeTruthy();
    expect(goals.some((g) => g.player !== null && /\s$|^\s|\r|\n/.test(g.player))).toBe(false);
  });

  it("marks the run failed on its last attempt and hands the message to the dead-letter queue", async () => {
    await fault(MATCHDAY_PATH, "500");
    const { result, run, jobRunId } = await runIngest(MATCHDAY, 6);
    expect(result.retryMessages).toHaveLength(1); // → ingest-dlq (max_retries = 5)
    expect(run.status).toBe("failed");
    // The dead-letter consumer records it for operators.
    const dead = createMessageBatch("ingest-dlq", [
      { id: "dead1", timestamp: new Date(), attempts: 1, body: { v: 1, jobRunId, runId: crypto.randomUUID(), job: "update_matches", trigger: "manual", provider: "openligadb", ...MATCHDAY } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue!(dead as MessageBatch<unknown>, env as never, ctx);
    expect((await getQueueResult(dead, ctx)).explicitAcks).toEqual(["dead1"]);
    const after = await withDb(async (db) => (await db.execute<{ status: string; error: string }>(sql`select status, error from job_runs where id = ${jobRunId}`)).rows[0]!);
    expect(after.status).toBe("failed");
    expect(after.error).toMatch(/dead-lettered/);
  });

  it("acks (drops) a message that is not a valid ingest message instead of retrying it forever", async () => {
    const before = await rowVersions();
    const batch = createMessageBatch<unknown>("ingest", [
      { id: "bad1", timestamp: new Date(), attempts: 1, body: { v: 1, job: "update_everything" } },
      { id: "bad2", timestamp: new Date(), attempts: 1, body: "garbage" },
    ]);
    const ctx = createExecutionContext();
    await worker.queue!(batch as MessageBatch<unknown>, env as never, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["bad1", "bad2"]);
    expect(result.retryMessages).toHaveLength(0);
    expect(await rowVersions()).toEqual(before);
  });

  it("never lets an older provider update overwrite a newer stored one", async () => {
    const { run } = await runIngest({ competition: "BL1", season: 2023 }); // the whole season, recorded later
    expect(run.status).toBe("succeeded");
    // The matchday file was recorded before the two Sunday matches (and before later corrections of two more,
    // per lastUpdateDateTime); replaying it must not un-finish or roll back any of those four.
    const { run: again } = await runIngest(MATCHDAY);
    expect(again.rows_written).toBe(0);
    expect(again.counts).toMatchObject({ staleSkipped: 4 });
    const sunday = await withDb(async (db) => (await db.execute<{ status: string; h: number }>(sql`
      select m.status, m.home_score as h from matches m
      join external_refs er on er.kind = 'match' and er.canonical_id = m.id and er.external_id in ('66735', '66737')`)).rows);
    expect(sunday.map((m) => m.status)).toEqual(["finished", "finished"]);
    // Scorer names the season file lacks ("") were kept from the matchday file.
    const names = await withDb(async (db) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from players where name is null`)).rows[0]!.n);
    const volland = await withDb(async (db) => (await db.execute<{ name: string }>(sql`select p.name from players p join external_refs er on er.kind = 'player' and er.canonical_id = p.id and er.external_id = '16260'`)).rows[0]!);
    expect(volland.name).toBe("Kevin Volland");
    expect(names).toBeGreaterThan(0); // scorers only ever seen nameless stay unknown rather than invented
  });

  it("after a 429 the provider's budget is closed: the next unit is deferred (re-sent later), not failed", async () => {
    await fault(MATCHDAY_PATH, "429", { retryAfter: 30 });
    const first = await runIngest(MATCHDAY);
    expect(first.run.status).toBe("retrying");
    const requestsBefore = ((await replay("GET", "/__replay/requests")) as { requests: unknown[] }).requests.length;
    const second = await runIngest(MATCHDAY);
    // Acked (not retried: no attempt used up), re-sent with a delay, and the provider was not called.
    expect(second.result.explicitAcks).toHaveLength(1);
    expect(second.result.retryMessages).toHaveLength(0);
    expect(second.run.status).toBe("retrying");
    expect((second.run.counts as { deferredSeconds: number }).deferredSeconds).toBeGreaterThan(20);
    expect((second.run.counts as { deferredSeconds: number }).deferredSeconds).toBeLessThanOrEqual(30);
    expect(((await replay("GET", "/__replay/requests")) as { requests: unknown[] }).requests.length).toBe(requestsBefore);
    await openRateGates();
  });

  it("a duplicate delivery of the same message changes nothing", async () => {
    const body = { v: 1, jobRunId: 1, runId: crypto.randomUUID(), job: "update_matches", trigger: "manual", provider: "openligadb", ...MATCHDAY };
    const deliver = async (id: string) => {
      const batch = createMessageBatch<unknown>("ingest", [{ id, timestamp: new Date(), attempts: 1, body }]);
      const ctx = createExecutionContext();
      await worker.queue!(batch as MessageBatch<unknown>, env as never, ctx);
      return getQueueResult(batch, ctx);
    };
    await deliver("dup-a");
    const before = await rowVersions();
    expect((await deliver("dup-b")).explicitAcks).toEqual(["dup-b"]);
    expect(await rowVersions()).toEqual(before);
  });

  it("live: polls the current matchday, and skips refetching it while OpenLigaDB's last-change stamp is unchanged", async () => {
    const requests = async () => ((await replay("GET", "/__replay/requests")) as { requests: { path: string }[] }).requests.map((r) => r.path);
    await replay("POST", "/__replay/reset");
    const first = await runIngest({ ...MATCHDAY, job: "update_live_matches", matchday: undefined });
    expect(first.run.status).toBe("succeeded");
    expect(await requests()).toEqual(["/openligadb/getcurrentgroup/bl1", "/openligadb/getlastchangedate/bl1/2023/12", "/openligadb/getmatchdata/bl1/2023/12"]);
    await replay("POST", "/__replay/reset");
    const second = await runIngest({ ...MATCHDAY, job: "update_live_matches", matchday: undefined });
    expect(second.run).toMatchObject({ status: "succeeded", rows_written: 0 });
    expect(await requests()).toEqual(["/openligadb/getcurrentgroup/bl1", "/openligadb/getlastchangedate/bl1/2023/12"]);
    // The stamp moves: the matchday is fetched again.
    await replay("PUT", "/__replay/override", { path: "/openligadb/getlastchangedate/bl1/2023/12", body: "2023-11-26T20:00:00" });
    await runIngest({ ...MATCHDAY, job: "update_live_matches", matchday: undefined });
    expect((await requests()).at(-1)).toBe("/openligadb/getmatchdata/bl1/2023/12");
  });
});
