// The fusion rule (src/domain/fusion.ts), case by case as the README's fusion table states it, and a fast-check
// property: whatever order a match's observations arrive in (each stored only if newer than the provider's last),
// the canonical match is the same.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fuseMatch,
  mergeObservation,
  type FusedMatch,
  type FusionStatus,
  type Observation,
  type ObservedEvent,
  type PreviousEvent,
} from "../src/domain/fusion";

const PRECEDENCE = ["api_football", "football_data", "openligadb"] as const;
const POLL = 30_000;
const OPTS = { precedence: PRECEDENCE, pollIntervalMs: POLL };
const T0 = Date.parse("2024-03-09T14:30:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function obs(provider: string, over: Partial<Observation> & { t?: number } = {}): Observation {
  const { t = 0, ...rest } = over;
  return {
    provider,
    fetchedAt: at(t),
    seenAt: at(t),
    sourceUpdatedAt: null,
    status: "scheduled",
    minute: null,
    homeScore: null,
    awayScore: null,
    halftimeHome: null,
    halftimeAway: null,
    extraTimeHome: null,
    extraTimeAway: null,
    penaltiesHome: null,
    penaltiesAway: null,
    kickoff: new Date(T0),
    kickoffProvisional: false,
    matchday: 25,
    stage: null,
    group: null,
    venue: null,
    attendance: null,
    homeTeamId: 1,
    awayTeamId: 2,
    events: null,
    ...rest,
  };
}

function goal(ref: string, minute: number, side: "home" | "away", player: { id?: number; name?: string } = {}, score?: [number, number]): ObservedEvent {
  return {
    ref,
    type: "goal",
    minute,
    extraMinute: null,
    side,
    playerId: player.id ?? null,
    playerName: player.name ?? null,
    assistId: null,
    assistName: null,
    detail: null,
    scoreHome: score?.[0] ?? null,
    scoreAway: score?.[1] ?? null,
  };
}

const fuse = (list: Observation[], previous: PreviousEvent[] = []) => fuseMatch(list, previous, OPTS);
const asPrevious = (f: FusedMatch, ids: number[]): PreviousEvent[] =>
  f.events.map((e, i) => ({ id: ids[i]!, sources: e.sources, type: e.type, minute: e.minute, extraMinute: e.extraMinute, side: e.side }));

