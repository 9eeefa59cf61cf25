// Observations and fusion through the real job path (queue handler → replay server → normalize → store → Postgres):
// - the same BL1 2023/24 season from an OLDER football-data.org snapshot (test/generators/football-data-bl1-stale.mjs:
//   as of 2 October 2023, 54 finished, the rest TIMED/SCHEDULED at placeholder kick-offs) and the fresher recorded
//   OpenLigaDB season: every result OpenLigaDB has is served although football-data ranks higher, nothing twice,
//   and the opposite ingest order gives identical canonical rows;
// - a slow earlier fetch (its answer produced when asked, delivered late) committed after a newer one changes nothing.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countRows, fault, openRateGates, override, replay, resetAll, rowVersions, runIngest, withDb } from "./helpers";
import staleSnapshot from "./fixtures/football-data/snapshots/BL1-2023-as-of-2023-10-02.json";
import oldbSeason from "./fixtures/openligadb/getmatchdata/bl1/2023.json";
import afFixtures from "./fixtures/api-football/fixtures@league=78&season=2023&status=NS-PST.json";

const OLDB = { provider: "openligadb", competition: "BL1", season: 2023 } as const;
const FD = { provider: "football_data", competition: "BL1", season: 2023 } as const;
const AF = { provider: "api_football", competition: "BL1", season: 2023 } as const;
const FD_PATH = "/football-data/competitions/BL1/matches?season=2023";
const AF_PATH = "/api-football/fixtures?league=78&season=2023";
const WITH_KEY = { API_FOOTBALL_KEY: "test-key" };

/** The canonical rows by natural keys (surrogate ids differ between runs): every match with its events. */
async function canonicalRows() {
  return withDb(async (db) => {
    const r = await db.execute<{ k: string }>(sql`
      select concat_ws(' | ', h.name, a.name, m.matchday, m.kickoff::text, m.kickoff_tentative, m.status, m.home_score, m.away_score,
               m.halftime_home, m.halftime_away, m.venue, m.source_provider,
               (select string_agg(concat_ws(' ', e.type, e.minute, e.extra_minute, t.name, e.player_name, e.score_home, e.score_away, array_to_string(e.sources, ',')), '; ' order by e.minute, e.extra_minute, e.score_home + e.score_away)
                from match_events e left join teams t on t.id = e.team_id where e.match_id = m.id)) as k
      from matches m join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id order by 1`);
    return r.rows.map((x) => x.k);
  });
}

/** OpenLigaDB's finished results in the recording, by its match id. */
const oldbResults = new Map(
  (oldbSeason as any[])
    .filter((m) => m.matchIsFinished && m.matchResults.some((r: any) => r.resultTypeID === 2))
    .map((m) => {
      const final = m.matchResults.find((r: any) => r.resultTypeID === 2);
      return [String(m.matchID), `${final.pointsTeam1}:${final.pointsTeam2}`];
    }),
);

async function servedByOpenLigaDbRef() {
  return withDb(async (db) => {
    const r = await db.execute<{ ref: string; status: string; score: string; kickoff: Date; tentative: boolean }>(sql`
      select x.external_id as ref, m.status, m.home_score || ':' || m.away_score as score, m.kickoff, m.kickoff_tentative as tentative
      from matches m join external_refs x on x.kind = 'match' and x.provider = 'openligadb' and x.canonical_id = m.id`);
    return new Map(r.rows.map((x) => [x.ref, x]));
  });
}

async function ingestBoth(order: ("oldb" | "fd")[]) {
  await resetAll();
  await override(FD_PATH, staleSnapshot);
  for (const p of order) {
    await openRateGates();
    const { run } = await runIngest(p === "oldb" ? OLDB : FD);
    expect(run.status).toBe("succeeded");
  }
}

