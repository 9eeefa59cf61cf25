// Match and team detail (issue 8): real API-Football samples for lineups, fixture statistics and fixture players,
// the documented /odds, /predictions and /teams shapes and football-data.org clubs — parsed (string-number
// quirks), stored on the right canonical match, team and players through the real queue handler, replay server,
// Postgres and Redis; re-ingesting writes 0 rows; odds' margin-free probabilities sum to 1; a match without
// lineups answers `lineups: null`.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { readConfig, type Config } from "../src/env";
import { createResponseCache } from "../src/cache/response-cache";
import { tagsForStoreResult } from "../src/ingest/invalidation";
import { storeMatchBatch } from "../src/ingest/store";
import { storeMatchDetails } from "../src/ingest/store-detail";
import { detailPhase } from "../src/ingest/jobs/detail";
import { planJob } from "../src/ingest/producer";
import { jobsForCron } from "../src/ingest/schedule";
import { consensus, removeMargin } from "../src/analytics/odds";
import { fixtureDetailPart } from "../src/providers/api-football";
import { normalizeDetailResponse, normalizeFixtureDetails, normalizeOdds, normalizePrediction, normalizeTeamInfos, statValue } from "../src/providers/api-football/detail-normalize";
import { afEnvelope } from "../src/providers/api-football/schema";
import type { MatchBatch } from "../src/domain/canonical";
import { MatchDetailSchema, TeamDetailSchema } from "../src/api/schemas";
import { api, json, openRateGates, override, redis, replay, resetAll, rowVersions, runIngest, withDb } from "./helpers";
import lineups592872 from "./fixtures/api-football/fixtures/lineups@fixture=592872.json";
import players592872 from "./fixtures/api-football/fixtures/players@fixture=592872.json";
import players592758 from "./fixtures/api-football/fixtures/players@fixture=592758.json";
import statistics1149519 from "./fixtures/api-football/fixtures/statistics@fixture=1149519.json";
import clPenalties from "./fixtures/api-football/fixtures@ids=1149523-1149519.json";
import oddsDocs from "./fixtures/api-football/odds@fixture=326090.json";
import predictionDocs from "./fixtures/api-football/predictions@fixture=198772.json";
import teamsPl from "./fixtures/api-football/teams@league=39&season=2020.json";

/** The body matches its OpenAPI schema exactly: valid, and nothing undocumented (zod drops unknown keys). */
function expectDocumented(schema: { safeParse(x: unknown): { success: boolean; data?: unknown; error?: { issues: unknown[] } } }, body: unknown) {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data).toEqual(body);
}

const KEYS = { API_FOOTBALL_KEY: "test-key", FOOTBALL_DATA_TOKEN: "test-token" };
const config = (): Config => ({ ...readConfig(env), apiFootball: { ...readConfig(env).apiFootball, key: "test-key" } });
const response = (sample: unknown) => afEnvelope.parse(sample).response;
const MCI_EVE = { ref: "592872", homeRef: "50", awayRef: "45" };
const BUR_ARS = { ref: "592758", homeRef: "44", awayRef: "42" };

const q = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => withDb(async (db) => (await db.execute<T>(query)).rows);
const canonical = async (kind: string, provider: string, ref: string) =>
  (await q<{ id: number }>(sql`select canonical_id as id from external_refs where kind = ${kind} and provider = ${provider} and external_id = ${ref}`))[0]?.id;

async function twice(unit: Parameters<typeof runIngest>[0]) {
  await openRateGates();
  const first = await runIngest(unit, 1, KEYS);
  expect(first.run.status, String(first.run.error)).toBe("succeeded");
  expect(Number(first.run.rows_written)).toBeGreaterThan(0);
  const before = await rowVersions();
  await clearCheckpoints();
  const second = await runIngest(unit, 1, KEYS);
  expect(second.run).toMatchObject({ status: "succeeded", rows_written: 0 });
  expect(await rowVersions()).toEqual(before);
  return first.run;
}