describe("fusion: status and score", () => {
  it("a finished result beats an older snapshot's scheduled match, whatever the rank", () => {
    const f = fuse([
      obs("football_data", { status: "scheduled", kickoffProvisional: true, kickoff: at(60), t: 0 }),
      obs("openligadb", { status: "finished", homeScore: 2, awayScore: 1, t: 5 }),
    ]);
    expect(f).toMatchObject({ status: "finished", homeScore: 2, awayScore: 1, sourceProvider: "openligadb", kickoff: new Date(T0), kickoffTentative: false });
  });

  it("a match only moves forward: an in-play observation never moves a finished match back", () => {
    const f = fuse([obs("api_football", { status: "live", minute: 88, homeScore: 1, awayScore: 0, t: 100 }), obs("openligadb", { status: "finished", homeScore: 1, awayScore: 0, t: 99 })]);
    expect(f.status).toBe("finished");
    const g = fuse([obs("api_football", { status: "halftime", homeScore: 0, awayScore: 0, t: 50 }), obs("openligadb", { status: "scheduled", t: 51 })]);
    expect(g.status).toBe("halftime");
  });

  it("in play, among providers still reporting: precedence; one not seen for two poll intervals no longer holds it", () => {
    const fresh = [
      obs("api_football", { status: "live", minute: 20, homeScore: 0, awayScore: 0, t: 20 }),
      obs("openligadb", { status: "live", homeScore: 1, awayScore: 0, t: 20.5 }),
    ];
    expect(fuse(fresh)).toMatchObject({ sourceProvider: "api_football", homeScore: 0 });
    // One interval late is not stalled yet …
    const late = [{ ...fresh[0]!, seenAt: new Date(T0 + 20.5 * 60_000 - POLL) }, fresh[1]!];
    expect(fuse(late).sourceProvider).toBe("api_football");
    // … more than two are.
    const stalled = [{ ...fresh[0]!, seenAt: new Date(T0 + 20.5 * 60_000 - 2 * POLL - 1) }, fresh[1]!];
    expect(fuse(stalled)).toMatchObject({ sourceProvider: "openligadb", homeScore: 1, awayScore: 0 });
  });

  it("two different final scores: precedence decides and the disagreement is recorded", () => {
    const f = fuse([obs("openligadb", { status: "finished", homeScore: 0, awayScore: 1, t: 200 }), obs("football_data", { status: "finished", homeScore: 1, awayScore: 1, t: 100 })]);
    expect(f).toMatchObject({ homeScore: 1, awayScore: 1, sourceProvider: "football_data" });
    expect(f.disagreements).toEqual([{ field: "score", values: { football_data: "1:1", openligadb: "0:1" } }]);
    expect(fuse([obs("openligadb", { status: "finished", homeScore: 0, awayScore: 1 }), obs("football_data", { status: "finished", homeScore: 0, awayScore: 1 })]).disagreements).toEqual([]);
  });

  it("a later correction by the same provider wins (its newer observation replaces its older one)", () => {
    const first = obs("football_data", { status: "finished", homeScore: 2, awayScore: 2, sourceUpdatedAt: at(120), t: 120 });
    const correction = obs("football_data", { status: "finished", homeScore: 2, awayScore: 1, sourceUpdatedAt: at(180), t: 180 });
    expect(mergeObservation(first, correction)).toMatchObject({ homeScore: 2, awayScore: 1 });
    expect(mergeObservation(correction, first)).toBeNull();
  });

  it("postponed replaces a scheduled match, and a started one only when observed later than it", () => {
    const postponed = (t: number) => obs("football_data", { status: "postponed", sourceUpdatedAt: at(t), t });
    expect(fuse([postponed(-600), obs("openligadb", { status: "scheduled", t: 0 })]).status).toBe("postponed");
    expect(fuse([postponed(-600), obs("openligadb", { status: "finished", homeScore: 1, awayScore: 1, sourceUpdatedAt: at(110), t: 110 })]).status).toBe("finished");
    expect(fuse([postponed(300), obs("openligadb", { status: "live", homeScore: 0, awayScore: 0, sourceUpdatedAt: at(10), t: 10 })]).status).toBe("postponed");
    // Within the window: precedence, recorded.
    // (both fetched in the same round, so neither has stopped reporting)
    const close = fuse([postponed(12), obs("openligadb", { status: "live", homeScore: 0, awayScore: 0, sourceUpdatedAt: at(10), t: 12 })]);
    expect(close.status).toBe("postponed");
    expect(close.disagreements).toEqual([{ field: "status", values: { football_data: "postponed", openligadb: "live" } }]);
  });

  it("a confirmed kick-off beats a provisional one, whatever the rank; between confirmed ones the later change", () => {
    const provisional = obs("api_football", { kickoff: at(-60), kickoffProvisional: true });
    expect(fuse([provisional, obs("openligadb", { kickoff: at(0) })])).toMatchObject({ kickoff: at(0), kickoffTentative: false });
    expect(fuse([provisional])).toMatchObject({ kickoff: at(-60), kickoffTentative: true });
    const moved = fuse([obs("football_data", { kickoff: at(0), sourceUpdatedAt: at(-10_000) }), obs("openligadb", { kickoff: at(180), sourceUpdatedAt: at(-2_000) })]);
    expect(moved.kickoff).toEqual(at(180));
    const tie = fuse([obs("football_data", { kickoff: at(0), sourceUpdatedAt: at(-2_005) }), obs("openligadb", { kickoff: at(180), sourceUpdatedAt: at(-2_000) })]);
    expect(tie.kickoff).toEqual(at(0));
    expect(tie.disagreements).toEqual([{ field: "kickoff", values: { football_data: at(0).toISOString(), openligadb: at(180).toISOString() } }]);
  });

  it("descriptive fields: the first provider by precedence that has a value", () => {
    const f = fuse([obs("openligadb", { venue: "RheinEnergieSTADION", attendance: 50_000 }), obs("api_football", { venue: "RheinEnergieStadion" })]);
    expect(f).toMatchObject({ venue: "RheinEnergieStadion", attendance: 50_000 });
  });
});

