// The edge layer (Workers Cache API keyed by tag versions) in front of Upstash, and reads when a backing service
// is down: Redis down → 200 from Postgres; Postgres down → cached reads 200 (a stale copy marked STALE),
// uncached reads 503 problem+json.
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { api, apiWithEnv, fault, json, override, replay, resetAll, runIngest } from "./helpers";
import matchday12 from "./fixtures/openligadb/getmatchdata/bl1/2023/12.json";

const LIST = "/v1/matches?competition=BL1&season=2023&matchday=12";
const PG_DOWN = { DATABASE_URL: "postgres://postgres@127.0.0.1:9/nowhere" };
const REDIS_DOWN = { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };

async function until(path: string, want: (r: Response) => boolean, env?: Record<string, string>): Promise<Response> {
  for (let i = 0; i < 50; i++) {
    const res = env ? await apiWithEnv(env, path) : await api(path);
    if (want(res)) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path}: never reached the wanted state`);
}
const layer = (r: Response) => `${r.headers.get("x-cache")}/${r.headers.get("x-cache-layer") ?? "-"}`;

describe("edge cache and degraded reads", () => {
  beforeAll(async () => {
    await resetAll();
    expect((await runIngest({ competition: "BL1", season: 2023, matchday: 12 })).run.status).toBe("succeeded");
  });

  it("serves a repeated read from the edge, and ingestion retires the edge copy", async () => {
    const first = await api(LIST);
    expect(layer(first)).toBe("MISS/-");
    const body = await first.text();
    const fromEdge = await until(LIST, (r) => layer(r) === "HIT/edge");
    expect(await fromEdge.text()).toBe(body);
    expect(fromEdge.headers.get("etag")).toBe(first.headers.get("etag"));

    // The provider corrects a score; the ingestion bumps the tags' versions, so the edge copy is unreachable.
    const changed = structuredClone(matchday12) as any[];
    const rec = changed.find((m) => m.matchID === 66734);
    rec.matchResults.find((r: any) => r.resultTypeID === 2).pointsTeam1 = 2;
    rec.lastUpdateDateTime = "2023-11-26T10:00:00";
    await override("/openligadb/getmatchdata/bl1/2023/12", changed);
    expect((await runIngest({ competition: "BL1", season: 2023, matchday: 12 })).run.rows_written).toBeGreaterThan(0);
    const after = await api(LIST);
    expect(layer(after)).toBe("MISS/-");
    expect((await json(after)).data.find((m: any) => m.home.name === "1. FC Köln").score.home).toBe(2);
    // A copy from Redis (e.g. another colo filled it) also fills this colo's edge.
    await until(LIST, (r) => layer(r) === "HIT/edge");
  });

  it("reads from Postgres when Redis is down, without waiting on Redis again", async () => {
    const res = await apiWithEnv(REDIS_DOWN, "/v1/teams?competition=BL1");
    expect(res.status).toBe(200);
    expect(layer(res)).toBe("BYPASS/-");
    expect((await json(res)).data.length).toBeGreaterThan(0);
  });

  it("skips a Redis that hangs after its first timeout (breaker), instead of waiting on every read", async () => {
    // An Upstash URL that accepts requests and never answers (a replay path held open).
    await fault("/openligadb/blackhole", "timeout", { times: -1 });
    const hanging = { UPSTASH_REDIS_REST_URL: `${env.TEST_REPLAY_URL}/openligadb/blackhole` };
    const calls = async () => ((await replay("GET", "/__replay/requests")) as { requests: { path: string }[] }).requests.filter((r) => r.path.startsWith("/openligadb/blackhole")).length;
    const first = await apiWithEnv(hanging, "/v1/teams?competition=BL1");
    expect([first.status, layer(first)]).toEqual([200, "BYPASS/-"]);
    await first.arrayBuffer();
    const afterFirst = await calls();
    expect(afterFirst).toBeGreaterThan(0);
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const again = await apiWithEnv(hanging, "/v1/teams?competition=BL1");
      expect([again.status, layer(again)]).toEqual([200, "BYPASS/-"]);
      await again.arrayBuffer();
    }
    // Five reads without a single Redis call or its 500 ms time-box.
    expect(await calls()).toBe(afterFirst);
    expect(Date.now() - started).toBeLessThan(1000);
    await replay("POST", "/__replay/reset");
  });

  it("answers cached reads when Postgres is down, and uncached ones with 503", async () => {
    const standings = "/v1/competitions/BL1/standings?season=2023";
    const fresh = await json(await api(standings));
    await until(standings, (r) => layer(r) === "HIT/edge");
    // Current copies answer as usual: no Postgres needed.
    const cached = await apiWithEnv(PG_DOWN, standings);
    expect([cached.status, layer(cached)]).toEqual([200, "HIT/edge"]);

    // After an invalidation there is no current copy: the last known good one answers, marked stale.
    const changed = structuredClone(matchday12) as any[];
    changed.find((m) => m.matchID === 66734).lastUpdateDateTime = "2023-11-27T10:00:00";
    changed.find((m) => m.matchID === 66734).matchResults.find((r: any) => r.resultTypeID === 2).pointsTeam1 = 3;
    await override("/openligadb/getmatchdata/bl1/2023/12", changed);
    expect((await runIngest({ competition: "BL1", season: 2023, matchday: 12 })).run.rows_written).toBeGreaterThan(0);
    const stale = await apiWithEnv(PG_DOWN, standings);
    expect(stale.status).toBe(200);
    expect(layer(stale)).toBe("STALE/-");
    expect(stale.headers.get("cache-control")).toBe("no-store");
    expect(stale.headers.get("warning")).toContain("110");
    expect(await json(stale)).toEqual(fresh);

    const uncached = await apiWithEnv(PG_DOWN, "/v1/matches?competition=BL1&season=2023&matchday=11");
    expect(uncached.status).toBe(503);
    expect(uncached.headers.get("content-type")).toContain("application/problem+json");
    expect(uncached.headers.get("retry-after")).toBeTruthy();
    const problem = await json(uncached);
    expect(problem).toMatchObject({ status: 503, title: "Service unavailable" });
    expect(JSON.stringify(problem)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|stack/);
  });
});