/** Forgets which detail phases were fetched (so a second run fetches the same data again). */
async function clearCheckpoints() {
  const r = redis();
  const keys = [...(await r.keys("md:v1:checkpoint:details:*")), ...(await r.keys("md:v1:checkpoint:prediction:*"))];
  if (keys.length) await r.del(...keys);
}

/** A match known to API-Football by id, as its fixtures feed would have stored it (the samples are detail-only). */
function seedBatch(target: typeof MCI_EVE, teams: [string, string], competition: MatchBatch["competition"], season: number, kickoff: Date, status: "finished" | "scheduled"): MatchBatch {
  return {
    provider: "api_football",
    competition,
    season,
    teams: [
      { ref: target.homeRef, name: teams[0], shortName: null, tla: null, crestUrl: null },
      { ref: target.awayRef, name: teams[1], shortName: null, tla: null, crestUrl: null },
    ],
    players: [],
    matches: [{
      ref: target.ref, matchday: 38, stage: null, kickoff, status, minute: null, homeRef: target.homeRef, awayRef: target.awayRef,
      homeScore: status === "finished" ? 5 : null, awayScore: status === "finished" ? 0 : null, halftimeHome: null, halftimeAway: null,
      venue: null, attendance: null, sourceUpdatedAt: null, events: null,
    }],
    discarded: [],
  };
}