describe("fusion: one canonical event per real event", () => {
  const kaneOldb = goal("106261", 19, "away", { id: 7, name: "H. Kane" }, [0, 1]);
  const kaneAf = goal("goal:19::157:p184:normal goal", 20, "away", { id: 7, name: "Harry Kane" });

  it("the same goal from two providers (minute ±2, same player) is one event with the best provider's values", () => {
    const f = fuse([obs("openligadb", { status: "live", events: [kaneOldb] }), obs("api_football", { status: "live", events: [kaneAf] })]);
    expect(f.events).toHaveLength(1);
    expect(f.events[0]).toMatchObject({ provider: "api_football", minute: 20, playerName: "Harry Kane", scoreHome: 0, scoreAway: 1 });
    expect(f.events[0]!.sources).toEqual(["api_football:goal:19::157:p184:normal goal", "openligadb:106261"]);
  });

  it("goals more than 2 minutes apart, or of the other side, stay two events", () => {
    expect(fuse([obs("openligadb", { events: [kaneOldb] }), obs("api_football", { events: [{ ...kaneAf, minute: 22 }] })]).events).toHaveLength(2);
    expect(fuse([obs("openligadb", { events: [kaneOldb] }), obs("api_football", { events: [{ ...kaneAf, side: "home" }] })]).events).toHaveLength(2);
  });

  it("two yellow cards of one side in one minute are two events (players differ)", () => {
    const card = (ref: string, id: number, name: string): ObservedEvent => ({ ...goal(ref, 40, "home", { id, name }), type: "yellow_card" });
    const f = fuse([obs("api_football", { events: [card("a", 1, "E. Martel"), card("b", 2, "D. Ljubicic")] }), obs("football_data", { events: [card("x", 3, "Eric Martel")] })]);
    expect(f.events).toHaveLength(2);
    expect(f.events.find((e) => e.playerName === "E. Martel")!.sources).toHaveLength(2);
  });

  it("a provider switch keeps the event's id: OpenLigaDB's goal, then API-Football's, then OpenLigaDB gone", () => {
    const first = fuse([obs("openligadb", { status: "live", events: [kaneOldb], t: 19 })]);
    const previous = asPrevious(first, [101]);
    const both = fuse([obs("openligadb", { status: "live", events: [kaneOldb], t: 20 }), obs("api_football", { status: "live", events: [kaneAf], t: 20 })], previous);
    expect(both.events.map((e) => e.id)).toEqual([101]);
    const onlyAf = fuse([obs("openligadb", { status: "live", events: [], t: 21 }), obs("api_football", { status: "live", events: [kaneAf], t: 21 })], asPrevious(both, [101]));
    expect(onlyAf.events.map((e) => e.id)).toEqual([101]);
  });

  it("a corrected scorer (a new provider key) is the same event, changed", () => {
    const before = fuse([obs("api_football", { status: "live", events: [kaneAf] })]);
    const corrected = { ...kaneAf, ref: "goal:19::157:p1149:normal goal", playerId: 9, playerName: "L. Sané" };
    const after = fuse([obs("api_football", { status: "live", events: [corrected] })], asPrevious(before, [55]));
    expect(after.events).toMatchObject([{ id: 55, playerName: "L. Sané" }]);
  });

  it("a goal is removed only when every provider that reported it withdrew it", () => {
    const both = [obs("openligadb", { status: "live", homeScore: 0, awayScore: 1, events: [kaneOldb] }), obs("api_football", { status: "live", homeScore: 0, awayScore: 1, events: [kaneAf] })];
    expect(fuse([{ ...both[0]!, events: [] }, both[1]!]).events).toHaveLength(1);
    expect(fuse([{ ...both[0]!, events: [] }, { ...both[1]!, events: [] }]).events).toHaveLength(0);
  });

  it("the final score rules out a goal only a lagging provider still lists", () => {
    const sane = goal("990102", 34, "away", { id: 11, name: "L. Sané" });
    const f = fuse([
      obs("openligadb", { status: "live", homeScore: 1, awayScore: 2, events: [kaneOldb, sane], t: 36 }),
      obs("api_football", { status: "finished", homeScore: 1, awayScore: 1, events: [kaneAf, goal("af-selke", 28, "home", { id: 12, name: "D. Selke" })], t: 110 }),
    ]);
    expect(f.events.map((e) => e.playerName)).toEqual(["Harry Kane", "D. Selke"]);
    expect(f.events.map((e) => [e.scoreHome, e.scoreAway])).toEqual([[0, 1], [1, 1]]);
  });
});

