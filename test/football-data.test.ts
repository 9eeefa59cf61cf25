// football-data.org v4 adapter: every recorded sample through the replay server (HTTP, auth header, budget headers,
// zod schema, normalization), and every rule on a recorded match or a copy of one with the named fields changed.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { readConfig, type Config } from "../src/env";
import { footballData } from "../src/providers/football-data";
import { createFootballDataClient, FootballDataError } from "../src/providers/football-data/client";
import { formOf, inPlayScore, normalizeByCompetition, normalizeMatches, normalizeMatchList, normalizeStandings, positionOf, statusOf, type FdMatchRecord } from "../src/providers/football-data/normalize";
import { fdMatch, fdMatchList, fdScore, fdStandings, type FdMatch } from "../src/providers/football-data/schema";
import { ProviderError } from "../src/providers/http";
import { fault, replay } from "./helpers";

const config = (token: string | null = "test-token"): Config => ({
  ...readConfig(env),
  footballData: { ...readConfig(env).footballData, token: token ?? undefined },
});
const ctx = () => ({ config: config(), now: new Date("2026-01-01T00:00:00Z") });

/** The raw recording, as the replay server serves it (for checking normalized values against the JSON). */
async function raw(pathAndQuery: string): Promise<any> {
  const res = await fetch(`${env.TEST_REPLAY_URL}/football-data${pathAndQuery}`);
  expect(res.status).toBe(200);
  return res.json();
}

interface Logged {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}
async function requests(): Promise<Logged[]> {
  const { requests } = (await replay("GET", "/__replay/requests")) as { requests: Logged[] };
  return requests.filter((r) => r.path.startsWith("/football-data/"));
}

const override = (path: string, status: number, body: unknown, headers: Record<string, string> = {}) =>
  replay("PUT", "/__replay/override", { path: `/football-data${path}`, status, body, headers });

const FL1_2024 = "/competitions/FL1/matches?season=2024";
const count = <T>(list: T[], pred: (x: T) => boolean) => list.filter(pred).length;
const byRef = <T extends { ref: string }>(list: T[], id: number) => list.find((x) => x.ref === String(id))!;
/** A parsed copy of a recorded match, with `change` applied to the raw JSON first. */
function variant(rawMatch: any, change: (m: any) => void): FdMatch {
  const copy = structuredClone(rawMatch);
  change(copy);
  return fdMatch.parse(copy);
}

beforeEach(() => replay("POST", "/__replay/reset"));

