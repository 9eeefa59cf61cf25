// One canonical row per real match and team across providers: the recorded OpenLigaDB season and the same
// season from football-data.org (its own ids and naming) merge; a conflicting final score is recorded as a
// disagreement; precedence decides whose values stand; re-running either provider writes nothing.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, api, countRows, json, openRateGates, override, resetAll, rowVersions, runIngest, withDb } from "./helpers";
import fdSeason from "./fixtures/football-data/competitions/BL1/matches@season=2023.json";
import afFixtures from "./fixtures/api-football/fixtures@league=78&season=2023&status=NS-PST.json";

const OLDB = { provider: "openligadb", competition: "BL1", season: 2023 } as const;
const FD = { provider: "football_data", competition: "BL1", season: 2023 } as const;
const FD_PATH = "/football-data/competitions/BL1/matches?season=2023";
const AF = { provider: "api_football", competition: "BL1", season: 2023 } as const;
const WITH_KEY = { API_FOOTBALL_KEY: "test-key" };

async function refsPerEntity(kind: string) {
  return withDb(async (db) =>
    (await db.execute<{ providers: string }>(sql`
      select string_agg(provider::text, ',' order by provider) as providers from external_refs where kind = ${kind}::entity_kind group by canonical_id`)).rows.map((r) => r.providers),
  );
}

describe("identity across providers", () => {
  beforeAll(async () => {
    await resetAll();
    expect((await runIngest(OLDB)).run.status).toBe("succeeded");
  });

  it("links football-data's season to the same 306 matches and 18 teams (names differ)", async () => {
    const { run } = await runIngest(FD);
    expect(run.status).toBe("succeeded");
    expect(await countRows("matches")).toBe(306);
    expect(await countRows("teams")).toBe(18);
    const matchRefs = await refsPerEntity("match");
    expect(matchRefs).toHaveLength(306);
    expect(new Set(matchRefs)).toEqual(new Set(["openligadb,football_data"]));
    expect(new Set(await refsPerEntity("team"))).toEqual(new Set(["openligadb,football_data"]));
    // football-data ranks first for team names: "SV Werder Bremen", TLA "SVW".
    const bremen = (await json(await api("/v1/teams?q=bremen"))).data;
    expect(bremen).toHaveLength(1);
    expect(bremen[0]).toMatchObject({ name: "SV Werder Bremen", tla: "SVW" });
  });

  it("re-running either provider on unchanged data writes 0 rows", async () => {
    await openRateGates();
    const before = await rowVersions();
    expect((await runIngest(FD)).run.rows_written).toBe(0);
    expect((await runIngest(OLDB)).run.rows_written).toBe(0);
    expect(await rowVersions()).toEqual(before);
  });

  it("records a conflicting final score as a disagreement; the higher-ranked provider's score stands", async () => {
    await openRateGates();
    const changed = structuredClone(fdSeason) as any;
    const m = changed.matches.find((x: any) => x.homeTeam.name === "1. FC Köln" && x.awayTeam.name === "FC Bayern München");
    m.score.fullTime = { home: 1, away: 1 }; // OpenLigaDB says 0:1
    await override(FD_PATH, changed);
    const { run } = await runIngest(FD);
    expect(run.counts).toMatchObject({ provider_disagreements: 1, matches: 1, match_observations: 1 });
    const list = await json(await api("/v1/admin/disagreements?kind=match", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }));
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ kind: "match", field: "score", values: { openligadb: "0:1", football_data: "1:1" } });
    const detail = await json(await api(`/v1/matches/${list.data[0].canonicalId}`));
    expect(detail.data.score).toMatchObject({ home: 1, away: 1 });
    // OpenLigaDB (lower rank) re-sending its 0:1 changes nothing, and the disagreement is not rewritten.
    const before = await rowVersions();
    expect((await runIngest(OLDB)).run.rows_written).toBe(0);
    expect(await rowVersions()).toEqual(before);
  });

  it("links API-Football's fixtures too: a match in all three providers is one row with three refs", async () => {
    await openRateGates();
    // The recorded API-Football answer for BL1 2023 (its not-yet-played matchdays 27–34, 71 fixtures) served as
    // the season's fixture list.
    await override("/api-football/fixtures?league=78&season=2023", afFixtures);
    const { run } = await runIngest(AF, 1, WITH_KEY);
    expect(run.status).toBe("succeeded");
    expect(await countRows("matches")).toBe(306);
    expect(await countRows("teams")).toBe(18);
    const refs = await refsPerEntity("match");
    expect(refs.filter((r) => r === "openligadb,api_football,football_data")).toHaveLength(71);
    expect(new Set(await refsPerEntity("team"))).toEqual(new Set(["openligadb,api_football,football_data"]));
    // One of them, through the API: "Bayern Munich" (API-Football) is "FC Bayern München" (football-data);
    // the kickoff is API-Football's (it ranks first for matches).
    const fixture = afFixtures.response.find((f) => f.teams.home.name === "Bayern Munich" && f.teams.away.name === "Borussia Dortmund")!;
    const list = await json(await api("/v1/matches?competition=BL1&season=2023&matchday=27"));
    const m = list.data.find((x: any) => x.home.name === "FC Bayern München" && x.away.name === "Borussia Dortmund");
    expect(m.kickoff).toBe(new Date(fixture.fixture.timestamp * 1000).toISOString().replace(".000Z", "Z"));
    expect((await runIngest(AF, 1, WITH_KEY)).run.rows_written).toBe(0);
  });
});
