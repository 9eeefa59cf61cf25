// API-Football adapter: every real sample (test/fixtures/api-football, copies of shared/provider-samples) parsed
// and normalized, each quirk on real data (or a copy with one field changed), and the HTTP side through the
// replay server: HTTP-200 error objects, budget headers, the auth header.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readConfig, type Config } from "../src/env";
import { storeMatchBatch, storePlayerStats, storeStandings } from "../src/ingest/store";
import type { AdapterContext } from "../src/providers/adapter";
import type { EventRecord, MatchBatch, PlayerRecord } from "../src/domain/canonical";
import { ProviderError } from "../src/providers/http";
import { apiFootball, fixtureEvents, topScorers } from "../src/providers/api-football";
import { readBudget, secondsToNextMinute, secondsToUtcMidnight } from "../src/providers/api-football/client";
import { eventTypeOf, formOf, normalizeEvents, normalizeFixtures, normalizePlayers, normalizeStandings, parseFixtures, roundOf, STATUS_CODES } from "../src/providers/api-football/normalize";
import { afEnvelope, afEvent, afFixture, afPlayerItem, afPlayerStatistics, afStandingRow, afStandings, parseItems } from "../src/providers/api-football/schema";
import { replay, resetAll, withDb } from "./helpers";
import liveAll from "./fixtures/api-football/fixtures@live=all.json";
import nsPst from "./fixtures/api-football/fixtures@league=78&season=2023&status=NS-PST.json";
import clPenalties from "./fixtures/api-football/fixtures@ids=1149523-1149519.json";
import events653808 from "./fixtures/api-football/fixtures/events@fixture=653808.json";
import events215662 from "./fixtures/api-football/fixtures/events@fixture=215662.json";
import standings2021 from "./fixtures/api-football/standings@league=39&season=2021.json";
import standings2022 from "./fixtures/api-football/standings@league=39&season=2022.json";
import topscorers2018 from "./fixtures/api-football/players/topscorers@league=39&season=2018.json";
import players755 from "./fixtures/api-football/players@page=1&season=2021&team=755.json";
import ownGoalLive from "./fixtures/api-football/captures/fixtures_live_all_2024-09-02_own_goal.json";
import observedErrors from "./fixtures/api-football/captures/observed_error_objects.json";

const NOW = new Date("2024-02-21T20:30:15Z");
const config = (): Config => ({ ...readConfig(env), apiFootball: { ...readConfig(env).apiFootball, key: "test-key" } });
const ctx = (now = NOW): AdapterContext => ({ config: config(), now });
const clone = <T>(x: T): T => structuredClone(x);
const raw = (sample: unknown) => clone(sample) as any;

/** A sample's fixtures → one MatchBatch (as the adapter does per competition). */
function batchOf(sample: unknown, competition: MatchBatch["competition"] = "CL", season = 2023): MatchBatch {
  const envelope = afEnvelope.parse(sample);
  const { items, invalid } = parseFixtures(envelope.response);
  return normalizeFixtures(items, { competition, season }, invalid);
}
const matchOf = (batch: MatchBatch, id: number) => batch.matches.find((m) => m.ref === String(id))!;
const rawFixture = (sample: any, id: number) => sample.response.find((f: any) => f.fixture.id === id);

type Logged = { path: string; query: Record<string, string>; headers: Record<string, string> };
async function requests(): Promise<Logged[]> {
  return ((await replay("GET", "/__replay/requests")) as { requests: Logged[] }).requests;
}
const overrideWith = (path: string, body: unknown, status = 200, headers: Record<string, string> = {}) =>
  replay("PUT", "/__replay/override", { path, status, body, headers });
async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error("expected a ProviderError");
}