describe("football-data.org adapter: recorded samples", () => {
  it("FL1 2024: 306 matches (233 finished, 1 cancelled with its score, 72 scheduled), scores equal the raw fullTime", async () => {
    const { data: batch, budget } = await footballData.seasonMatches(ctx(), "FL1", 2024);
    const rawList = await raw(FL1_2024);
    expect(batch).toMatchObject({ provider: "football_data", competition: "FL1", season: 2024, discarded: [] });
    expect(batch.matches).toHaveLength(306);
    expect(batch.teams).toHaveLength(18);
    expect(batch.players).toEqual([]);
    expect(count(batch.matches, (m) => m.status === "finished")).toBe(233);
    expect(count(batch.matches, (m) => m.status === "cancelled")).toBe(1);
    expect(count(batch.matches, (m) => m.status === "scheduled")).toBe(72); // 36 TIMED + 36 SCHEDULED
    // The free tier's list has no goals/bookings: nothing said, so null, never [].
    expect(batch.matches.every((m) => m.events === null)).toBe(true);
    expect(budget).toEqual({ remaining: null, resetSeconds: null }); // the replay sends no budget headers
    for (const r of rawList.matches) {
      const m = byRef(batch.matches, r.id);
      expect(m.kickoff.toISOString()).toBe(r.utcDate.replace("Z", ".000Z"));
      expect(m.matchday).toBe(r.matchday);
      expect(m.stage).toBeNull(); // REGULAR_SEASON
      if (r.status === "FINISHED") {
        expect([m.homeScore, m.awayScore, m.halftimeHome, m.halftimeAway]).toEqual([r.score.fullTime.home, r.score.fullTime.away, r.score.halfTime.home, r.score.halfTime.away]);
      } else if (r.status !== "CANCELLED") {
        expect([m.homeScore, m.awayScore, m.halftimeHome, m.halftimeAway]).toEqual([null, null, null, null]);
      }
    }
    // Montpellier – Saint-Étienne, 2025-03-16: CANCELLED, yet the feed keeps the 0:2 it was stopped at.
    const cancelled = byRef(batch.matches, 498178);
    expect(cancelled).toMatchObject({ status: "cancelled", homeScore: 0, awayScore: 2, halftimeHome: 0, halftimeAway: 1, matchday: 26, homeRef: "518", awayRef: "527" });
    expect(cancelled.sourceUpdatedAt!.toISOString()).toBe("2025-03-16T20:02:14.000Z");
    expect(batch.teams.find((t) => t.ref === "524")).toEqual({ ref: "524", name: "Paris Saint-Germain FC", shortName: "PSG", tla: "PSG", crestUrl: "https://crests.football-data.org/524.png" });
  });

  it("sends GET /competitions/{code}/matches?season= with the X-Auth-Token header (and &matchday= when given)", async () => {
    await footballData.seasonMatches(ctx(), "FL1", 2024);
    await footballData.seasonMatches(ctx(), "FL1", 2024, { matchday: 26 }).catch(() => undefined); // no recording for it
    const [plain, matchday] = await requests();
    expect(plain).toMatchObject({ path: "/football-data/competitions/FL1/matches", query: { season: "2024" } });
    expect(plain!.headers["x-auth-token"]).toBe("test-token");
    expect(matchday).toMatchObject({ path: "/football-data/competitions/FL1/matches", query: { season: "2024", matchday: "26" } });
    // Without a token the adapter is not configured, and the client sends no empty header.
    expect(footballData.isConfigured(config(null))).toBe(false);
    expect(footballData.isConfigured(config())).toBe(true);
    await createFootballDataClient(config(null)).competitionMatches("FL1", { season: 2024 });
    expect((await requests())[2]!.headers["x-auth-token"]).toBeUndefined();
  });

  it("flags provisional kickoffs: SCHEDULED, and TIMED matchdays all at one placeholder time (FL1 md 28–30 at 00:00Z)", async () => {
    const { data: batch } = await footballData.seasonMatches(ctx(), "FL1", 2024);
    const matches = batch.matches as FdMatchRecord[]; // the adapter's records carry the extra fields
    const rawList = await raw(FL1_2024);
    const scheduled = rawList.matches.filter((r: any) => r.status === "SCHEDULED");
    expect(scheduled).toHaveLength(36);
    for (const r of scheduled) expect(byRef(matches, r.id)).toMatchObject({ status: "scheduled", kickoffProvisional: true });
    const md = (n: number) => matches.filter((m) => m.matchday === n);
    expect(md(28).every((m) => m.kickoffProvisional && m.kickoff.toISOString() === "2025-04-06T00:00:00.000Z")).toBe(true);
    expect(md(27).some((m) => m.kickoffProvisional)).toBe(false); // 7 different real times
    expect(md(25).some((m) => m.kickoffProvisional)).toBe(false); // played
  });

  it("BSA 2022 (through the client): 380 matches, 260 finished, 2 postponed without score, 118 scheduled", async () => {
    const { data } = await createFootballDataClient(config()).competitionMatches("BSA", { season: 2022 });
    const rawList = await raw("/competitions/BSA/matches?season=2022");
    // BSA has no canonical code; the competition label does not take part in normalization.
    const batch = normalizeMatchList(data, { competition: "PL", season: 2022 });
    expect(batch.discarded).toEqual([]);
    expect(batch.matches).toHaveLength(380);
    expect(batch.teams).toHaveLength(20);
    expect(count(batch.matches, (m) => m.status === "finished")).toBe(260);
    expect(count(batch.matches, (m) => m.status === "postponed")).toBe(2);
    expect(count(batch.matches, (m) => m.status === "scheduled")).toBe(118);
    for (const id of [390057, 390059]) expect(byRef(batch.matches, id)).toMatchObject({ status: "postponed", homeScore: null, awayScore: null, matchday: 35 });
    for (const r of rawList.matches.filter((x: any) => x.status === "FINISHED")) {
      const m = byRef(batch.matches, r.id);
      expect([m.homeScore, m.awayScore]).toEqual([r.score.fullTime.home, r.score.fullTime.away]);
    }
    // The season's startDate (2022-04-10) is after its first match (2022-04-09): the season still reads as 2022.
    expect(byRef(batch.matches, 390396).kickoff.toISOString()).toBe("2022-04-09T19:30:00.000Z");
  });

  it("PL 2025 ?status=SCHEDULED answers TIMED matches: all scheduled, null scores; md 32–37 at one placeholder time", async () => {
    const { data } = await createFootballDataClient(config()).competitionMatches("PL", { season: 2025, status: ["SCHEDULED"] });
    expect((await requests())[0]!.query).toEqual({ season: "2025", status: "SCHEDULED" });
    expect(data.matches.every((m) => m.status === "TIMED")).toBe(true);
    const batch = normalizeMatchList(data, { competition: "PL", season: 2025 });
    expect(batch.matches).toHaveLength(109);
    expect(batch.matches.every((m) => m.status === "scheduled" && m.homeScore === null && m.halftimeHome === null && m.events === null)).toBe(true);
    for (const n of [32, 33, 34, 35, 36, 37]) {
      const md = batch.matches.filter((m) => m.matchday === n);
      expect(md.length).toBeGreaterThanOrEqual(3);
      expect(md.every((m) => m.kickoffProvisional && m.kickoff.getUTCHours() === 14)).toBe(true);
    }
    expect(batch.matches.filter((m) => m.matchday === 30).some((m) => m.kickoffProvisional)).toBe(false);
  });

  it("teams/65 PL+CL 2023: one batch per competition; CL keeps stage, group and leg numbers; a postponed match", async () => {
    const { data } = await createFootballDataClient(config()).teamMatches(65, { competitions: ["PL", "CL"] });
    expect((await requests())[0]).toMatchObject({ path: "/football-data/teams/65/matches", query: { competitions: "PL,CL" } });
    const batches = normalizeByCompetition(data.matches, { competitions: null, fallbackSeason: 2023 });
    expect(batches.map((b) => [b.competition, b.season, b.matches.length])).toEqual([
      ["PL", 2023, 38],
      ["CL", 2023, 8],
    ]);
    const cl = batches[1]!;
    expect(count(cl.matches, (m) => m.stage === "GROUP_STAGE" && m.group === "GROUP_G")).toBe(6);
    const last16 = cl.matches.filter((m) => m.stage === "LAST_16");
    expect(last16.map((m) => [m.ref, m.matchday, m.group, m.status])).toEqual([
      ["451663", 1, null, "scheduled"],
      ["451671", 2, null, "scheduled"],
    ]);
    // Man City 3:1 Crvena Zvezda after 0:1 at half time.
    expect(byRef(cl.matches, 451640)).toMatchObject({ status: "finished", homeScore: 3, awayScore: 1, halftimeHome: 0, halftimeAway: 1, stage: "GROUP_STAGE" });
    expect(byRef(batches[0]!.matches, 436118)).toMatchObject({ status: "postponed", homeScore: null, stage: null });
  });

  it("FL1 standings: the TOTAL table, every row as recorded, form null", async () => {
    const { data: batch } = await footballData.standings!(ctx(), "FL1", 2024);
    expect((await requests())[0]).toMatchObject({ path: "/football-data/competitions/FL1/standings", query: { season: "2024" } });
    const rawTable = (await raw("/competitions/FL1/standings?season=2024")).standings[0].table;
    expect(batch).toMatchObject({ provider: "football_data", competition: "FL1", season: 2024 });
    expect(batch.rows).toHaveLength(18);
    expect(batch.teams).toHaveLength(18);
    for (const r of rawTable) {
      const row = batch.rows.find((x) => x.teamRef === String(r.team.id))!;
      expect(row).toEqual({
        teamRef: String(r.team.id),
        group: null,
        position: r.position,
        played: r.playedGames,
        won: r.won,
        drawn: r.draw,
        lost: r.lost,
        goalsFor: r.goalsFor,
        goalsAgainst: r.goalsAgainst,
        points: r.points,
        form: null,
      });
    }
    expect(batch.rows[0]).toMatchObject({ teamRef: "524", position: 1, played: 26, won: 21, drawn: 5, lost: 0, points: 68 });
  });

  it("PL standings: 20 rows, Arsenal first on 61 points", async () => {
    const { data: batch } = await footballData.standings!(ctx(), "PL", 2025);
    expect(batch.rows).toHaveLength(20);
    expect(batch.rows[0]).toMatchObject({ teamRef: "57", position: 1, played: 28, won: 18, drawn: 7, lost: 3, points: 61, goalsFor: 56, goalsAgainst: 21 });
    expect(batch.teams.find((t) => t.ref === "57")).toMatchObject({ name: "Arsenal FC", shortName: "Arsenal", tla: "ARS" });
  });

  it("WC 2022 scorers: GET …/scorers?season=&limit=100 → player stats, positions mapped, no playedMatches → appearances null", async () => {
    const { data: batch } = await footballData.playerStats!(ctx(), "WC", 2022, 1);
    expect((await requests())[0]).toMatchObject({ path: "/football-data/competitions/WC/scorers", query: { season: "2022", limit: "100" } });
    expect(batch).toMatchObject({ provider: "football_data", competition: "WC", season: 2022, nextPage: null });
    expect(batch.stats).toHaveLength(10);
    expect(batch.teams).toHaveLength(8);
    const stat = (id: number) => batch.stats.find((s) => s.playerRef === String(id))!;
    expect(stat(3374)).toEqual({ playerRef: "3374", teamRef: "773", appearances: null, minutes: null, goals: 5, assists: 2, penalties: null, yellowCards: null, redCards: null, rating: null });
    expect(stat(40009)).toMatchObject({ teamRef: "791", goals: 3, assists: null, penalties: 1 });
    expect(stat(3218)).toMatchObject({ goals: 3, assists: 1, penalties: 1 });
    expect(batch.players.find((p) => p.ref === "3374")).toEqual({ ref: "3374", name: "Kylian Mbappé", teamRef: "773", nationality: "France", birthDate: "1998-12-20", position: "Attacker" });
    expect(batch.players.find((p) => p.ref === "40009")!.position).toBe("Midfielder");
    expect(batch.teams.find((t) => t.ref === "773")).toEqual({ ref: "773", name: "France", shortName: "France", tla: "FRA", crestUrl: "https://crests.football-data.org/773.svg" });
  });
});

