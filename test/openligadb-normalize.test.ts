// OpenLigaDB quirks, each on a real recorded match (test/fixtures) or a copy of one with a single field changed.
import { describe, expect, it } from "vitest";
import season2023 from "./fixtures/openligadb/getmatchdata/bl1/2023.json";
import matchday12 from "./fixtures/openligadb/getmatchdata/bl1/2023/12.json";
import { normalizeMatches } from "../src/providers/openligadb/normalize";
import { oldbMatchList, type OldbMatch } from "../src/providers/openligadb/schema";

const LATER = new Date("2026-01-01T00:00:00Z");
const parse = (raw: unknown) => oldbMatchList.parse(raw);
const normalize = (raw: unknown, now = LATER) => normalizeMatches(parse(raw), { competition: "BL1", season: 2023, now });
const byId = (list: unknown[], id: number) => structuredClone((list as { matchID: number }[]).find((m) => m.matchID === id)) as OldbMatch & Record<string, any>;
const only = (raw: unknown, now = LATER) => normalize([raw], now).matches[0]!;

describe("OpenLigaDB normalization", () => {
  it("parses a whole recorded season (306 matches) and settles 243 finished + 1 with a final result but no finished flag", () => {
    const batch = normalize(season2023);
    expect(batch.matches).toHaveLength(306);
    expect(batch.teams).toHaveLength(18);
    expect(batch.matches.filter((m) => m.status === "finished")).toHaveLength(244);
    expect(batch.matches.filter((m) => m.status === "scheduled").every((m) => m.homeScore === null && m.events!.length === 0)).toBe(true);
  });

  it("chooses final and half-time scores by resultTypeID, not by position or name", () => {
    const m = byId(matchday12, 66729); // Dortmund 4:2 Gladbach
    const final = m.matchResults.find((r: any) => r.resultTypeID === 2)!;
    const half = m.matchResults.find((r: any) => r.resultTypeID === 1)!;
    const swapped = { ...m, matchResults: [{ ...final, resultOrderID: 1, resultName: "Halbzeit?" }, { ...half, resultOrderID: 2, resultName: "Ende?" }] };
    const out = only(swapped);
    expect([out.homeScore, out.awayScore]).toEqual([final.pointsTeam1, final.pointsTeam2]);
    expect([out.halftimeHome, out.halftimeAway]).toEqual([half.pointsTeam1, half.pointsTeam2]);
  });

  it("orders goals by running score (they arrive out of minute order) and credits the right team", () => {
    const m = byId(matchday12, 66729);
    expect(m.goals.map((g: any) => g.matchMinute)).toEqual([30, 28, 90, 45, 13, 33]);
    const out = only(m);
    const scores = out.events!.map((e) => `${e.scoreHome}:${e.scoreAway}`);
    expect(scores).toEqual(["0:1", "0:2", "1:2", "2:2", "3:2", "4:2"]);
    expect(out.events!.map((e) => e.minute)).toEqual([13, 28, 30, 33, 45, 90]);
    for (let i = 0; i < out.events!.length; i++) {
      const prev = i ? out.events![i - 1]! : { scoreHome: 0, scoreAway: 0 };
      const e = out.events![i]!;
      expect(e.teamRef).toBe(e.scoreHome! > prev.scoreHome! ? String(m.team1.teamId) : String(m.team2.teamId));
    }
  });

  it("reads stoppage time from isOvertime + a '+N' comment and from real minutes past 45/90", () => {
    const m = byId(matchday12, 66729);
    const malen = only(m).events!.find((e) => e.playerRef === "19156")!;
    expect([malen.minute, malen.extraMinute, malen.detail]).toEqual([90, 7, null]);
    const undav = only(byId(matchday12, 66732)).events!.find((e) => e.ref === "106303")!; // 45' "+1"
    expect([undav.minute, undav.extraMinute]).toEqual([45, 1]);
    const late = only(byId(season2023, 66630)).events!.find((e) => e.ref === "102641")!; // 94', isOvertime, no comment
    expect([late.minute, late.extraMinute]).toEqual([90, 4]);
    const firstHalf = only(byId(season2023, 66636)).events!.find((e) => e.ref === "102684")!; // 48', isOvertime
    expect([firstHalf.minute, firstHalf.extraMinute]).toEqual([45, 3]);
    const plain = only(byId(season2023, 66721)).events!.find((e) => e.ref === "105843")!; // 45', isOvertime, no amount
    expect([plain.minute, plain.extraMinute]).toEqual([45, null]);
  });

  it("cleans names: stray whitespace and CRLF, 'Last, First', empty names kept unknown", () => {
    const batch = normalize(matchday12);
    const names = new Map(batch.players.map((p) => [p.ref, p.name]));
    expect(names.get("16260")).toBe("Kevin Volland"); // "Kevin Volland\r\n"
    expect(names.get("14513")).toBe("Yussuf Poulsen"); // " Poulsen, Yussuf"
    const m = byId(matchday12, 66734);
    m.team1.teamName = "  1. FC\r\nKöln ";
    expect(normalize([m]).teams.find((t) => t.ref === "65")!.name).toBe("1. FC Köln");
    const empty = normalize(season2023).players.find((p) => p.ref === "19490")!; // goalGetterName ""
    expect(empty.name).toBeNull();
  });

  it("does not call a match finished when matchIsFinished is true before the final result exists", () => {
    const m = byId(matchday12, 66734); // Köln 0:1 Bayern, kickoff 19:30Z
    m.matchResults = m.matchResults.filter((r: any) => r.resultTypeID !== 2);
    expect(m.matchIsFinished).toBe(true);
    const during = only(m, new Date("2023-11-24T21:15:00Z"));
    expect(during.status).toBe("live");
    expect([during.homeScore, during.awayScore]).toEqual([0, 1]); // running score from the goals
    // Once the final result arrives, it is finished.
    expect(only(byId(matchday12, 66734), new Date("2023-11-24T21:15:00Z")).status).toBe("finished");
  });

  it("settles a match whose final result exists though matchIsFinished stayed false (after the play window)", () => {
    const m = byId(season2023, 66877);
    expect(m.matchIsFinished).toBe(false);
    expect(only(m, new Date("2024-04-05T19:30:00Z")).status).toBe("live");
    const settled = only(m);
    expect(settled.status).toBe("finished");
    expect([settled.homeScore, settled.awayScore]).toEqual([1, 1]);
  });

  it("uses matchDateTimeUTC, never the local matchDateTime; converts local time (CET and CEST) when UTC is missing", () => {
    const winter = byId(matchday12, 66734);
    expect(only(winter).kickoff.toISOString()).toBe("2023-11-24T19:30:00.000Z");
    winter.matchDateTimeUTC = null;
    expect(only(winter).kickoff.toISOString()).toBe("2023-11-24T19:30:00.000Z"); // 20:30 CET
    const summer = byId(season2023, 66877);
    summer.matchDateTimeUTC = null;
    expect(only(summer).kickoff.toISOString()).toBe("2024-04-05T18:30:00.000Z"); // 20:30 CEST
  });

  it("drops a goal that contradicts the official final result, and says so", () => {
    const batch = normalize([byId(season2023, 66804)]);
    const m = batch.matches[0]!;
    expect([m.homeScore, m.awayScore]).toEqual([1, 3]);
    expect(m.events!.map((e) => `${e.scoreHome}:${e.scoreAway}`)).toEqual(["0:1", "0:2", "1:2", "1:3"]);
    expect(batch.discarded.join()).toMatch(/exceeds final result 1:3/);
  });

  it("survives a match or goal listed twice, negative placeholder scores and '+N text' comments", () => {
    const m = byId(matchday12, 66729);
    const copy = structuredClone(m);
    copy.lastUpdateDateTime = "2023-11-20T00:00:00"; // older copy of the same match
    m.goals.push(structuredClone(m.goals[0]!));
    m.goals.find((g: any) => g.goalID === 106299)!.comment = "+7 Kopfball";
    const batch = normalize([copy, m]);
    expect(batch.matches).toHaveLength(1);
    expect(batch.matches[0]!.events).toHaveLength(6);
    expect(batch.discarded.join()).toMatch(/listed twice/);
    const malen = batch.matches[0]!.events!.find((e) => e.ref === "106299")!;
    expect([malen.minute, malen.extraMinute, malen.detail]).toEqual([90, 7, "Kopfball"]);
    const placeholder = byId(matchday12, 66737);
    placeholder.matchResults = [{ resultID: 1, resultName: "Endergebnis", pointsTeam1: -1, pointsTeam2: -1, resultOrderID: 2, resultTypeID: 2, resultDescription: null }];
    expect(only(placeholder)).toMatchObject({ status: "scheduled", homeScore: null });
  });

  it("rejects a payload that is not OpenLigaDB's shape", () => {
    expect(() => parse([{ matchID: "x" }])).toThrow();
    expect(() => parse({ error: "nope" })).toThrow();
  });
});