describe("an older snapshot from a higher-ranked provider", () => {
  let reference: string[];

  it("football-data's October snapshot, then OpenLigaDB's season: every OpenLigaDB result is served, nothing twice", async () => {
    await ingestBoth(["fd", "oldb"]);
    expect(oldbResults.size).toBeGreaterThan(200);
    expect(await countRows("matches")).toBe(306);
    expect(await countRows("teams")).toBe(18);
    expect(await countRows("match_observations")).toBe(612);
    const served = await servedByOpenLigaDbRef();
    expect(served.size).toBe(306);
    for (const [ref, score] of oldbResults) expect({ ref, status: served.get(ref)!.status, score: served.get(ref)!.score }).toEqual({ ref, status: "finished", score });
    // The snapshot's placeholder kick-offs (matchday 11 on) never win over OpenLigaDB's confirmed ones.
    for (const m of oldbSeason as any[]) expect(new Date(served.get(String(m.matchID))!.kickoff).toISOString()).toBe(new Date(m.matchDateTimeUTC).toISOString());
    expect([...served.values()].filter((m) => m.tentative)).toEqual([]);
    const dup = await withDb(async (db) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from (select season_id, home_team_id, away_team_id from matches group by 1, 2, 3 having count(*) > 1) d`)).rows[0]!.n);
    expect(dup).toBe(0);
    reference = await canonicalRows();
  });

  it("re-running either provider on the same data writes 0 rows", async () => {
    const before = await rowVersions();
    await openRateGates();
    expect((await runIngest(FD)).run.rows_written).toBe(0);
    expect((await runIngest(OLDB)).run.rows_written).toBe(0);
    expect(await rowVersions()).toEqual(before);
  });

  it("the opposite order gives identical canonical rows", async () => {
    await ingestBoth(["oldb", "fd"]);
    expect(await canonicalRows()).toEqual(reference);
  });
});

describe("a slow earlier fetch committed after a newer one", () => {
  it("changes nothing: the fetch time is taken before the request", async () => {
    await resetAll();
    await openRateGates();
    // API-Football sends no last-modified time: only our fetch times can order its answers.
    const older = structuredClone(afFixtures) as any;
    const newer = structuredClone(afFixtures) as any;
    const moved = newer.response.find((f: any) => f.teams.home.name === "Bayern Munich" && f.teams.away.name === "Borussia Dortmund");
    moved.fixture.date = "2024-03-30T14:30:00+00:00";
    moved.fixture.timestamp = Date.parse(moved.fixture.date) / 1000;
    await override(AF_PATH, older);
    await fault("/api-football/fixtures", "slow", { delayMs: 1500 });
    const slow = runIngest(AF, 1, WITH_KEY);
    // Once the slow request has been asked (its answer is the older list), the provider changes and a second
    // fetch brings the newer list, stored first.
    for (let i = 0; i < 100; i++) {
      const { requests } = (await replay("GET", "/__replay/requests")) as { requests: { path: string }[] };
      if (requests.some((r) => r.path === "/api-football/fixtures")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await override(AF_PATH, newer);
    const fast = await runIngest(AF, 1, WITH_KEY);
    expect(fast.run.status).toBe("succeeded");
    const kickoff = () =>
      withDb(async (db) => (await db.execute<{ k: Date }>(sql`select m.kickoff as k from matches m join external_refs x on x.kind = 'match' and x.provider = 'api_football' and x.canonical_id = m.id where x.external_id = ${String(moved.fixture.id)}`)).rows[0]!.k);
    expect(new Date(await kickoff()).toISOString()).toBe("2024-03-30T14:30:00.000Z");
    const before = await rowVersions();

    const late = await slow;
    expect(late.run.status).toBe("succeeded");
    expect(late.run.counts).toMatchObject({ staleSkipped: 71 });
    // The canonical rows are untouched. (The 70 unchanged fixtures' observations only learn that their content
    // was already true at the earlier fetch time.)
    expect(late.run.counts).not.toHaveProperty("matches");
    expect(late.run.counts).not.toHaveProperty("match_events");
    expect(new Date(await kickoff()).toISOString()).toBe("2024-03-30T14:30:00.000Z");
    const after = await rowVersions();
    for (const table of ["matches", "match_events", "teams", "external_refs"] as const) expect(after[table]).toEqual(before[table]);
  });
});