describe("football-data.org adapter: rules", () => {
  it("maps every status, using score.duration while in play", async () => {
    const base = (await raw(FL1_2024)).matches.find((r: any) => r.id === 497958); // Le Havre – PSG, FINISHED
    const cases: [string, string, string][] = [
      ["SCHEDULED", "REGULAR", "scheduled"],
      ["TIMED", "REGULAR", "scheduled"],
      ["IN_PLAY", "REGULAR", "live"],
      ["IN_PLAY", "EXTRA_TIME", "extra_time"],
      ["IN_PLAY", "PENALTY_SHOOTOUT", "penalties"],
      ["PAUSED", "REGULAR", "halftime"],
      ["PAUSED", "EXTRA_TIME", "halftime"], // the break before / within extra time stays a pause
      ["FINISHED", "REGULAR", "finished"],
      ["FINISHED", "PENALTY_SHOOTOUT", "finished"],
      ["AWARDED", "REGULAR", "awarded"],
      ["POSTPONED", "REGULAR", "postponed"],
      ["SUSPENDED", "REGULAR", "suspended"],
      ["CANCELLED", "REGULAR", "cancelled"],
    ];
    for (const [status, duration, expected] of cases) {
      expect(statusOf(status, duration)).toBe(expected);
      const m = variant(base, (x) => Object.assign(x, { status, score: { ...x.score, duration } }));
      expect(normalizeMatches([m], { competition: "FL1", season: 2024 }).matches[0]!.status).toBe(expected);
    }
    const unknown = normalizeMatches([variant(base, (x) => (x.status = "HALF_TIME"))], { competition: "FL1", season: 2024 });
    expect(unknown.matches).toHaveLength(0);
    expect(unknown.discarded).toEqual(['match 497958: unknown status "HALF_TIME"']);
  });

  it("scores: fullTime is the running score, halfTime only from the break; a scheduled match has none", async () => {
    const base = (await raw(FL1_2024)).matches.find((r: any) => r.id === 497958);
    const norm = (m: FdMatch) => normalizeMatches([m], { competition: "FL1", season: 2024 }).matches[0]!;
    // 57 minutes in, first half was 0:1, now 1:1.
    const live = norm(variant(base, (x) => Object.assign(x, { status: "IN_PLAY", minute: 57, score: { winner: null, duration: "REGULAR", fullTime: { home: 1, away: 1 }, halfTime: { home: 0, away: 1 } } })));
    expect(live).toMatchObject({ status: "live", minute: 57, homeScore: 1, awayScore: 1, halftimeHome: 0, halftimeAway: 1 });
    // First half: halfTime still null.
    const firstHalf = norm(variant(base, (x) => Object.assign(x, { status: "IN_PLAY", minute: "45+2", score: { winner: null, duration: "REGULAR", fullTime: { home: 0, away: 0 }, halfTime: { home: null, away: null } } })));
    expect(firstHalf).toMatchObject({ status: "live", minute: 45, homeScore: 0, awayScore: 0, halftimeHome: null });
    // A TIMED match that somehow carries numbers still has no score before kickoff.
    const timed = norm(variant(base, (x) => (x.status = "TIMED")));
    expect(timed).toMatchObject({ status: "scheduled", homeScore: null, halftimeHome: null, minute: null });
  });

  it("extra time and penalties: canonical score = goals in play (regular + extra time), never the shoot-out", async () => {
    // København – Man City, CL LAST_16 first leg (recorded TIMED): status and score changed per case.
    const base = (await raw("/teams/65/matches?competitions=PL,CL")).matches.find((r: any) => r.id === 451663);
    const norm = (score: object, status = "FINISHED") => {
      const batch = normalizeMatches([variant(base, (x) => Object.assign(x, { status, score: { winner: "AWAY_TEAM", halfTime: { home: 1, away: 1 }, ...score } }))], { competition: "CL", season: 2023 });
      return { m: batch.matches[0]!, discarded: batch.discarded };
    };
    // After extra time fullTime includes the extra-time goals.
    expect(norm({ duration: "EXTRA_TIME", fullTime: { home: 2, away: 3 }, regularTime: { home: 2, away: 2 }, extraTime: { home: 0, away: 1 } }).m).toMatchObject({ homeScore: 2, awayScore: 3, halftimeHome: 1 });
    // The docs' sample: 1:1 after extra time, 6:5 on penalties → fullTime 7:6 (shoot-out included).
    const docs = { duration: "PENALTY_SHOOTOUT", fullTime: { home: 7, away: 6 }, regularTime: { home: 1, away: 1 }, extraTime: { home: 0, away: 0 }, penalties: { home: 6, away: 5 } };
    expect(norm(docs).m).toMatchObject({ status: "finished", homeScore: 1, awayScore: 1 });
    // Second leg of a tie decided on penalties: 1:0 in play, 4:5 shoot-out, fullTime 5:5 — the breakdown decides.
    expect(norm({ duration: "PENALTY_SHOOTOUT", fullTime: { home: 5, away: 5 }, regularTime: { home: 1, away: 0 }, extraTime: { home: 0, away: 0 }, penalties: { home: 4, away: 5 } }).m).toMatchObject({ homeScore: 1, awayScore: 0 });
    // Only fullTime and penalties (vanalmsick/sweepstake#64: 3:5 = 1:1 + 2:4).
    expect(norm({ duration: "PENALTY_SHOOTOUT", fullTime: { home: 3, away: 5 }, penalties: { home: 2, away: 4 } }).m).toMatchObject({ homeScore: 1, awayScore: 1 });
    // fullTime that evidently left the shoot-out out (subtracting would go negative): kept.
    expect(norm({ duration: "PENALTY_SHOOTOUT", fullTime: { home: 1, away: 1 }, penalties: { home: 5, away: 4 } }).m).toMatchObject({ homeScore: 1, awayScore: 1 });
    // No breakdown at all: a level fullTime is the in-play score; an unlevel one cannot be split — left empty, said.
    expect(norm({ duration: "PENALTY_SHOOTOUT", fullTime: { home: 1, away: 1 } }).m).toMatchObject({ homeScore: 1, awayScore: 1 });
    const unknown = norm({ duration: "PENALTY_SHOOTOUT", fullTime: { home: 6, away: 5 } });
    expect(unknown.m).toMatchObject({ status: "finished", homeScore: null, awayScore: null, halftimeHome: 1 });
    expect(unknown.discarded.join()).toMatch(/match 451663: fullTime 6:5 after a penalty shoot-out/);
    // During the shoot-out (IN_PLAY + PENALTY_SHOOTOUT), fullTime counts the kicks too.
    expect(norm({ ...docs, fullTime: { home: 3, away: 2 }, penalties: { home: 2, away: 1 } }, "IN_PLAY").m).toMatchObject({ status: "penalties", homeScore: 1, awayScore: 1 });
    // And the same rules as a plain function (v2-style homeTeam/awayTeam keys are read too).
    expect(inPlayScore(fdScore.parse({ duration: "PENALTY_SHOOTOUT", fullTime: { homeTeam: 7, awayTeam: 6 }, penalties: { homeTeam: 6, awayTeam: 5 } })).score).toEqual({ home: 1, away: 1 });
  });

  it("drops knockout slots whose teams are not decided yet, and matches of another season", async () => {
    const base = (await raw("/teams/65/matches?competitions=PL,CL")).matches.find((r: any) => r.id === 451671);
    const tbd = variant(base, (x) => (x.homeTeam = { id: null, name: null, shortName: null, tla: null, crest: null }));
    const other = variant(base, (x) => (x.season.startDate = "2024-09-17"));
    const batch = normalizeMatches([tbd, other], { competition: "CL", season: 2023 });
    expect(batch.matches).toEqual([]);
    expect(batch.discarded).toEqual(["match 451671: teams not decided yet (? – FC København)", "match 451671: season 2024, not 2023"]);
  });

  it("maps paid-tier match detail (goals, bookings, substitutions) to events with stable refs; free tier → null", async () => {
    // Man City 3:1 Crvena Zvezda (recorded, no detail); detail blocks added in the documented v4 shape.
    const base = (await raw("/teams/65/matches?competitions=PL,CL")).matches.find((r: any) => r.id === 451640);
    const city = { id: 65, name: "Manchester City FC" };
    const zvezda = { id: 7283, name: "FK Crvena Zvezda" };
    expect(base.awayTeam.id).toBe(zvezda.id);
    const detailed = variant(base, (x) => {
      x.goals = [
        { minute: 47, injuryTime: null, type: "REGULAR", team: city, scorer: { id: 1, name: "Julián Álvarez" }, assist: { id: 2, name: " Rodri " }, score: { home: 1, away: 1 } },
        { minute: 45, injuryTime: 2, type: "REGULAR", team: zvezda, scorer: { id: 3, name: "Osman Bukari" }, assist: null, score: { home: 0, away: 1 } },
        { minute: 73, injuryTime: null, type: "PENALTY", team: city, scorer: { id: 4, name: "Rodri" }, assist: null, score: { home: 2, away: 1 } },
        { minute: 90, injuryTime: 3, type: "OWN", team: city, scorer: { id: 5, name: "Some Defender" }, assist: null, score: { home: 3, away: 1 } },
      ];
      x.bookings = [
        { minute: 30, team: zvezda, player: { id: 6, name: "A Player" }, card: "YELLOW" },
        { minute: 80, team: zvezda, player: { id: 6, name: "A Player" }, card: "YELLOW_RED" },
        { minute: 85, team: city, player: { id: 7, name: "B Player" }, card: "RED" },
        { minute: 86, team: city, player: { id: 8, name: "C Player" }, card: "GREEN" },
      ];
      x.substitutions = [
        { minute: 60, team: city, playerOut: { id: 9, name: "Out One" }, playerIn: { id: 10, name: "In One" } },
        { minute: 60, team: city, playerOut: { id: 9, name: "Out One" }, playerIn: { id: 10, name: "In One" } }, // listed twice
      ];
    });
    const batch = normalizeMatches([detailed], { competition: "CL", season: 2023 });
    const events = batch.matches[0]!.events!;
    expect(events.map((e) => [e.type, e.minute, e.extraMinute, e.teamRef, e.playerRef, e.assistRef])).toEqual([
      ["yellow_card", 30, null, "7283", "6", null],
      ["goal", 45, 2, "7283", "3", null],
      ["goal", 47, null, "65", "1", "2"],
      ["substitution", 60, null, "65", "10", "9"],
      ["substitution", 60, null, "65", "10", "9"],
      ["penalty_goal", 73, null, "65", "4", null],
      ["second_yellow", 80, null, "7283", "6", null],
      ["red_card", 85, null, "65", "7", null],
      ["own_goal", 90, 3, "65", "5", null],
    ]);
    expect(events.find((e) => e.playerRef === "1")).toMatchObject({ playerName: "Julián Álvarez", assistName: "Rodri", scoreHome: 1, scoreAway: 1 });
    expect(events.find((e) => e.type === "substitution")).toMatchObject({ playerName: "In One", assistName: "Out One" });
    // Refs: content plus occurrence, unique, and the same on every run.
    const refs = events.map((e) => e.ref);
    expect(new Set(refs).size).toBe(events.length);
    expect(refs.filter((r) => r.startsWith("sub:60+0:65:10>9"))).toEqual(["sub:60+0:65:10>9#1", "sub:60+0:65:10>9#2"]);
    expect(normalizeMatches([detailed], { competition: "CL", season: 2023 }).matches[0]!.events!.map((e) => e.ref)).toEqual(refs);
    expect(batch.discarded).toEqual(['match 451640: booking with unknown card "GREEN"']);
    // Every referenced player is in the batch; the own-goal scorer's team is left unknown.
    expect(batch.players.map((p) => p.ref).sort()).toEqual(["1", "10", "2", "3", "4", "5", "6", "7", "9"]);
    expect(batch.players.find((p) => p.ref === "5")!.teamRef).toBeNull();
    expect(batch.players.find((p) => p.ref === "3")!.teamRef).toBe("7283");
    // Detail blocks present but empty: a real "nothing happened", so [] (a 0:0 would look like this).
    expect(normalizeMatches([variant(base, (x) => Object.assign(x, { goals: [], bookings: [], substitutions: [] }))], { competition: "CL", season: 2023 }).matches[0]!.events).toEqual([]);
    expect(normalizeMatches([fdMatch.parse(base)], { competition: "CL", season: 2023 }).matches[0]!.events).toBeNull();
  });

  it("standings: only TOTAL tables, one per group; form newest-first 'W,D,L,W,W' becomes oldest-first 'WWLDW'", async () => {
    const rawStandings = await raw("/competitions/FL1/standings?season=2024");
    const total = rawStandings.standings[0];
    const changed = structuredClone(rawStandings);
    changed.standings[0].table[0].form = "W,D,L,W,W";
    changed.standings.push({ ...structuredClone(total), type: "HOME", table: total.table.map((r: any) => ({ ...r, form: "" })) });
    changed.standings.push({ ...structuredClone(total), type: "AWAY" });
    const batch = normalizeStandings(fdStandings.parse(changed), { competition: "FL1", season: 2024 });
    expect(batch.rows).toHaveLength(18);
    expect(batch.rows[0]!.form).toBe("WWLDW");
    // A group stage: one TOTAL table per group.
    const groups = structuredClone(rawStandings);
    groups.standings = [
      { stage: "GROUP_STAGE", type: "TOTAL", group: "GROUP_A", table: total.table.slice(0, 4) },
      { stage: "GROUP_STAGE", type: "HOME", group: "GROUP_A", table: total.table.slice(0, 4) },
      { stage: "GROUP_STAGE", type: "TOTAL", group: "GROUP_B", table: total.table.slice(4, 8) },
    ];
    const grouped = normalizeStandings(fdStandings.parse(groups), { competition: "CL", season: 2024 });
    expect(grouped.rows.map((r) => r.group)).toEqual(["GROUP_A", "GROUP_A", "GROUP_A", "GROUP_A", "GROUP_B", "GROUP_B", "GROUP_B", "GROUP_B"]);
    expect([formOf("L,W,D"), formOf(""), formOf(null), formOf("W,X,L"), formOf("WDL")]).toEqual(["DWL", null, null, null, "LDW"]);
  });

  it("maps football-data positions to our four", () => {
    expect(["Goalkeeper", "Defence", "Midfield", "Offence", "Centre-Back", "Left-Back", "Defensive Midfield", "Right Winger", "Centre-Forward", "Coach", null].map(positionOf)).toEqual([
      "Goalkeeper", "Defender", "Midfielder", "Attacker", "Defender", "Defender", "Midfielder", "Attacker", "Attacker", null, null,
    ]);
  });

  it("scorers with playedMatches: appearances from it", async () => {
    await override("/competitions/WC/scorers?season=2022&limit=100", 200, {
      ...(await raw("/competitions/WC/scorers?limit=100&season=2022")),
      scorers: (await raw("/competitions/WC/scorers?limit=100&season=2022")).scorers.map((s: any, i: number) => ({ ...s, playedMatches: i + 3 })),
    });
    const { data: batch } = await footballData.playerStats!(ctx(), "WC", 2022, 1);
    expect(batch.stats.map((s) => s.appearances)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("live: GET /matches?competitions=&status=IN_PLAY,PAUSED → one batch per competition and season", async () => {
    const fl1 = (await raw(FL1_2024)).matches;
    const pl = (await raw("/competitions/PL/matches?season=2025&status=SCHEDULED")).matches;
    const bsa = (await raw("/competitions/BSA/matches?season=2022")).matches;
    const inPlay = (m: any, status: string, ft: [number, number], ht: [number | null, number | null], duration = "REGULAR") => ({
      ...structuredClone(m),
      status,
      score: { winner: null, duration, fullTime: { home: ft[0], away: ft[1] }, halfTime: { home: ht[0], away: ht[1] } },
    });
    const body = {
      filters: { competitions: "PL,FL1", status: ["IN_PLAY", "PAUSED"] },
      resultSet: { count: 4 },
      matches: [
        inPlay(fl1.find((m: any) => m.status === "TIMED"), "IN_PLAY", [1, 0], [null, null]),
        inPlay(fl1.filter((m: any) => m.status === "TIMED")[1], "PAUSED", [0, 0], [0, 0]),
        inPlay(pl[0], "IN_PLAY", [2, 2], [1, 0]),
        inPlay(bsa[0], "IN_PLAY", [0, 0], [0, 0]), // not asked for
      ],
    };
    await override("/matches?competitions=PL,FL1&status=IN_PLAY,PAUSED", 200, body, { "X-Requests-Available-Minute": "9", "X-RequestCounter-Reset": "51" });
    const { data: batches, budget } = await footballData.liveMatches!(ctx(), ["PL", "FL1"], 2024);
    expect((await requests()).at(-1)).toMatchObject({ path: "/football-data/matches", query: { competitions: "PL,FL1", status: "IN_PLAY,PAUSED" } });
    expect(budget).toEqual({ remaining: 9, resetSeconds: 51 });
    expect(batches.map((b) => [b.competition, b.season, b.matches.map((m) => [m.status, m.homeScore, m.awayScore])])).toEqual([
      ["FL1", 2024, [["live", 1, 0], ["halftime", 0, 0]]],
      ["PL", 2025, [["live", 2, 2]]],
    ]);
    expect(batches[0]!.discarded).toEqual([`match ${bsa[0].id}: competition BSA is not one of PL,FL1`]);
    expect(batches[0]!.matches[0]!.events).toBeNull();
    // Nothing covered → no request at all.
    await replay("POST", "/__replay/reset");
    expect((await footballData.liveMatches!(ctx(), [], 2024)).data).toEqual([]);
    expect(await requests()).toEqual([]);
  });

  it("reads the budget headers, case-insensitively", async () => {
    const body = await raw("/competitions/FL1/standings?season=2024");
    await override("/competitions/FL1/standings?season=2024", 200, body, { "x-requests-available-minute": "7", "X-REQUESTCOUNTER-RESET": "42" });
    expect((await footballData.standings!(ctx(), "FL1", 2024)).budget).toEqual({ remaining: 7, resetSeconds: 42 });
    await override("/competitions/FL1/standings?season=2024", 200, body, { "X-Requests-Available-Minute": "0", "X-RequestCounter-Reset": "13" });
    expect((await footballData.standings!(ctx(), "FL1", 2024)).budget).toEqual({ remaining: 0, resetSeconds: 13 });
  });

  it("adapter facts: covers by registry id, 10 requests a minute (free tier)", () => {
    expect(footballData.provider).toBe("football_data");
    expect(footballData.covers("PL")).toBe(true);
    expect(footballData.covers("BL1")).toBe(true);
    expect(footballData.requestsPerMinute(config())).toBe(10);
  });

  it("rejects payloads that are not football-data's shape", () => {
    expect(() => fdMatchList.parse({ matches: [{ id: "x" }] })).toThrow();
    expect(() => fdMatchList.parse({ message: "nope" })).toThrow();
    expect(() => fdStandings.parse({ standings: [{ type: "TOTAL", table: [{ position: "1" }] }] })).toThrow();
  });
});

describe("football-data.org adapter: errors", () => {
  // Observed bodies: ../shared/provider-samples/football_data_v4_observed_error_bodies.json
  const LIMIT = { message: "You reached your request limit. Wait 28 seconds.", errorCode: 429 };
  const RESTRICTED = { message: "The resource you are looking for is restricted and apparently not within your permissions. Please check your subscription.", errorCode: 403 };
  const NO_TOKEN = { message: "The resource you are looking for is restricted. Please pass a valid API token and check your subscription for permission." };
  const NOT_FOUND = { message: "The resource you are looking for does not exist.", errorCode: 404 };

  async function failure(status: number, body: unknown, headers: Record<string, string> = {}): Promise<FootballDataError> {
    await override(FL1_2024, status, body, headers);
    const err = await footballData.seasonMatches(ctx(), "FL1", 2024).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toBeInstanceOf(FootballDataError);
    return err as FootballDataError;
  }

  it("429 → rate_limited, waiting X-RequestCounter-Reset seconds (else Retry-After, else the message's 'Wait N seconds')", async () => {
    const withHeader = await failure(429, LIMIT, { "X-RequestCounter-Reset": "31" });
    expect(withHeader).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 31, status: 429, errorCode: 429, providerMessage: LIMIT.message, retryable: true });
    expect(withHeader.message).toMatch(/You reached your request limit/);
    expect(await failure(429, LIMIT, { "Retry-After": "17" })).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 17 });
    expect(await failure(429, LIMIT)).toMatchObject({ kind: "rate_limited", retryAfterSeconds: 28 });
    expect(await failure(429, { message: "Too many requests" })).toMatchObject({ kind: "rate_limited", retryAfterSeconds: undefined });
  });

  it("403 (both observed bodies), 404, 400 → rejected with the provider's message, not retryable", async () => {
    const restricted = await failure(403, RESTRICTED);
    expect(restricted).toMatchObject({ kind: "rejected", status: 403, errorCode: 403, providerMessage: RESTRICTED.message, retryable: false });
    expect(restricted.message).toContain("403 from /competitions/FL1/matches?season=2024: The resource you are looking for is restricted");
    expect(await failure(403, NO_TOKEN)).toMatchObject({ kind: "rejected", errorCode: null, providerMessage: NO_TOKEN.message });
    expect(await failure(404, NOT_FOUND)).toMatchObject({ kind: "rejected", status: 404, providerMessage: NOT_FOUND.message });
    // 400 body constructed in the same { message, errorCode } shape (no 400 was recorded).
    const bad = await failure(400, { message: "Your filter season is invalid.", errorCode: 400 });
    expect(bad).toMatchObject({ kind: "rejected", status: 400, errorCode: 400, retryable: false });
    expect(bad.message).toContain("Your filter season is invalid.");
  });

  it("5xx → server_error (JSON or not); bad JSON or shape → malformed; no answer → timeout", async () => {
    expect(await failure(500, { message: "Internal error", errorCode: 500 })).toMatchObject({ kind: "server_error", status: 500, providerMessage: "Internal error", retryable: true });
    expect(await failure(503, "<html>Service Unavailable</html>")).toMatchObject({ kind: "server_error", status: 503 });
    expect(await failure(200, { matches: [{ id: 1 }] })).toMatchObject({ kind: "malformed" });
    await replay("POST", "/__replay/reset");
    await fault("/football-data/competitions/FL1/matches", "malformed");
    await expect(footballData.seasonMatches(ctx(), "FL1", 2024)).rejects.toMatchObject({ kind: "malformed" });
    await fault("/football-data/competitions/FL1/matches", "timeout");
    await expect(footballData.seasonMatches(ctx(), "FL1", 2024)).rejects.toMatchObject({ kind: "timeout", retryable: true });
  });
});