describe("API-Football detail payloads: parsing and quirks (real samples)", () => {
  it("lineups: formation, coach, numbers, positions, grid; an empty response is null, not an empty lineup", () => {
    const batch = normalizeDetailResponse("lineups", response(lineups592872), MCI_EVE);
    const [city, everton] = batch.details[0]!.lineups!;
    expect(city).toMatchObject({ teamRef: "50", formation: "4-3-3", coach: "Guardiola" });
    expect(city!.startXI).toHaveLength(11);
    expect(city!.substitutes).toHaveLength(9);
    expect(city!.startXI[0]).toEqual({ ref: "617", name: "Ederson", number: 31, position: "Goalkeeper", grid: "1:1" });
    expect(city!.substitutes[0]).toMatchObject({ ref: "50828", grid: null });
    expect(everton).toMatchObject({ teamRef: "45", formation: "4-3-1-2", coach: "C. Ancelotti" });
    expect(batch.players).toHaveLength(11 + 9 + 11 + 8);
    expect(normalizeDetailResponse("lineups", [], MCI_EVE).details[0]!.lineups).toBeNull();
    // A team that is neither side of the fixture is left out, with a note.
    const wrong = normalizeDetailResponse("lineups", response(lineups592872), { ...MCI_EVE, awayRef: "999" });
    expect(wrong.details[0]!.lineups!.map((l) => l.teamRef)).toEqual(["50"]);
    expect(wrong.discarded.join()).toMatch(/team 45, neither home nor away/);
  });

  it("team statistics: '47%' / '85%' / expected_goals '2.73' / null parse; numbers stay numbers", () => {
    const [atleti, inter] = normalizeDetailResponse("statistics", response(statistics1149519), { ref: "1149519", homeRef: "530", awayRef: "505" }).details[0]!.statistics!;
    expect(atleti).toMatchObject({ teamRef: "530", possession: 47, passAccuracy: 85, expectedGoals: 2.73, shots: 23, shotsOnTarget: 9, offsides: null, redCards: null, passes: 685, passesAccurate: 583, saves: 4 });
    expect(inter!.possession! + atleti!.possession!).toBe(100);
    expect([statValue("85%"), statValue("2.73"), statValue(9), statValue(null), statValue("n/a")]).toEqual([85, 2.73, 9, null, null]);
  });

  it("player match stats: rating '8.2' → 8.2, passes.accuracy '26' is a count, unused substitutes keep minutes null", () => {
    const batch = normalizeDetailResponse("players", response(players592872), MCI_EVE);
    const stats = batch.details[0]!.players!;
    expect(stats).toHaveLength(players592872.response.reduce((n, t) => n + t.players.length, 0));
    const ederson = stats.find((s) => s.playerRef === "617")!;
    expect(ederson).toMatchObject({ teamRef: "50", minutes: 90, rating: 8.2, passes: 29, passesAccurate: 26, number: 31, position: "Goalkeeper", substitute: false });
    expect(ederson.extra).toMatchObject({ saves: 3, conceded: 0, penaltySaved: 1 });
    const aguero = stats.find((s) => s.playerRef === "642")!;
    expect(aguero).toMatchObject({ minutes: 25, rating: 8.9, goals: 2, shots: 4, shotsOnTarget: 4, substitute: true });
    const unused = normalizeDetailResponse("players", response(players592758), BUR_ARS).details[0]!.players!.find((s) => s.playerRef === "18912")!;
    expect(unused).toMatchObject({ minutes: null, rating: null, substitute: true });
  });

  it("/fixtures?ids= embeds all three parts; the lineup's 'J. Oblak' and the stats' 'Jan Oblak' are one player", () => {
    const batch = normalizeFixtureDetails(response(clPenalties));
    expect(batch.details.map((d) => [d.matchRef, d.lineups?.length, d.statistics?.length, d.players?.length])).toEqual([
      ["1149519", 2, 2, 45],
      ["1149523", 2, 2, 46],
    ]);
    expect(batch.players.find((p) => p.ref === "29")).toMatchObject({ name: "Jan Oblak", teamRef: "530", position: "Goalkeeper" });
    expect(batch.discarded).toEqual([]);
  });

  it("odds (documented example): decimal strings, numeric selection labels, over/under lines split, non-exclusive bets left out", () => {
    const batch = normalizeOdds(response(oddsDocs), { page: 1, paging: { current: 1, total: 1 } });
    const kept = batch.odds.map((o) => `${o.market}${o.line ? ` ${o.line}` : ""}`).sort();
    expect(kept).toEqual(["Both Teams Score", "Odd/Even - First Half", "Total - Away 1.5", "Total - Away 2.5", "Total - Home 1.5", "Total - Home 2.5", "Win to Nil - Away", "Win to Nil - Home"]);
    expect(batch.discarded.join()).toMatch(/2 bet types without exclusive outcomes not kept \(Exact Goals Number, Double Chance - First Half\)/);
    const btts = batch.odds.find((o) => o.market === "Both Teams Score")!;
    expect(btts).toMatchObject({ matchRef: "326090", bookmaker: "Bwin", bookmakerRef: "6", selections: [{ name: "No", odds: 1.72 }, { name: "Yes", odds: 2 }] });
    expect(btts.sourceUpdatedAt?.toISOString()).toBe("2020-05-15T09:49:32.000Z");
    const away25 = batch.odds.find((o) => o.market === "Total - Away" && o.line === "2.5")!;
    expect(away25.selections).toEqual([{ name: "Under", odds: 1.06 }, { name: "Over", odds: 7.25 }]);
  });

  it("margin removal (proportional): probabilities sum to 1, the margin is Σ1/odds − 1, incomplete markets are not normalized", () => {
    const n = removeMargin([{ name: "No", odds: 1.72 }, { name: "Yes", odds: 2 }], true);
    expect(n.margin).toBeCloseTo(1 / 1.72 + 1 / 2 - 1, 6);
    expect(n.selections.reduce((a, s) => a + s.probability!, 0)).toBeCloseTo(1, 12);
    expect(n.selections[0]!.probability).toBeCloseTo(1 / 1.72 / (1 / 1.72 + 1 / 2), 12);
    const incomplete = removeMargin([{ name: "Home", odds: 2.7 }, { name: "Away", odds: 3 }], false);
    expect(incomplete.margin).toBeNull();
    expect(incomplete.selections.map((s) => s.probability)).toEqual([null, null]);
    const c = consensus([n, removeMargin([{ name: "No", odds: 1.8 }, { name: "Yes", odds: 1.95 }], true)])!;
    expect(c.reduce((a, s) => a + s.probability, 0)).toBeCloseTo(1, 12);
  });

  it("predictions (documented example): '45%' → 0.45, '51.5%' → 0.515, winner linked to the home team", () => {
    const [p] = normalizePrediction(response(predictionDocs), { ref: "198772", homeRef: "1189", awayRef: "1180" }).predictions;
    expect(p).toMatchObject({ matchRef: "198772", homeWin: 0.45, draw: 0.45, awayWin: 0.1, winnerTeamRef: "1189", winnerComment: "Win or draw", winOrDraw: true, underOver: "-3.5", goalsHome: "-2.5", goalsAway: "-1.5" });
    expect(p!.comparison!.total).toEqual({ home: 0.515, away: 0.485 });
    // A prediction for other teams than the fixture's is not attached to it.
    expect(normalizePrediction(response(predictionDocs), { ref: "198772", homeRef: "1180", awayRef: "1189" }).predictions).toEqual([]);
  });

  it("teams: venue with capacity and surface, founded, three-letter code", () => {
    const batch = normalizeTeamInfos(response(teamsPl), { competition: "PL", season: 2020 });
    expect(batch.teams.find((t) => t.ref === "33")).toMatchObject({ name: "Manchester United", tla: "MUN" });
    expect(batch.details.find((d) => d.teamRef === "33")).toMatchObject({ founded: 1878, country: "England", venue: { name: "Old Trafford", address: "Sir Matt Busby Way", city: "Manchester", capacity: 76212, surface: "grass" } });
  });
});

