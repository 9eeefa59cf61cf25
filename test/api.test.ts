// The read API against data ingested from the recorded matchday (replay → queue handler → Postgres), its
// Upstash read-through cache, ETags, invalidation after ingestion, errors, and the admin routes.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { ADMIN_TOKEN, api, json, override, resetAll, runIngest } from "./helpers";
import matchday12 from "./fixtures/openligadb/getmatchdata/bl1/2023/12.json";

const LIST = "/v1/matches?competition=BL1&season=2023&matchday=12";

describe("read API", () => {
  beforeAll(async () => {
    await resetAll();
    const { run } = await runIngest({ competition: "BL1", season: 2023, matchday: 12 });
    expect(run.status).toBe("succeeded");
  });

  it("lists the matchday's 9 matches with correct scores", async () => {
    const res = await api(LIST);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.data).toHaveLength(9);
    expect(body.page.nextCursor).toBeNull();
    const kbay = body.data.find((m: any) => m.home.name === "1. FC Köln");
    expect(kbay).toMatchObject({
      competition: { code: "BL1" },
      season: 2023,
      matchday: 12,
      kickoff: "2023-11-24T19:30:00Z",
      status: "finished",
      away: { name: "FC Bayern München", shortName: "Bayern" },
      score: { home: 0, away: 1, halftime: { home: 0, away: 1 } },
    });
    // Every score equals the recorded final result; the two Sunday matches were not played when it was recorded.
    for (const rec of matchday12) {
      const final = rec.matchResults.find((r) => r.resultTypeID === 2);
      const m = body.data.find((x: any) => x.home.name === rec.team1.teamName.trim());
      if (final) expect([m.status, m.score.home, m.score.away]).toEqual(["finished", final.pointsTeam1, final.pointsTeam2]);
      else expect([m.status, m.score.home, m.score.away]).toEqual(["scheduled", null, null]);
    }
    expect(body.data.filter((m: any) => m.status === "finished")).toHaveLength(7);
  });

  it("returns a match with its goal events in order", async () => {
    const list = await json(await api(LIST));
    const bvb = list.data.find((m: any) => m.home.name === "Borussia Dortmund");
    const res = await api(`/v1/matches/${bvb.id}`);
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data.score).toMatchObject({ home: 4, away: 2 });
    expect(data.events.map((e: any) => [e.minute, e.extraMinute, e.player.name])).toEqual([
      [13, null, "R. Reitz"],
      [28, null, "K. Kone"],
      [30, null, "M. Sabitzer"],
      [33, null, "N. Füllkrug"],
      [45, null, "J. Bynoe-Gittens"],
      [90, 7, "D. Malen"],
    ]);
    expect(data.events[5]).toMatchObject({ type: "goal", team: { id: bvb.home.id } });
  });

  it("filters by team, date, status and paginates with a cursor", async () => {
    const all = (await json(await api(LIST))).data;
    const team = all[0].home.id;
    const byTeam = await json(await api(`/v1/matches?team=${team}`));
    expect(byTeam.data).toHaveLength(1);
    const byDate = await json(await api("/v1/matches?date=2023-11-25"));
    expect(byDate.data.length).toBeGreaterThan(0);
    expect(byDate.data.every((m: any) => m.kickoff.startsWith("2023-11-25"))).toBe(true);
    const range = await json(await api("/v1/matches?from=2023-11-24&to=2023-11-24"));
    expect(range.data.map((m: any) => m.home.name)).toEqual(["1. FC Köln"]);
    const open = (await json(await api("/v1/matches?status=live,scheduled"))).data;
    expect(open.map((m: any) => m.home.name).sort()).toEqual(["1. FC Heidenheim 1846", "TSG 1899 Hoffenheim"]);
    expect((await json(await api("/v1/matches?status=live"))).data).toHaveLength(0);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await json(await api(`${LIST}&limit=4${cursor ? `&cursor=${cursor}` : ""}`));
      seen.push(...page.data.map((m: any) => m.id));
      cursor = page.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((m: any) => m.id));
  });

  it("computes standings from finished matches", async () => {
    const res = await api("/v1/competitions/BL1/standings?season=2023");
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data.competition.code).toBe("BL1");
    expect(data.table).toHaveLength(18);
    expect(data.table.filter((r: any) => r.played === 0)).toHaveLength(4);
    const top = data.table[0];
    expect(top).toMatchObject({ position: 1, played: 1, won: 1, points: 3 });
    const bayern = data.table.find((r: any) => r.team.name === "FC Bayern München");
    expect(bayern).toMatchObject({ played: 1, won: 1, goalsFor: 1, goalsAgainst: 0, goalDifference: 1, points: 3, form: "W" });
    // Points, then goal difference, then goals scored.
    for (let i = 1; i < data.table.length; i++) {
      const a = data.table[i - 1];
      const b = data.table[i];
      const cmp = a.points - b.points || a.goalDifference - b.goalDifference || a.goalsFor - b.goalsFor;
      expect(cmp, `${a.team.name} before ${b.team.name}`).toBeGreaterThanOrEqual(0);
    }
  });

  it("lists competitions and teams", async () => {
    const comps = await json(await api("/v1/competitions"));
    expect(comps.data.find((c: any) => c.code === "BL1")).toMatchObject({ name: "Bundesliga", country: "Germany", seasons: [2023] });
    expect(comps.data.find((c: any) => c.code === "PL")).toMatchObject({ seasons: [] });
    const teams = await json(await api("/v1/teams?competition=BL1&season=2023"));
    expect(teams.data).toHaveLength(18);
    const search = await json(await api("/v1/teams?q=m%C3%BCnchen"));
    expect(search.data.map((t: any) => t.name)).toEqual(["FC Bayern München"]);
    const one = await api(`/v1/teams/${search.data[0].id}`);
    expect((await json(one)).data).toMatchObject({ name: "FC Bayern München", shortName: "Bayern" });
  });

  it("serves top scorers (from goal events when no provider stats), team stats, players and live matches", async () => {
    const scorers = await json(await api("/v1/competitions/BL1/top-scorers?season=2023"));
    expect(scorers.meta).toMatchObject({ competition: "BL1", season: 2023, basis: "match_events" });
    // Matchday 12: Undav scored twice, everyone else at most once.
    expect(scorers.data[0]).toMatchObject({ player: { name: "Undav" }, goals: 2, team: { name: "VfB Stuttgart" } });
    expect(scorers.data.slice(1).every((s: any) => s.goals === 1)).toBe(true);

    const list = (await json(await api(LIST))).data;
    const bvb = list.find((m: any) => m.home.name === "Borussia Dortmund").home;
    const stats = await json(await api(`/v1/teams/${bvb.id}/stats?season=2023`));
    const bl1 = stats.data.competitions.find((x: any) => x.competition.code === "BL1");
    expect(bl1.total).toMatchObject({ played: 1, won: 1, goalsFor: 4, goalsAgainst: 2, points: 3, pointsPerGame: 3, cleanSheets: 0 });
    expect(bl1.home).toMatchObject({ played: 1, won: 1 });
    expect(bl1.away).toMatchObject({ played: 0, pointsPerGame: null });
    expect(bl1.biggestWin).toMatchObject({ score: "4:2", margin: 2 });
    expect(bl1.goalsByInterval["76-90"]).toEqual({ for: 1, against: 0 }); // Malen 90+7
    expect(Object.values(bl1.goalsByInterval).reduce((n: number, g: any) => n + g.for + g.against, 0)).toBe(6);

    const players = await json(await api(`/v1/players?team=${bvb.id}`));
    expect(players.data.map((p: any) => p.name)).toContain("D. Malen");
    const malen = players.data.find((p: any) => p.name === "D. Malen");
    expect((await json(await api(`/v1/players/${malen.id}`))).data).toMatchObject({ name: "D. Malen", team: { id: bvb.id } });
    expect((await json(await api(`/v1/players/${malen.id}/stats`))).data).toEqual([]);
    expect((await api("/v1/players/999999")).status).toBe(404);

    expect((await json(await api("/v1/matches/live"))).data).toEqual([]);
  });

  it("answers the second read from cache and 304 on a matching ETag", async () => {
    const path = "/v1/matches?matchday=12&season=2023&competition=BL1&limit=9";
    const first = await api(path);
    expect(first.headers.get("x-cache")).toBe("MISS");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    await first.text();
    // The cache write happens after the response (waitUntil); give it a moment.
    await expectEventually(async () => (await api(path)).headers.get("x-cache") === "HIT");
    const second = await api("/v1/matches?competition=BL1&limit=9&season=2023&matchday=12");
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(second.headers.get("etag")).toBe(etag);
    const notModified = await api(path, { headers: { "If-None-Match": etag } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    expect((await api(path, { headers: { "If-None-Match": '"other"' } })).status).toBe(200);
  });

  it("shows a new result on the next read after ingestion (exact invalidation)", async () => {
    const list = await json(await api(LIST));
    const kbay = list.data.find((m: any) => m.home.name === "1. FC Köln");
    const detailPath = `/v1/matches/${kbay.id}`;
    const standingsPath = "/v1/competitions/BL1/standings?season=2023";
    const teamsPath = "/v1/competitions";
    for (const p of [LIST, detailPath, standingsPath, teamsPath]) await api(p);
    await expectEventually(async () => (await api(detailPath)).headers.get("x-cache") === "HIT");
    await expectEventually(async () => (await api(standingsPath)).headers.get("x-cache") === "HIT");
    await expectEventually(async () => (await api(teamsPath)).headers.get("x-cache") === "HIT");

    // The provider corrects Köln - Bayern to 1:1.
    const changed = structuredClone(matchday12) as any[];
    const rec = changed.find((m) => m.matchID === 66734);
    rec.matchResults.find((r: any) => r.resultTypeID === 2).pointsTeam1 = 1;
    rec.goals.push({ goalID: 999001, scoreTeam1: 1, scoreTeam2: 1, matchMinute: 88, goalGetterID: 999002, goalGetterName: "New Scorer", isPenalty: false, isOwnGoal: false, isOvertime: false, comment: null });
    rec.lastUpdateDateTime = "2023-11-25T10:00:00";
    await override("/openligadb/getmatchdata/bl1/2023/12", changed);
    const { run } = await runIngest({ competition: "BL1", season: 2023, matchday: 12 });
    expect(run.rows_written).toBeGreaterThan(0);

    const detail = await api(detailPath);
    expect(detail.headers.get("x-cache")).toBe("MISS");
    expect((await json(detail)).data.score).toMatchObject({ home: 1, away: 1 });
    const again = await api(LIST);
    expect(again.headers.get("x-cache")).toBe("MISS");
    expect((await json(again)).data.find((m: any) => m.id === kbay.id).score.home).toBe(1);
    const standings = await json(await api(standingsPath));
    expect(standings.data.table.find((r: any) => r.team.name === "FC Bayern München")).toMatchObject({ drawn: 1, points: 1 });
    // Exactly what changed: the competitions list did not change, so it stays cached.
    expect((await api(teamsPath)).headers.get("x-cache")).toBe("HIT");
  });

  it("answers bad query parameters with 400 problem+json, never 500", async () => {
    const bad = [
      "/v1/matches?season=20x3",
      "/v1/matches?season=1800",
      "/v1/matches?matchday=0",
      "/v1/matches?date=2023-02-30",
      "/v1/matches?from=yesterday",
      "/v1/matches?status=playing",
      "/v1/matches?limit=1000",
      "/v1/matches?cursor=%27%3B--",
      "/v1/matches?competition=XX%27",
      "/v1/matches?unknown=1",
      "/v1/matches?team=-1",
      "/v1/matches?date=2023-11-25&from=2023-11-24",
      "/v1/matches?from=2023-12-01&to=2023-11-01",
      "/v1/competitions/BL1/standings?season=abc",
      "/v1/teams?q=",
      "/v1/matches/abc",
      "/v1/matches/99999999999",
    ];
    for (const path of bad) {
      const res = await api(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type"), path).toContain("application/problem+json");
      const body = await json(res);
      expect(body, path).toMatchObject({ type: expect.any(String), title: "Invalid request", status: 400, detail: expect.any(String) });
      expect(body.errors.length, path).toBeGreaterThan(0);
    }
    const missing = await api("/v1/matches/424242");
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ status: 404, title: "Not found" });
    expect((await api("/v1/competitions/XYZ/standings")).status).toBe(400);
    expect((await api("/v1/competitions/PL/standings")).status).toBe(404);
    expect((await api("/nope")).status).toBe(404);
  });

  it("still answers from Postgres when Redis is unreachable", async () => {
    const redisDown = { ...env, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9", UPSTASH_REDIS_REST_TOKEN: "x" };
    const ctx = createExecutionContext();
    const app = createApp();
    const started = Date.now();
    const res = await app.fetch(new Request(`http://api.test${LIST}`), redisDown, ctx);
    expect(res.status).toBe(200);
    expect((await json(res)).data).toHaveLength(9);
    expect(Date.now() - started).toBeLessThan(3000);
    const health = await app.fetch(new Request("http://api.test/health"), redisDown, ctx);
    expect(health.status).toBe(200);
    expect(await json(health)).toEqual({ status: "degraded", db: "ok", cache: "down" });
    await waitOnExecutionContext(ctx);
  });

  it("sends CORS, security headers and Server-Timing; refuses wrong methods (405) and oversized bodies (413)", async () => {
    const preflight = await api("/v1/matches", { method: "OPTIONS", headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const read = await api(LIST, { headers: { Origin: "https://app.example" } });
    expect(read.headers.get("access-control-allow-origin")).toBe("*");
    expect(read.headers.get("access-control-expose-headers")).toContain("ETag");
    expect(read.headers.get("x-content-type-options")).toBe("nosniff");
    expect(read.headers.get("strict-transport-security")).toBeTruthy();
    expect(read.headers.get("server-timing")).toMatch(/cache;dur=/);
    // A browser on another origin cannot call admin routes: preflights allow neither POST nor Authorization.
    const adminPreflight = await api("/v1/admin/jobs/update_matches", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization" },
    });
    expect(adminPreflight.headers.get("access-control-allow-methods")).not.toContain("POST");
    expect(adminPreflight.headers.get("access-control-allow-headers")?.toLowerCase() ?? "").not.toContain("authorization");

    const wrong = await api("/v1/matches", { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toContain("GET");
    expect(await json(wrong)).toMatchObject({ status: 405, title: "Method not allowed" });

    const big = await api("/v1/admin/jobs/update_matches", {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ competition: "BL1", pad: "x".repeat(20_000) }),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get("content-type")).toContain("application/problem+json");
  });

  it("reports health", async () => {
    const res = await api("/health");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: "ok", db: "ok", cache: "ok" });
  });
});

