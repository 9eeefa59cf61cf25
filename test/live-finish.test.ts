// Live lists drop a match at full time. A match we still show in play that the provider no longer lists is
// fetched by id, so its final state lands with the next poll — not hours later with the daily job.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openRateGates, override, resetAll, runIngest, withDb } from "./helpers";
import finished from "./fixtures/api-football/fixtures@ids=1149523-1149519.json";

const KEYS = { API_FOOTBALL_KEY: "test-key" };
const LIVE = { job: "update_live_matches", provider: "api_football", competition: "CL", season: 2023 } as const;

async function stored() {
  return withDb(async (db) => (await db.execute<{ status: string; home: number; away: number }>(sql`
    select m.status, m.home_score as home, m.away_score as away from matches m
    join external_refs r on r.kind = 'match' and r.provider = 'api_football' and r.canonical_id = m.id and r.external_id = '1149519'`)).rows[0]);
}

describe("live: a match leaving the provider's live list", () => {
  beforeAll(resetAll);

  it("is fetched by id and stored with its final state", async () => {
    // Atlético – Inter (CL 2023/24 round of 16), as recorded finished after penalties; first seen live at 80'.
    const real = finished.response.find((f) => f.fixture.id === 1149519)!;
    const live = structuredClone(real) as any;
    live.fixture.status = { long: "Second Half", short: "2H", elapsed: 80 };
    live.goals = { home: 1, away: 1 };
    live.score.fulltime = { home: null, away: null };
    live.score.extratime = { home: null, away: null };
    live.score.penalty = { home: null, away: null };
    live.events = [];
    const envelope = { get: "fixtures", parameters: { live: "2" }, errors: [], results: 1, paging: { current: 1, total: 1 } };
    await override("/api-football/fixtures?live=2", { ...envelope, response: [live] });
    await openRateGates();
    expect((await runIngest(LIVE, 1, KEYS)).run.status).toBe("succeeded");
    expect(await stored()).toMatchObject({ status: "live", home: 1, away: 1 });

    // Full time: the live list is empty now; the job asks for the fixture by id and gets the recorded final state.
    await override("/api-football/fixtures?live=2", { ...envelope, results: 0, response: [] });
    await override("/api-football/fixtures?ids=1149519", { ...finished, parameters: { ids: "1149519" }, results: 1, response: [real] });
    await openRateGates();
    const { run } = await runIngest(LIVE, 1, KEYS);
    expect(run.status).toBe("succeeded");
    expect(await stored()).toMatchObject({ status: "finished", home: real.goals.home, away: real.goals.away });
  });
});