describe("detail through the queue, Postgres and the API", () => {
  let atleti: number;
  beforeAll(async () => {
    await resetAll();
    // The recorded CL fixtures (Atlético – Inter, Arsenal – Porto) as the daily fixtures job stores them …
    await override("/api-football/fixtures?league=2&season=2023", clPenalties);
    const run = await runIngest({ job: "update_matches", provider: "api_football", competition: "CL", season: 2023 }, 1, KEYS);
    expect(run.run.status, String(run.run.error)).toBe("succeeded");
    atleti = (await canonical("match", "api_football", "1149519"))!;
    // … finished two hours ago (the "final" detail phase), so the details job picks them up.
    await withDb((db) => db.execute(sql`update matches set kickoff = now() - interval '2 hours' where competition_id = (select id from competitions where code = 'CL')`));
    await override("/api-football/fixtures?ids=1149519-1149523", clPenalties);
    await override("/api-football/fixtures?ids=1149523-1149519", clPenalties);
  });

  it("update_match_details: lineups, statistics and player stats land on the right match, teams and players; again → 0 rows", async () => {
    const run = await twice({ job: "update_match_details", provider: "api_football", competition: "CL", season: 2023 });
    expect(run.counts).toMatchObject({ lineups: 4, match_team_stats: 4, match_player_stats: 45 + 46 });
    const atletiTeam = await canonical("team", "api_football", "530");
    const oblak = await canonical("player", "api_football", "29");
    const lineup = await q<{ team_id: number; formation: string; coach: string; start_xi: { playerId: number; name: string }[] }>(sql`select * from lineups where match_id = ${atleti} and team_id = ${atletiTeam}`);
    expect(lineup[0]).toMatchObject({ formation: "3-5-2", coach: "D. Simeone" });
    expect(lineup[0]!.start_xi[0]).toMatchObject({ playerId: oblak, name: "J. Oblak", number: 13, position: "Goalkeeper", grid: "1:1" });
    const players = await q<{ name: string; team_id: number }>(sql`select name, team_id from players where id = ${oblak!}`);
    expect(players[0]).toEqual({ name: "Jan Oblak", team_id: atletiTeam });

    const body = await json(await api(`/v1/matches/${atleti}`));
    const d = body.data;
    expect(d.home.id).toBe(atletiTeam);
    expect(d.lineups.home).toMatchObject({ team: { id: atletiTeam }, formation: "3-5-2", provider: "api_football" });
    expect(d.lineups.away.team.id).toBe(d.away.id);
    expect(d.statistics.home).toMatchObject({ team: { id: atletiTeam }, possession: 47, passAccuracy: 85, shots: 23, passesAccurate: 583 });
    expect(d.statistics.home.expectedGoals).toBeCloseTo(2.73, 5);
    expect(d.playerStats).toHaveLength(45);
    const oblakLine = d.playerStats.find((p: any) => p.player.id === oblak);
    expect(oblakLine).toMatchObject({ player: { name: "Jan Oblak" }, team: { id: atletiTeam }, minutes: 121, rating: 8, passes: 27, passesAccurate: 20 });
    expect(d.odds).toBeNull();
    expect(d.predictions).toBeNull();
    // Fetched once per phase: the next 5-minute run has nothing to do (and asks the provider nothing).
    const again = await runIngest({ job: "update_match_details", provider: "api_football", competition: "CL", season: 2023 }, 1, KEYS);
    expect(again.run).toMatchObject({ status: "skipped", rows_written: 0 });
  });

  it("update_odds: bookmakers with different bet sets; per market the margin-free probabilities sum to 1; again → 0 rows", async () => {
    // A match of the same competition kicking off tomorrow, known to API-Football (its prediction is fetched too).
    await withDb((db) => db.transaction((tx) => storeMatchBatch(tx, seedBatch({ ref: "198772", homeRef: "1189", awayRef: "1180" }, ["Deportivo Santani", "Deportivo Capiata"], "CL", 2023, new Date(Date.now() + 86_400_000), "scheduled"))));
    const run = await twice({ job: "update_odds", provider: "api_football", competition: "CL", season: 2023, page: 1 });
    // Atlético – Inter: Bet365 Match Winner, O/U 2.5 and 1.5, BTTS (Exact Goals left out); Bwin Match Winner (Double
    // Chance left out); 1xBet Match Winner (incomplete). Arsenal – Porto: Bet365 Match Winner, BTTS.
    expect(run.counts).toMatchObject({ match_odds: 4 + 1 + 1 + 2, match_predictions: 1 });
    const d = (await json(await api(`/v1/matches/${atleti}`))).data;
    expectDocumented(MatchDetailSchema, d);
    expect(d.lineups && d.statistics && d.playerStats && d.odds).toBeTruthy();
    expect(d.odds.method).toBe("proportional");
    const winner = d.odds.markets.find((m: any) => m.market === "Match Winner");
    expect(winner.bookmakers.map((b: any) => b.name)).toEqual(["1xBet", "Bet365", "Bwin"]);
    for (const b of winner.bookmakers.filter((x: any) => x.name !== "1xBet")) {
      expect(b.margin).toBeGreaterThan(0);
      expect(b.selections.reduce((a: number, s: any) => a + s.probability, 0)).toBeCloseTo(1, 9);
      expect(b.selections.reduce((a: number, s: any) => a + s.impliedProbability, 0)).toBeCloseTo(1 + b.margin, 5);
    }
    const bet365 = winner.bookmakers.find((b: any) => b.name === "Bet365");
    expect(bet365.selections[0]).toMatchObject({ name: "Home", odds: 2.62 });
    expect(bet365.selections[0].probability).toBeCloseTo(1 / 2.62 / (1 / 2.62 + 1 / 3.1 + 1 / 2.9), 9);
    expect(bet365.updatedAt).toBe("2024-03-13T08:01:12Z");
    // 1xBet quoted only Home and Away: no margin-free probabilities are invented.
    expect(winner.bookmakers.find((b: any) => b.name === "1xBet")).toMatchObject({ margin: null, selections: [{ probability: null }, { probability: null }] });
    expect(winner.consensus.reduce((a: number, s: any) => a + s.probability, 0)).toBeCloseTo(1, 9);
    expect(d.odds.markets.find((m: any) => m.market === "Goals Over/Under" && m.line === "2.5").bookmakers[0].selections.map((s: any) => s.name)).toEqual(["Over", "Under"]);

    const seeded = await canonical("match", "api_football", "198772");
    const santani = await canonical("team", "api_football", "1189");
    const p = (await json(await api(`/v1/matches/${seeded}`))).data.predictions;
    // Our model's prediction sits beside the provider's: the same figures as /v1/matches/{id}/prediction.
    const ours = await json(await api(`/v1/matches/${seeded}/prediction`));
    expect(ours.meta.fittedOn).toBeGreaterThan(0);
    expect(p.model).toEqual({ model: ours.meta.model, fittedOn: ours.meta.fittedOn, probabilities: ours.data.probabilities, expectedGoals: ours.data.expectedGoals, mostLikelyScores: ours.data.mostLikelyScores });
    expect(p.model.probabilities.home + p.model.probabilities.draw + p.model.probabilities.away).toBeCloseTo(1, 3);
    expect(p.providers).toEqual([
      expect.objectContaining({ source: "api_football", homeWin: 0.45, draw: 0.45, awayWin: 0.1, winner: { team: { id: santani }, comment: "Win or draw" }, underOver: "-3.5", advice: expect.stringMatching(/^Combo Double chance/) }),
    ]);
    expect(p.providers[0].comparison.poisson_distribution).toEqual({ home: 0.75, away: 0.25 });
  });

  it("a match without lineups answers lineups: null (and an empty lineups response stores nothing)", async () => {
    const batch = seedBatch(MCI_EVE, ["Manchester City", "Everton"], "PL", 2020, new Date("2021-05-23T15:00:00Z"), "finished");
    await withDb((db) => db.transaction((tx) => storeMatchBatch(tx, batch)));
    const id = (await canonical("match", "api_football", "592872"))!;
    await override("/api-football/fixtures/lineups?fixture=592872", { get: "fixtures/lineups", parameters: { fixture: "592872" }, errors: [], results: 0, paging: { current: 1, total: 1 }, response: [] });
    const { data } = await fixtureDetailPart({ config: config(), now: new Date() }, "lineups", MCI_EVE);
    const stored = await withDb((db) => db.transaction((tx) => storeMatchDetails(tx, data, { competition: "PL", season: 2020 })));
    expect(stored.written).toBe(0);
    const d = (await json(await api(`/v1/matches/${id}`))).data;
    expect(d).toMatchObject({ lineups: null, statistics: null, playerStats: null, odds: null, predictions: null });
    expect(d.events).toEqual([]);
  });

  it("standalone /fixtures/lineups and /fixtures/players (real samples) land on the match; again → 0 rows", async () => {
    await replay("DELETE", "/__replay/override?path=" + encodeURIComponent("/api-football/fixtures/lineups?fixture=592872"));
    const id = (await canonical("match", "api_football", "592872"))!;
    const ctx = { config: config(), now: new Date() };
    const store = async (part: "lineups" | "players") => {
      const { data } = await fixtureDetailPart(ctx, part, MCI_EVE);
      const result = await withDb((db) => db.transaction((tx) => storeMatchDetails(tx, data, { competition: "PL", season: 2020 })));
      // As the consumer does after a store: retire the cached reads the writes affect.
      await createResponseCache(config())!.invalidate(tagsForStoreResult(result));
      return result;
    };
    expect((await store("lineups")).counts).toMatchObject({ lineups: 2 });
    expect((await store("players")).counts).toMatchObject({ match_player_stats: players592872.response.reduce((n, t) => n + t.players.length, 0) });
    const before = await rowVersions();
    expect((await store("lineups")).written).toBe(0);
    expect((await store("players")).written).toBe(0);
    expect(await rowVersions()).toEqual(before);
    const d = (await json(await api(`/v1/matches/${id}`))).data;
    const city = await canonical("team", "api_football", "50");
    expect(d.lineups.home).toMatchObject({ team: { id: city }, formation: "4-3-3", coach: "Guardiola" });
    expect(d.lineups.home.startXI.map((p: any) => p.player.name)).toContain("Kevin De Bruyne");
    expect(d.playerStats.find((p: any) => p.player.name === "Sergio Agüero")).toMatchObject({ team: { id: city }, goals: 2, minutes: 25, rating: 8.9 });
    // Every lineup player is the canonical player the stats name.
    const unlinked = await q(sql`select 1 from lineups l, jsonb_array_elements(l.start_xi) x where l.match_id = ${id} and (x->>'playerId') is null`);
    expect(unlinked).toEqual([]);
  });

  it("update_team_details from both providers, merged per field (venue: API-Football first; club fields: football-data first); again → 0 rows", async () => {
    await twice({ job: "update_team_details", provider: "api_football", competition: "PL", season: 2020 });
    await twice({ job: "update_team_details", provider: "football_data", competition: "PL", season: 2020 });
    const city = await canonical("team", "api_football", "50");
    expect(await canonical("team", "football_data", "65")).toBe(city); // "Manchester City FC" ~ "Manchester City"
    const t = (await json(await api(`/v1/teams/${city}`))).data;
    expectDocumented(TeamDetailSchema, t);
    expect(t).toMatchObject({
      id: city,
      name: "Manchester City FC",
      tla: "MCI",
      founded: 1880,
      country: "England",
      coach: "Pep Guardiola",
      address: "SportCity Manchester M11 3FF",
      website: "https://www.mancity.com",
      venue: { name: "Etihad Stadium", address: "Rowsley Street", city: "Manchester", capacity: 55097, surface: "grass", image: "https://media.api-sports.io/football/venues/555.png" },
    });
  });
});