describe("admin routes", () => {
  it("refuse a missing or wrong token", async () => {
    const missing = await api("/v1/admin/jobs/update_matches", { method: "POST" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    const wrong = await api("/v1/admin/jobs/update_matches", { method: "POST", headers: { Authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    const runs = await api("/v1/admin/jobs/runs", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}x` } });
    expect(runs.status).toBe(401);
  });

  it("validate the job and its body", async () => {
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
    expect((await api("/v1/admin/jobs/update_everything", { method: "POST", headers: auth })).status).toBe(400);
    expect((await api("/v1/admin/jobs/update_matches", { method: "POST", headers: auth, body: "{" })).status).toBe(400);
    expect((await api("/v1/admin/jobs/update_matches", { method: "POST", headers: auth, body: '{"season":"x"}' })).status).toBe(400);
    const uncovered = await api("/v1/admin/jobs/update_matches", { method: "POST", headers: auth, body: '{"competition":"PL","season":2023}' });
    expect(uncovered.status).toBe(422);
    expect((await json(uncovered)).detail).toMatch(/no configured provider covers/);
  });

  it("list provider disagreements", async () => {
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const res = await api("/v1/admin/disagreements", { headers: auth });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toEqual([]);
    expect((await api("/v1/admin/disagreements?kind=planet", { headers: auth })).status).toBe(400);
    expect((await api("/v1/admin/disagreements")).status).toBe(401);
  });

  it("enqueue a backfill (202 with runId) and list job runs", async () => {
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
    const res = await api("/v1/admin/jobs/update_matches", { method: "POST", headers: auth, body: JSON.stringify({ competition: "BL1", season: 2023, matchday: 12 }) });
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.units).toEqual([{ job: "update_matches", provider: "openligadb", competition: "BL1", season: 2023, matchday: 12 }]);
    const runs = await json(await api("/v1/admin/jobs/runs?job=update_matches", { headers: auth }));
    expect(runs.data.find((r: any) => r.runId === body.runId)).toMatchObject({ job: "update_matches", trigger: "manual", competition: "BL1" });
  });
});

async function expectEventually(check: () => Promise<boolean>, timeoutMs = 3000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("condition not met in time");
}