describe("API-Football schemas: every real sample parses", () => {
  it("parses every envelope and every item of every sample (0 invalid)", () => {
    const fixtures = { liveAll, nsPst, clPenalties, ownGoalLive };
    const counts: Record<string, number> = {};
    for (const [name, sample] of Object.entries(fixtures)) {
      const env = afEnvelope.parse(sample);
      expect(env.errors).toEqual({});
      const { items, invalid } = parseItems(afFixture, env.response, name);
      expect(invalid).toEqual([]);
      counts[name] = items.length;
      for (const f of items) expect(parseItems(afEvent, f.events ?? [], "event").invalid).toEqual([]);
    }
    expect(counts).toEqual({ liveAll: 24, nsPst: 71, clPenalties: 2, ownGoalLive: 3 });
    for (const sample of [events653808, events215662]) {
      const { items, invalid } = parseItems(afEvent, afEnvelope.parse(sample).response, "event");
      expect(invalid).toEqual([]);
      expect(items).toHaveLength((sample as any).results);
    }
    for (const sample of [standings2021, standings2022]) {
      const { items, invalid } = parseItems(afStandings, afEnvelope.parse(sample).response, "standings");
      expect(invalid).toEqual([]);
      for (const group of items[0]!.league.standings) expect(parseItems(afStandingRow, group, "row").invalid).toEqual([]);
    }
    for (const sample of [topscorers2018, players755]) {
      const { items, invalid } = parseItems(afPlayerItem, afEnvelope.parse(sample).response, "player");
      expect(invalid).toEqual([]);
      expect(items).toHaveLength(20);
      for (const p of items) expect(parseItems(afPlayerStatistics, p.statistics, "stats").invalid).toEqual([]);
    }
  });

  it("accepts ids and counters as numeric strings, and `errors` as [] or an object", () => {
    const f = raw(nsPst).response[0];
    f.fixture.id = "1049115";
    f.teams.home.id = "157";
    f.fixture.timestamp = "1711819800";
    const parsed = afFixture.parse(f);
    expect([parsed.fixture.id, parsed.teams.home.id, parsed.fixture.timestamp]).toEqual([1049115, 157, 1711819800]);
    expect(afEnvelope.parse({ ...raw(nsPst), errors: {} }).errors).toEqual({});
    expect(afEnvelope.parse({ ...raw(nsPst), errors: { token: "x" } }).errors).toEqual({ token: "x" });
  });

  it("drops a malformed fixture with its reason, keeps the rest of the page", () => {
    const sample = raw(nsPst);
    sample.response[0].teams.home.id = "Bayern";
    delete sample.response[1].fixture.status;
    const batch = batchOf(sample, "BL1");
    expect(batch.matches).toHaveLength(69);
    expect(batch.discarded.join("\n")).toMatch(/fixture #0: teams\.home\.id/);
    expect(batch.discarded.join("\n")).toMatch(/fixture #1: fixture\.status/);
  });
});

describe("API-Football fixtures → matches", () => {
  it("normalizes the recorded live=all payload: 24 matches, statuses, minutes, scores, kickoff, venue", () => {
    const batch = batchOf(liveAll);
    expect(batch.matches).toHaveLength(24);
    expect(batch.teams).toHaveLength(48);
    const byStatus = (s: string) => batch.matches.filter((m) => m.status === s).length;
    expect([byStatus("live"), byStatus("halftime")]).toEqual([14, 10]); // 5 × 1H + 9 × 2H, 10 × HT
    for (const f of (liveAll as any).response) {
      const m = matchOf(batch, f.fixture.id);
      expect(m.minute).toBe(f.fixture.status.elapsed);
      expect([m.homeScore, m.awayScore]).toEqual([f.goals.home, f.goals.away]);
      expect(m.kickoff.getTime()).toBe(f.fixture.timestamp * 1000);
      expect(m.kickoff.getTime()).toBe(Date.parse(f.fixture.date));
      expect(m.events).toHaveLength(f.events.length);
      expect(m.sourceUpdatedAt).toBeNull();
    }
    const liverpool = matchOf(batch, 1035430); // Liverpool 2:1 Luton, 2H 67'
    expect(liverpool).toMatchObject({ status: "live", minute: 67, homeRef: "40", awayRef: "1359", homeScore: 2, awayScore: 1, halftimeHome: 0, halftimeAway: 1, matchday: 26, stage: null, venue: "Anfield" });
    expect(batch.teams.find((t) => t.ref === "40")).toEqual({ ref: "40", name: "Liverpool", shortName: null, tla: null, crestUrl: "https://media.api-sports.io/football/teams/40.png" });
    expect(matchOf(batch, 1167870).venue).toBeNull(); // reserve league: venue all null
    expect(batch.discarded).toEqual([]);
  });

  it("reads score.halftime only once the first half is over (during 1H it holds the running score)", () => {
    const f = rawFixture(liveAll, 1125626);
    expect([f.fixture.status.short, f.score.halftime.home, f.score.halftime.away]).toEqual(["1H", 2, 0]);
    const batch = batchOf(liveAll);
    expect(matchOf(batch, 1125626)).toMatchObject({ status: "live", homeScore: 2, awayScore: 0, halftimeHome: null, halftimeAway: null });
    expect(matchOf(batch, 1173353)).toMatchObject({ status: "halftime", minute: 45, halftimeHome: 0, halftimeAway: 1 });
  });

  it("maps every status code (case-insensitively); unknown codes by whether the match has started, noted", () => {
    const base = raw(nsPst).response[0];
    const one = (short: string, patch: (f: any) => void = () => {}) => {
      const f = clone(base);
      f.fixture.status.short = short;
      patch(f);
      return batchOf({ ...raw(nsPst), response: [f] }, "BL1");
    };
    for (const [code, status] of Object.entries(STATUS_CODES)) expect(one(code).matches[0]!.status).toBe(status);
    expect([one("TBD").matches[0]!.kickoffProvisional, one("NS").matches[0]!.kickoffProvisional]).toEqual([true, false]);
    const expected: Record<string, string> = {
      TBD: "scheduled", NS: "scheduled", "1H": "live", "2H": "live", LIVE: "live", HT: "halftime", ET: "extra_time", BT: "extra_time", P: "penalties",
      FT: "finished", AET: "finished", PEN: "finished", SUSP: "suspended", INT: "suspended", PST: "postponed", CANC: "cancelled", ABD: "abandoned", AWD: "awarded", WO: "awarded",
    };
    expect(STATUS_CODES).toEqual(expected);
    expect(one("ft").matches[0]!.status).toBe("finished");
    const notStarted = one("XYZ");
    expect(notStarted.matches[0]!.status).toBe("scheduled");
    expect(notStarted.discarded.join()).toMatch(/unknown status code "XYZ".*scheduled/);
    const started = one("XYZ", (f) => Object.assign(f.fixture.status, { elapsed: 30 }) && Object.assign(f.goals, { home: 1, away: 0 }));
    expect(started.matches[0]).toMatchObject({ status: "live", homeScore: 1, awayScore: 0 });
  });

  it("gives a minute only while in play, adding status.extra when present", () => {
    const f = raw(liveAll).response.find((x: any) => x.fixture.id === 1035430);
    const only = (patch: (s: any) => void) => {
      const g = clone(f);
      patch(g.fixture.status);
      return batchOf({ ...raw(liveAll), response: [g] }).matches[0]!;
    };
    expect(only(() => {}).minute).toBe(67);
    expect(only((s) => Object.assign(s, { elapsed: 90, extra: 4 })).minute).toBe(94);
    expect(only((s) => Object.assign(s, { short: "ET", elapsed: 105, extra: 1 })).minute).toBe(106);
    expect(only((s) => Object.assign(s, { short: "FT", elapsed: 90 })).minute).toBeNull();
    expect(only((s) => Object.assign(s, { short: "SUSP", elapsed: 70 })).minute).toBeNull();
  });

  it("reads matchday and stage from league.round", () => {
    const batch = batchOf(liveAll);
    const md = (id: number) => [matchOf(batch, id).matchday, matchOf(batch, id).stage, matchOf(batch, id).group];
    expect(md(1035430)).toEqual([26, null, null]); // "Regular Season - 26"
    expect(md(1058636)).toEqual([15, "Group 1", "Group 1"]); // "Group 1 - 15"
    expect(md(1146027)).toEqual([3, "Group Stage", null]); // "Group Stage - 3"
    expect(md(1149522)).toEqual([null, "Round of 16", null]);
    expect(md(1151671)).toEqual([null, "1st Round", null]);
    expect(md(1160330)).toEqual([null, "Apertura - 4", null]); // not a group round: no matchday
    expect(roundOf("Group A - 3")).toEqual({ matchday: 3, stage: "Group A", group: "Group A" });
    expect(roundOf("League Stage - 5")).toEqual({ matchday: 5, stage: "League Stage", group: null });
    expect(roundOf(" Regular Season  - 1 ")).toEqual({ matchday: 1, stage: null, group: null });
    expect(roundOf(null)).toEqual({ matchday: null, stage: null, group: null });
  });

  it("normalizes the 71 not-started Bundesliga fixtures: scheduled, no scores, no events payload", () => {
    const batch = batchOf(nsPst, "BL1");
    expect(batch.matches).toHaveLength(71);
    expect(batch.teams).toHaveLength(18);
    expect(batch.matches.every((m) => m.status === "scheduled" && m.homeScore === null && m.halftimeHome === null && m.minute === null && m.events === null)).toBe(true);
    expect(new Set(batch.matches.map((m) => m.matchday))).toEqual(new Set([27, 28, 29, 30, 31, 32, 33, 34]));
    expect(matchOf(batch, 1049115)).toMatchObject({ homeRef: "157", awayRef: "165", matchday: 27, venue: "Allianz Arena", kickoff: new Date("2024-03-30T17:30:00Z") });
    // Without a timestamp, the ISO date (with offset) is used.
    const f = raw(nsPst).response[0];
    f.fixture.timestamp = null;
    f.fixture.date = "2024-03-30T18:30:00+01:00";
    expect(batchOf({ ...raw(nsPst), response: [f] }, "BL1").matches[0]!.kickoff.toISOString()).toBe("2024-03-30T17:30:00.000Z");
  });
});

describe("API-Football events", () => {
  const eventsOf = (batch: MatchBatch, id: number) => matchOf(batch, id).events!;

  it("maps type/detail case-insensitively", () => {
    expect(eventTypeOf("Goal", "Normal Goal")).toBe("goal");
    expect(eventTypeOf("GOAL", "own goal")).toBe("own_goal");
    expect(eventTypeOf("Goal", "Penalty")).toBe("penalty_goal");
    expect(eventTypeOf("goal", "Missed Penalty")).toBe("missed_penalty");
    expect(eventTypeOf("Card", "Yellow Card")).toBe("yellow_card");
    expect(eventTypeOf("card", "RED CARD")).toBe("red_card");
    expect(eventTypeOf("Card", "Second Yellow card")).toBe("second_yellow");
    expect(eventTypeOf("subst", "Substitution 1")).toBe("substitution");
    expect(eventTypeOf("Subst", null)).toBe("substitution");
    expect(eventTypeOf("Var", "Goal cancelled")).toBe("var");
    expect(eventTypeOf("VAR", "Penalty confirmed")).toBe("var");
    expect(eventTypeOf("Foo", "bar")).toBeNull();
  });

  it("CL penalties sample: shoot-out kicks left out, running score, finished, stoppage minutes", () => {
    const batch = batchOf(clPenalties);
    const atleti = matchOf(batch, 1149519);
    expect(atleti).toMatchObject({ status: "finished", minute: null, homeScore: 2, awayScore: 1, halftimeHome: 1, halftimeAway: 1, stage: "Round of 16", matchday: null, venue: "Estádio Cívitas Metropolitano" });
    expect(rawFixture(clPenalties, 1149519).events).toHaveLength(29);
    expect(atleti.events).toHaveLength(20); // 9 shoot-out kicks left out
    expect(eventsOf(batch, 1149523)).toHaveLength(12); // 20 − 8
    expect(batch.discarded).toContain("match 1149519: 9 penalty shoot-out kicks left out of the events (shoot-out 3:2)");
    expect(batch.discarded).toContain("match 1149523: 8 penalty shoot-out kicks left out of the events (shoot-out 4:2)");
    const goals = atleti.events!.filter((e) => e.type === "goal");
    expect(goals.map((e) => [e.minute, e.playerName, e.teamRef, `${e.scoreHome}:${e.scoreAway}`])).toEqual([
      [33, "F. Dimarco", "505", "0:1"],
      [35, "A. Griezmann", "530", "1:1"],
      [87, "M. Depay", "530", "2:1"],
    ]);
    expect(goals[0]).toMatchObject({ playerRef: "31010", assistRef: "30558", assistName: "N. Barella" });
    expect(atleti.events!.some((e) => e.type === "penalty_goal" || e.type === "missed_penalty")).toBe(false);
    expect(atleti.events!.filter((e) => e.type !== "goal").every((e) => e.scoreHome === null)).toBe(true);
    const acerbi = atleti.events!.find((e) => e.type === "yellow_card" && e.playerRef === "1836")!;
    expect([acerbi.minute, acerbi.extraMinute, acerbi.detail]).toEqual([105, 2, "Foul"]);
    const lateSub = eventsOf(batch, 1149523).find((e) => e.type === "substitution" && e.minute === 90)!;
    expect(lateSub).toMatchObject({ extraMinute: 7, playerRef: "25350", assistRef: "278375" }); // Grujić on, Varela off
    // Players named by events are in the batch, with their team.
    expect(batch.players.find((p) => p.ref === "56")).toEqual({ ref: "56", name: "A. Griezmann", teamRef: "530" });
  });

  it("substitutions: assist = player coming ON in the usual data, mapped to playerRef = ON, assistRef = OFF", () => {
    const atleti = matchOf(batchOf(clPenalties), 1149519);
    const subs = atleti.events!.filter((e) => e.type === "substitution");
    expect(subs).toHaveLength(12);
    // 71': Samuel Lino off, Rodrigo Riquelme on (Riquelme later takes a shoot-out kick).
    expect(subs[0]).toMatchObject({ minute: 71, playerRef: "136117", playerName: "Rodrigo Riquelme", assistRef: "126936", assistName: "Samuel Lino" });
    // 105': Griezmann (scorer at 35') off, Saúl on.
    expect(subs.find((e) => e.assistRef === "56")).toMatchObject({ minute: 105, playerRef: "48", playerName: "Saúl" });
  });

  it("substitutions: detects a match whose substitutions list the player coming ON as `player` (live sample, Man City U18)", () => {
    const batch = batchOf(liveAll);
    const subs = eventsOf(batch, 1107495).filter((e) => e.type === "substitution");
    const raw73 = rawFixture(liveAll, 1107495).events.find((e: any) => e.type === "subst" && e.player.name === "M. Warhurst");
    expect([raw73.player.name, raw73.assist.name]).toEqual(["M. Warhurst", "L. Fletcher"]); // Fletcher scored at 21' and 42'
    expect(subs.find((e) => e.minute === 73 && e.assistName === "L. Fletcher")).toMatchObject({ playerName: "M. Warhurst", playerRef: null });
    expect(subs.find((e) => e.minute === 81)).toMatchObject({ playerName: "M. Ferreira", assistName: "D. Palmer" }); // Palmer scored at 68'
    // The same match with player/assist swapped in every substitution normalizes to the same events.
    const swapped = raw(clPenalties);
    for (const f of swapped.response) for (const e of f.events) if (e.type === "subst") [e.player, e.assist] = [e.assist, e.player];
    const strip = (es: EventRecord[]) => es.filter((e) => e.type === "substitution").map(({ ref: _ref, ...rest }) => rest);
    expect(strip(eventsOf(batchOf(swapped), 1149519))).toEqual(strip(eventsOf(batchOf(clPenalties), 1149519)));
  });

  it("keeps names of players without id; stable refs with an occurrence counter for exact duplicates, in any order", () => {
    const batch = batchOf(liveAll);
    const lisi = eventsOf(batch, 1125626).find((e) => e.minute === 4)!;
    expect(lisi).toMatchObject({ type: "goal", playerRef: null, playerName: "K. Lisi", teamRef: "5300", scoreHome: 1, scoreAway: 0 });
    const anonymous = eventsOf(batch, 1146027).filter((e) => e.type === "goal");
    expect(anonymous.map((e) => [e.playerRef, e.playerName, `${e.scoreHome}:${e.scoreAway}`])).toEqual([
      [null, null, "0:1"],
      [null, null, "1:1"],
      [null, null, "2:1"],
    ]);
    // Out of order in the payload (45+6, 45+7, 45+6, 45+6, 45+2): sorted by elapsed + extra.
    const cards = eventsOf(batch, 1146027).filter((e) => e.type === "yellow_card");
    expect(cards.map((e) => e.extraMinute)).toEqual([2, 6, 6, 6, 7]);
    // Njardvik: two identical yellow cards at 45+6 without a player get distinct, stable refs.
    const twins = cards.filter((e) => e.teamRef === "2123" && e.extraMinute === 6);
    expect(twins).toHaveLength(2);
    expect(twins[1]!.ref).toBe(`${twins[0]!.ref}~2`);
    const refs = (b: MatchBatch) => b.matches.flatMap((m) => m.events!.map((e) => `${m.ref}/${e.ref}`));
    const all = refs(batch);
    expect(new Set(all).size).toBe(all.length);
    expect(refs(batchOf(liveAll))).toEqual(all); // re-ingest: same refs
    const reversed = raw(liveAll);
    for (const f of reversed.response) f.events.reverse();
    const sorted = (b: MatchBatch) => b.matches.flatMap((m) => m.events!).map((e) => JSON.stringify(e)).sort();
    expect(sorted(batchOf(reversed))).toEqual(sorted(batch));
  });

  it("own goals: credited to the event's team, scorer of the other team (real live payload, 2024-09-02)", () => {
    const batch = batchOf(ownGoalLive, "PL", 2024);
    const m = matchOf(batch, 1283896); // Sheffield United U21 3:1 Watford U21
    const goals = m.events!;
    expect(goals.map((e) => [e.minute, e.type, e.teamRef, e.playerName, `${e.scoreHome}:${e.scoreAway}`])).toEqual([
      [12, "goal", "20086", "H. Boyes", "1:0"],
      [19, "goal", "20086", "R. Norrington-Davies", "2:0"],
      [21, "own_goal", "20019", "R. Norrington-Davies", "2:1"],
      [23, "goal", "20086", "R. One", "3:1"],
    ]);
    expect([m.homeScore, m.awayScore]).toEqual([3, 1]);
    expect(batch.players.find((p) => p.ref === "18331")!.teamRef).toBe("20086");
    expect(goals[3]!.playerRef).toBeNull();
    expect(batch.discarded).toEqual([]);
    // Were an own goal listed under the scorer's team, the events would not add up: credited to the opponent.
    const mislabeled = raw(ownGoalLive);
    Object.assign(mislabeled.response[0].events[2].team, { id: 20086, name: "Sheffield United U21" });
    const fixed = batchOf(mislabeled, "PL", 2024);
    const og = matchOf(fixed, 1283896).events!.find((e) => e.type === "own_goal")!;
    expect([og.teamRef, og.scoreHome, og.scoreAway]).toEqual(["20019", 2, 1]);
    expect(fixed.discarded.join()).toMatch(/own goals were listed under the scorer's team/);
  });

  it("VAR events keep their detail; a goal still listed after 'Goal cancelled' is dropped when the score says so", () => {
    const sample = raw(clPenalties);
    const arsenal = sample.response.find((f: any) => f.fixture.id === 1149523);
    const team = { id: 42, name: "Arsenal", logo: "https://media.api-sports.io/football/teams/42.png" };
    arsenal.events.push(
      { time: { elapsed: 60, extra: null }, team, player: { id: 1460, name: "B. Saka" }, assist: { id: null, name: null }, type: "Goal", detail: "Normal Goal", comments: null },
      { time: { elapsed: 62, extra: null }, team, player: { id: 1460, name: "B. Saka" }, assist: { id: null, name: null }, type: "Var", detail: "Goal cancelled", comments: null },
    );
    const batch = batchOf(sample);
    const events = eventsOf(batch, 1149523);
    expect(events.find((e) => e.type === "var")).toMatchObject({ minute: 62, detail: "Goal cancelled", teamRef: "42", playerRef: "1460" });
    expect(events.filter((e) => e.type === "goal").map((e) => `${e.minute}' ${e.scoreHome}:${e.scoreAway}`)).toEqual(["41' 1:0"]);
    expect(batch.discarded.join()).toMatch(/1 goal\(s\) cancelled by VAR/);
    // Without the VAR event the disagreement is only noted; events stay as sent.
    arsenal.events.pop();
    const noted = batchOf(sample);
    expect(eventsOf(noted, 1149523).filter((e) => e.type === "goal")).toHaveLength(2);
    expect(noted.discarded.join()).toMatch(/events add up to 2:0, the fixture says 1:0/);
  });

  it("/fixtures/events samples: Man Utd v Man City (League Cup 2021) and the docs example", () => {
    const players = new Map<string, PlayerRecord>();
    const notes: string[] = [];
    const derby = normalizeEvents((events653808 as any).response, { matchRef: "653808", homeRef: "33", awayRef: "50", goals: { home: 0, away: 2 }, players, notes });
    expect(derby).toHaveLength(9);
    expect(derby.filter((e) => e.type === "goal").map((e) => [e.playerName, `${e.scoreHome}:${e.scoreAway}`])).toEqual([
      ["J. Stones", "0:1"],
      ["Fernandinho", "0:2"],
    ]);
    expect(derby.find((e) => e.minute === 75)).toMatchObject({ type: "substitution", playerName: "M. Greenwood", assistName: "S. McTominay" });
    expect(derby.find((e) => e.minute === 88)).toMatchObject({ playerName: "D. van de Beek", assistName: "Fred" }); // Fred booked at 69'
    expect(players.size).toBe(10);
    expect(notes).toEqual([]);

    const docPlayers = new Map<string, PlayerRecord>();
    const docs = normalizeEvents((events215662 as any).response, { matchRef: "215662", homeRef: "463", awayRef: "442", players: docPlayers, notes });
    const count = (t: string) => docs.filter((e) => e.type === t).length;
    expect([docs.length, count("goal"), count("yellow_card"), count("red_card"), count("substitution")]).toEqual([18, 1, 10, 1, 6]);
    expect(docs.find((e) => e.type === "red_card")).toMatchObject({ minute: 90, playerRef: "35845", playerName: "Hernán Burbano" });
    expect(docs.find((e) => e.minute === 74 && e.type === "substitution")).toMatchObject({ playerName: "H. Burbano", assistName: "N. Solís" });
    expect(docPlayers.get("6126")!.name).toBe("Federico Andrada"); // also "F. Andrada": the fuller form kept
  });
});

describe("API-Football standings", () => {
  it("normalizes the final 2022/23 table: counts, single table → group null, form reversed to oldest first", () => {
    const batch = normalizeStandings((standings2022 as any).response, { competition: "PL", season: 2022, leagueId: 39 });
    expect(batch.rows).toHaveLength(20);
    expect(batch.teams).toHaveLength(20);
    expect(batch.discarded).toEqual([]);
    const rawRows = (standings2022 as any).response[0].league.standings[0];
    for (const r of rawRows) {
      const row = batch.rows.find((x) => x.teamRef === String(r.team.id))!;
      expect(row).toEqual({
        teamRef: String(r.team.id), group: null, position: r.rank, played: r.all.played, won: r.all.win, drawn: r.all.draw, lost: r.all.lose,
        goalsFor: r.all.goals.for, goalsAgainst: r.all.goals.against, points: r.points, form: [...r.form].reverse().join(""),
      });
    }
    // Man City's last five: Leeds W, Everton W, Chelsea W, Brighton D, Brentford L — API-Football sends "LDWWW".
    expect(batch.rows[0]).toMatchObject({ teamRef: "50", position: 1, points: 89, played: 38, won: 28, drawn: 5, lost: 5, goalsFor: 94, goalsAgainst: 33, form: "WWWDL" });
    expect(formOf("WDWWW")).toBe("WWWDW");
    expect(formOf(null)).toBeNull();
    const mid = normalizeStandings((standings2021 as any).response, { competition: "PL", season: 2021, leagueId: 39 });
    expect(mid.rows.find((r) => r.teamRef === "49")).toMatchObject({ position: 1, played: 12, points: 29, form: "WWWDW" });
  });

  it("names groups from the row's `group` when the competition has several tables", () => {
    const sample = raw(standings2022);
    const table = sample.response[0].league.standings[0];
    const a = table.slice(0, 10).map((r: any) => ({ ...r, group: "Group A" }));
    const b = table.slice(10).map((r: any) => ({ ...r, group: "Group B" }));
    sample.response[0].league.standings = [a, b];
    const batch = normalizeStandings(sample.response, { competition: "CL", season: 2022, leagueId: 39 });
    expect(batch.rows.filter((r) => r.group === "Group A")).toHaveLength(10);
    expect(batch.rows.filter((r) => r.group === "Group B")).toHaveLength(10);
  });
});

describe("API-Football players", () => {
  const page = (paging: { current: number | null; total: number | null }, p = 1) => ({ competition: "BL2" as const, season: 2021, leagueId: 72, page: p, paging });

  it("normalizes the recorded /players page: appearences (sic), string ratings, positions, the league's statistics", () => {
    const batch = normalizePlayers((players755 as any).response, page({ current: 1, total: 1 }));
    expect(batch.players).toHaveLength(20);
    expect(batch.stats).toHaveLength(20);
    // The logo arrives from media-1/-2/-3.api-sports.io shards: one stable URL.
    expect(new Set((players755 as any).response.map((p: any) => p.statistics[0].team.logo)).size).toBeGreaterThan(1);
    expect(batch.teams).toEqual([{ ref: "755", name: "Nautico Recife", shortName: null, tla: null, crestUrl: "https://media.api-sports.io/football/teams/755.png" }]);
    expect(batch.players.find((p) => p.ref === "10337")).toEqual({ ref: "10337", name: "Yago Fernando da Silva", teamRef: "755", nationality: "Brazil", birthDate: "1992-08-29", position: "Defender" });
    expect(batch.stats.find((s) => s.playerRef === "10337")).toEqual({ playerRef: "10337", teamRef: "755", appearances: 16, minutes: 937, goals: 1, assists: null, penalties: 0, yellowCards: 0, redCards: 0, rating: 6.828571 });
    expect(batch.stats.find((s) => s.playerRef === "41758")).toMatchObject({ appearances: 0, rating: null, penalties: null }); // "rating": null
    expect(batch.stats.find((s) => s.playerRef === "197425")).toMatchObject({ yellowCards: 5, redCards: 1 });
    expect(batch.nextPage).toBeNull();
  });

  it("parses counters sent as strings, both spellings, and picks the competition's statistics entry", () => {
    const sample = raw(players755);
    const yago = sample.response[0];
    const s = yago.statistics[0];
    Object.assign(s.games, { appearences: undefined, appearances: "16", minutes: "937", rating: "7.3" });
    Object.assign(s.goals, { total: "1", assists: "2" });
    Object.assign(s.fouls, { committed: undefined, commited: "4" });
    yago.statistics.unshift({ ...clone(s), league: { id: 73, season: 2021 }, games: { appearences: 99, minutes: 9000, rating: "9.9" } });
    const batch = normalizePlayers(sample.response, page({ current: 1, total: 1 }));
    expect(batch.stats.find((x) => x.playerRef === "10337")).toMatchObject({ appearances: 16, minutes: 937, goals: 1, assists: 2, rating: 7.3 });
    expect(parseItems(afPlayerStatistics, [s], "s").items[0]!.fouls.committed).toBe(4);
    // Two entries of the same league (moved between clubs): added up, team = most minutes.
    const moved = raw(players755);
    const first = moved.response[0].statistics[0];
    moved.response[0].statistics.push({ ...clone(first), team: { id: 756, name: "Other FC", logo: null }, games: { ...first.games, appearences: 4, minutes: 300, rating: "7.0" } });
    const sum = normalizePlayers(moved.response, page({ current: 1, total: 1 })).stats.find((x) => x.playerRef === "10337")!;
    expect(sum).toMatchObject({ teamRef: "755", appearances: 20, minutes: 1237 });
    expect(sum.rating).toBeCloseTo((6.828571 * 937 + 7.0 * 300) / 1237, 6);
    // A player without statistics for the league is left out, and said so.
    const other = raw(players755);
    other.response[1].statistics[0].league.id = 71;
    const out = normalizePlayers(other.response, page({ current: 1, total: 1 }));
    expect(out.stats).toHaveLength(19);
    expect(out.discarded).toEqual(["player 10458: no statistics for league 72"]);
  });

  it("pages: paging.current/total → nextPage (top scorers answer paging.current = 0)", () => {
    const next = (paging: { current: number | null; total: number | null }, p = 1) => normalizePlayers([], page(paging, p)).nextPage;
    expect(next({ current: 1, total: 3 })).toBe(2);
    expect(next({ current: 3, total: 3 }, 3)).toBeNull();
    expect(next({ current: 0, total: 1 })).toBeNull();
    expect(next({ current: null, total: null })).toBeNull();
    const top = normalizePlayers((topscorers2018 as any).response, { competition: "PL", season: 2018, leagueId: 39, page: 1, paging: { current: 0, total: 1 } });
    expect(top.stats).toHaveLength(20);
    expect(top.stats.find((s) => s.playerRef === "306")).toEqual({ playerRef: "306", teamRef: "40", appearances: 38, minutes: 3262, goals: 22, assists: 8, penalties: 3, yellowCards: 1, redCards: 0, rating: 7.45 });
    expect(top.players.find((p) => p.ref === "642")).toMatchObject({ name: "S. Agüero", position: "Attacker", nationality: "Argentina" });
    expect(top.nextPage).toBeNull();
  });
});

describe("API-Football adapter over HTTP (replay server)", () => {
  beforeEach(() => replay("POST", "/__replay/reset"));

  it("is configured by its key, covers registry competitions, budgets 10 requests a minute", () => {
    expect(apiFootball.isConfigured(readConfig(env))).toBe(false);
    expect(apiFootball.isConfigured(config())).toBe(true);
    expect(apiFootball.covers("BL1")).toBe(true);
    expect(apiFootball.covers("CL")).toBe(true);
    expect(apiFootball.requestsPerMinute(config())).toBe(10);
  });

  it("standings: GET /standings?league=&season= with the x-apisports-key header", async () => {
    const { data, budget } = await apiFootball.standings!(ctx(), "PL", 2022);
    expect(data.rows).toHaveLength(20);
    expect(data).toMatchObject({ provider: "api_football", competition: "PL", season: 2022 });
    expect(budget).toEqual({ remaining: null, resetSeconds: null }); // no budget headers in the recording
    const [req] = (await requests()).filter((r) => r.path === "/api-football/standings");
    expect(req!.query).toEqual({ league: "39", season: "2022" });
    expect(req!.headers["x-apisports-key"]).toBe("test-key");
  });

  it("seasonMatches: GET /fixtures?league=&season= (round=Regular Season - N for one matchday)", async () => {
    await overrideWith("/api-football/fixtures?league=78&season=2023", nsPst);
    const { data } = await apiFootball.seasonMatches(ctx(), "BL1", 2023);
    expect(data.matches).toHaveLength(71);
    expect(data).toMatchObject({ provider: "api_football", competition: "BL1", season: 2023 });
    await overrideWith("/api-football/fixtures?league=78&season=2023&round=Regular Season - 27", { ...raw(nsPst), response: raw(nsPst).response.filter((f: any) => f.league.round === "Regular Season - 27") });
    const one = await apiFootball.seasonMatches(ctx(), "BL1", 2023, { matchday: 27 });
    expect(one.data.matches).toHaveLength(9);
    const log = (await requests()).filter((r) => r.path === "/api-football/fixtures");
    expect(log.map((r) => r.query)).toEqual([{ league: "78", season: "2023" }, { league: "78", season: "2023", round: "Regular Season - 27" }]);
  });

  it("liveMatches: GET /fixtures?live=<ids joined by '-'>, one batch per competition and season", async () => {
    await overrideWith("/api-football/fixtures?live=39-2", liveAll);
    const { data } = await apiFootball.liveMatches!(ctx(), ["PL", "CL"], 2023);
    expect(data.map((b) => [b.competition, b.season, b.matches.map((m) => m.ref)])).toEqual([
      ["PL", 2023, ["1035430"]],
      ["CL", 2023, ["1149522", "1149524"]],
    ]);
    // Live payloads embed the events.
    expect(data[1]!.matches.map((m) => m.events?.length)).toEqual([1149522, 1149524].map((id) => rawFixture(liveAll, id).events.length));
    expect(data[0]!.discarded.filter((d) => /was not asked for/.test(d))).toHaveLength(21);
    const [req] = (await requests()).filter((r) => r.path === "/api-football/fixtures");
    expect(req!.query).toEqual({ live: "39-2" });
    // A season other than the one asked for gets its own batch.
    const later = raw(liveAll);
    later.response.find((f: any) => f.fixture.id === 1149524).league.season = 2024;
    await overrideWith("/api-football/fixtures?live=2", later);
    const split = await apiFootball.liveMatches!(ctx(), ["CL"], 2023);
    expect(split.data.map((b) => [b.competition, b.season, b.matches.length])).toEqual([["CL", 2023, 1], ["CL", 2024, 1]]);
  });

  it("playerStats: GET /players?league=&season=&page=; topScorers and fixtureEvents from the recordings", async () => {
    await overrideWith("/api-football/players?league=39&season=2018&page=1", topscorers2018);
    const { data } = await apiFootball.playerStats!(ctx(), "PL", 2018, 1);
    expect(data.stats).toHaveLength(20);
    expect(data.nextPage).toBeNull();
    const top = await topScorers(ctx(), "PL", 2018);
    expect(top.data.stats.find((s) => s.playerRef === "304")).toMatchObject({ goals: 22, teamRef: "40" });
    const ev = await fixtureEvents(ctx(), 653808, { homeRef: "33", awayRef: "50", goals: { home: 0, away: 2 } });
    expect(ev.data.events).toHaveLength(9);
    expect(ev.data.teams.map((t) => t.name).sort()).toEqual(["Manchester City", "Manchester United"]);
    const log = await requests();
    expect(log.map((r) => [r.path, r.query])).toEqual([
      ["/api-football/players", { league: "39", season: "2018", page: "1" }],
      ["/api-football/players/topscorers", { league: "39", season: "2018" }],
      ["/api-football/fixtures/events", { fixture: "653808" }],
    ]);
    expect(log.every((r) => r.headers["x-apisports-key"] === "test-key")).toBe(true);
  });

  it("turns the observed HTTP-200 error objects (and 204/499/500 answers) into the right ProviderError", async () => {
    const path = "/api-football/standings?league=39&season=2023";
    const outcomes: [string, string, boolean, number | undefined][] = [];
    for (const o of observedErrors as { http_status: number; errors?: Record<string, string>; body?: unknown }[]) {
      const body = o.body ?? { get: "standings", parameters: { league: "39", season: "2023" }, errors: o.errors, results: 0, paging: { current: 1, total: 1 }, response: [] };
      await overrideWith(path, body, o.http_status);
      const err = await providerError(apiFootball.standings!(ctx(), "PL", 2023));
      outcomes.push([o.errors ? Object.keys(o.errors)[0]! : String(o.http_status), err.kind, err.retryable, err.retryAfterSeconds]);
      if (o.errors) expect(err.message).toContain(Object.values(o.errors)[0]);
    }
    expect(outcomes).toEqual([
      ["token", "rejected", false, undefined],
      ["requests", "rate_limited", true, secondsToUtcMidnight(NOW)],
      ["rateLimit", "rate_limited", true, 60],
      ["plan", "rejected", false, undefined],
      ["plan", "rejected", false, undefined],
      ["access", "rejected", false, undefined],
      ["date", "rejected", false, undefined],
      ["204", "malformed", true, undefined], // a 204 carries no body over HTTP: nothing to parse, retried
      ["499", "server_error", true, undefined],
      ["500", "server_error", true, undefined],
    ]);
    expect(secondsToUtcMidnight(NOW)).toBe(3 * 3600 + 29 * 60 + 45); // 20:30:15Z → 00:00Z
    // The 204 body, if it ever arrived with a 200: errors.bug is the provider's fault → retryable.
    await overrideWith(path, (observedErrors as any)[7].body, 200);
    expect((await providerError(apiFootball.standings!(ctx(), "PL", 2023))).kind).toBe("server_error");
    // A body that is not the envelope at all.
    await overrideWith(path, [1, 2, 3], 200);
    expect((await providerError(apiFootball.standings!(ctx(), "PL", 2023))).kind).toBe("malformed");
  });

  it("reads the budget headers (case-insensitive) and reports the tighter window", async () => {
    const path = "/api-football/standings?league=39&season=2022";
    await overrideWith(path, standings2022, 200, { "x-ratelimit-requests-limit": "100", "x-ratelimit-requests-remaining": "37", "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "9" });
    expect((await apiFootball.standings!(ctx(), "PL", 2022)).budget).toEqual({ remaining: 9, resetSeconds: 45 }); // minute window, resets at 20:31:00
    await overrideWith(path, standings2022, 200, { "X-RATELIMIT-REQUESTS-REMAINING": "0", "x-ratelimit-remaining": "9" });
    expect((await apiFootball.standings!(ctx(), "PL", 2022)).budget).toEqual({ remaining: 0, resetSeconds: 12585 }); // daily quota spent: until 00:00 UTC
    const h = (o: Record<string, string>) => readBudget(new Headers(o), NOW);
    expect(h({ "x-ratelimit-requests-remaining": "5" })).toEqual({ remaining: 5, resetSeconds: 12585 });
    expect(h({ "x-ratelimit-remaining": "5", "x-ratelimit-requests-remaining": "5" })).toEqual({ remaining: 5, resetSeconds: 12585 }); // tie: the longer wait
    expect(h({ "x-ratelimit-remaining": "junk" })).toEqual({ remaining: null, resetSeconds: null });
    expect(secondsToNextMinute(new Date("2024-02-21T20:30:00Z"))).toBe(60);
  });
});

describe("API-Football batches store cleanly and idempotently", () => {
  beforeAll(resetAll);

  it("stores live, cup, standings and player batches; a second run writes nothing (stable event refs)", async () => {
    const live = batchOf(liveAll, "PL", 2023);
    const cup = batchOf(clPenalties, "CL", 2023);
    const standings = normalizeStandings((standings2022 as any).response, { competition: "PL", season: 2022, leagueId: 39 });
    const scorers = normalizePlayers((topscorers2018 as any).response, { competition: "PL", season: 2018, leagueId: 39, page: 1, paging: { current: 0, total: 1 } });
    const storeAll = () =>
      withDb(async (db) => {
        let written = 0;
        written += (await db.transaction((tx) => storeMatchBatch(tx, live))).written;
        written += (await db.transaction((tx) => storeMatchBatch(tx, cup))).written;
        written += (await db.transaction((tx) => storeStandings(tx, standings))).written;
        written += (await db.transaction((tx) => storePlayerStats(tx, scorers))).written;
        // liveMatches returns an empty batch for a tracked competition with nothing in play.
        written += (await db.transaction((tx) => storeMatchBatch(tx, normalizeFixtures([], { competition: "PL", season: 2023 })))).written;
        return written;
      });
    expect(await storeAll()).toBeGreaterThan(0);
    const stored = await withDb(async (db) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from match_events where provider = 'api_football'`)).rows[0]!.n);
    const expected = [...live.matches, ...cup.matches].reduce((n, m) => n + m.events!.length, 0);
    expect(stored).toBe(expected);
    // Fresh normalizations of the same payloads: same refs, nothing to write.
    const again = batchOf(liveAll, "PL", 2023);
    expect(again.matches.flatMap((m) => m.events!.map((e) => e.ref))).toEqual(live.matches.flatMap((m) => m.events!.map((e) => e.ref)));
    expect(await storeAll()).toBe(0);
  });
});