// --- property: delivery order does not matter -------------------------------------------------------------

const STATUSES: FusionStatus[] = ["scheduled", "live", "halftime", "finished", "postponed"];
const playerPool = [
  { id: 1, name: "H. Kane" },
  { id: 2, name: "L. Sané" },
  { id: 3, name: "D. Selke" },
];

const eventArb = fc.record({
  minute: fc.integer({ min: 1, max: 90 }),
  side: fc.constantFrom("home" as const, "away" as const),
  player: fc.constantFrom(...playerPool),
});

/** One provider's successive observations of one match (increasing times; optionally with its own update times). */
const providerStream = (provider: string, withSourceTime: boolean) =>
  fc
    .array(
      fc.record({
        status: fc.constantFrom(...STATUSES),
        home: fc.integer({ min: 0, max: 3 }),
        away: fc.integer({ min: 0, max: 3 }),
        kickoffShift: fc.constantFrom(0, 0, 120),
        provisional: fc.boolean(),
        gap: fc.integer({ min: 1, max: 400 }),
        events: fc.option(fc.array(eventArb, { maxLength: 3 }), { nil: null }),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((steps) => {
      let t = 0;
      return steps.map((s, i) => {
        t += s.gap;
        const scored = s.status !== "scheduled" && s.status !== "postponed";
        return obs(provider, {
          t,
          status: s.status,
          homeScore: scored ? s.home : null,
          awayScore: scored ? s.away : null,
          minute: s.status === "live" ? 30 : null,
          kickoff: at(s.kickoffShift),
          kickoffProvisional: s.provisional,
          sourceUpdatedAt: withSourceTime ? at(t - 1) : null,
          events: s.events?.map((e, j) => goal(`${provider}-${i}-${j}`, e.minute, e.side, e.player)) ?? null,
        });
      });
    });

/** A provider's stream where one state comes back after a different one is the documented exception (README). */
const noReturningState = (stream: Observation[]) =>
  stream.every((o, i) => stream.slice(0, i - 1).every((earlier) => JSON.stringify({ ...earlier, fetchedAt: 0, seenAt: 0 }) !== JSON.stringify({ ...o, fetchedAt: 0, seenAt: 0 })));

function deliver(order: Observation[]): FusedMatch {
  const latest = new Map<string, Observation>();
  let ids = 0;
  let previous: PreviousEvent[] = [];
  let fused: FusedMatch | null = null;
  for (const o of order) {
    const next = mergeObservation(latest.get(o.provider) ?? null, o);
    if (!next) continue;
    latest.set(o.provider, next);
    fused = fuseMatch([...latest.values()], previous, OPTS);
    for (const e of fused.events) e.id ??= ++ids;
    previous = fused.events.map((e) => ({ id: e.id!, sources: e.sources, type: e.type, minute: e.minute, extraMinute: e.extraMinute, side: e.side }));
  }
  return fused!;
}

const withoutIds = (f: FusedMatch) => ({ ...f, events: f.events.map(({ id: _id, ...e }) => e) });

describe("fusion: delivery order", () => {
  it("any order of a match's observations (3 providers, ≥ 3 observations) gives one canonical match", () => {
    fc.assert(
      fc.property(
        fc.tuple(providerStream("api_football", false), providerStream("football_data", true), providerStream("openligadb", true)),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        (streams, keysA, keysB) => {
          fc.pre(streams.every(noReturningState));
          const all = streams.flat();
          fc.pre(all.length >= 3);
          const shuffle = (keys: number[]) => all.map((o, i) => ({ o, k: keys[i % keys.length]! * 31 + i })).sort((a, b) => a.k - b.k).map((x) => x.o);
          const inOrder = withoutIds(deliver([...all].sort((a, b) => a.fetchedAt.getTime() - b.fetchedAt.getTime())));
          expect(withoutIds(deliver(shuffle(keysA)))).toEqual(inOrder);
          expect(withoutIds(deliver(shuffle(keysB)))).toEqual(inOrder);
          expect(withoutIds(deliver([...all].reverse()))).toEqual(inOrder);
        },
      ),
      { numRuns: 400 },
    );
  });
});
