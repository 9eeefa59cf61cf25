// update_matches for OpenLigaDB through the real queue handler, replay server, Neon driver → Postgres.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { countRows, fault, resetAll, rowVersions, runIngest, withDb } from "./helpers";

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
});