describe("when detail is fetched", () => {
  const kickoff = new Date("2026-11-28T15:00:00Z");
  const at = (minutes: number) => new Date(kickoff.getTime() + minutes * 60_000);

  it("phases: prematch within 65 min, kickoff in the first 20, every DETAIL_LIVE_MINUTES of play, final within 4 h", () => {
    expect(detailPhase({ kickoff, status: "scheduled" }, at(-90), 15)).toBeNull();
    expect(detailPhase({ kickoff, status: "scheduled" }, at(-60), 15)).toBe("prematch");
    expect(detailPhase({ kickoff, status: "scheduled" }, at(2), 15)).toBe("kickoff");
    expect(detailPhase({ kickoff, status: "live" }, at(19), 15)).toBe("kickoff");
    expect(detailPhase({ kickoff, status: "live" }, at(31), 15)).toBe("live-2");
    expect(detailPhase({ kickoff, status: "halftime" }, at(52), 15)).toBe("live-3");
    expect(detailPhase({ kickoff, status: "live" }, at(31), 0)).toBeNull();
    expect(detailPhase({ kickoff, status: "finished" }, at(115), 15)).toBe("final");
    expect(detailPhase({ kickoff, status: "finished" }, at(300), 15)).toBeNull();
    expect(detailPhase({ kickoff, status: "postponed" }, at(-30), 15)).toBeNull();
  });

  it("the detail jobs ride on the live, daily and weekly crons, one unit per provider that can serve them", () => {
    expect(jobsForCron("*/5 * * * *")).toEqual(["update_live_matches", "update_match_details"]);
    expect(jobsForCron("0 0 * * *")).toEqual(["update_matches", "update_odds"]);
    expect(jobsForCron("0 0 * * 1")).toEqual(["update_market_values", "update_team_details"]);
    const cfg = readConfig({ ...env, ...KEYS, COMPETITIONS: "BL1,PL", SEASONS: "2023" } as never);
    const plan = (job: Parameters<typeof planJob>[0]["job"]) => planJob({ job }, cfg, new Date()).units.map((u) => `${u.provider}:${u.competition}${u.page ? `:p${u.page}` : ""}`);
    expect(plan("update_match_details")).toEqual(["api_football:BL1", "api_football:PL"]);
    expect(plan("update_odds")).toEqual(["api_football:BL1:p1", "api_football:PL:p1"]);
    expect(plan("update_team_details")).toEqual(["football_data:BL1", "api_football:BL1", "football_data:PL", "api_football:PL"]);
  });
});
