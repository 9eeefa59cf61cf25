// The live room (MatchRoom Durable Object): snapshot on connect, every change to every socket once and in seq order,
// `since` replays, state across eviction, VAR cancellations as removals, idempotent publishes, garbage and floods
// from one client, batching; and the Worker route GET /v1/matches/{id}/live.
// Rooms are driven directly through their RPC stub; each test uses its own room (its own match id).
import { createExecutionContext, evictDurableObject, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { liveRoutes } from "../src/api/live";
import { createApp } from "../src/app";
import { diffStates } from "../src/live/diff";
import { BATCH_WINDOW_MS, FLOOD_MAX_FRAMES, LOG_KEEP, MAX_BAD_FRAMES, matchRoom, REPLAY_CHUNK, type Attachment, type MatchRoom } from "../src/live/match-room";
import { MAX_CLIENT_FRAME_BYTES, type ChangeMessage, type LiveEvent, type LiveMatchState, type ServerMessage } from "../src/live/protocol";
import { api, apiWithEnv, json, resetAll, runIngest } from "./helpers";

// ---- building states in the real shapes (src/domain/wire.ts) ------------------------------------------------------

const HOME = { id: 11, name: "Borussia Dortmund", shortName: "Dortmund", crest: null };
const AWAY = { id: 22, name: "VfL Bochum", shortName: "Bochum", crest: null };

interface StateOpts {
  status?: LiveMatchState["match"]["status"];
  minute?: number | null;
  score?: [number | null, number | null];
  halftime?: [number | null, number | null];
  events?: LiveEvent[];
}

function makeState(matchId: number, o: StateOpts = {}): LiveMatchState {
  return {
    match: {
      id: matchId,
      competition: { code: "BL1" },
      season: 2023,
      matchday: 12,
      stage: null,
      group: null,
      kickoff: "2023-11-25T14:30:00Z",
      kickoffTentative: false,
      status: o.status ?? "scheduled",
      minute: o.minute ?? null,
      home: HOME,
      away: AWAY,
      score: {
        home: o.score?.[0] ?? null,
        away: o.score?.[1] ?? null,
        halftime: { home: o.halftime?.[0] ?? null, away: o.halftime?.[1] ?? null },
      },
      venue: "Signal Iduna Park",
    },
    events: o.events ?? [],
  };
}

function goal(id: number, minute: number, team: "home" | "away", player: string, score: [number, number]): LiveEvent {
  return {
    id,
    minute,
    extraMinute: null,
    type: "goal",
    team: { id: team === "home" ? HOME.id : AWAY.id },
    player: { id: id * 10, name: player },
    assist: null,
    detail: null,
    score: { home: score[0], away: score[1] },
  };
}

function card(id: number, minute: number, player: string): LiveEvent {
  return { id, minute, extraMinute: null, type: "yellow_card", team: { id: AWAY.id }, player: { id: id * 10, name: player }, assist: null, detail: null, score: null };
}

/** A match played through: each entry is the state the live job would publish next. */
function script(id: number): LiveMatchState[] {
  const g1 = goal(101, 13, "home", "R. Reitz", [1, 0]);
  const c1 = card(102, 20, "K. Stöger");
  const g2 = goal(103, 28, "away", "K. Kone", [1, 1]);
  return [
    makeState(id, { status: "live", minute: 1, score: [0, 0] }), // status
    makeState(id, { status: "live", minute: 13, score: [1, 0], events: [g1] }), // score + event
    makeState(id, { status: "live", minute: 20, score: [1, 0], events: [g1, c1] }), // event
    makeState(id, { status: "live", minute: 28, score: [1, 1], events: [g1, c1, g2] }), // score + event
    makeState(id, { status: "live", minute: 29, score: [1, 1], events: [g1, { ...c1, detail: "Foul" }, g2] }), // event changed
    makeState(id, { status: "halftime", minute: 45, score: [1, 1], halftime: [1, 1], events: [g1, c1, g2] }), // status + score + event changed
  ];
}

// ---- rooms and sockets -------------------------------------------------------------------------------------------

let nextMatchId = 700_000;
function freshRoom() {
  const id = ++nextMatchId;
  return { id, stub: matchRoom(env, id) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than a batching window plus scheduling slack: anything due has arrived by then. */
const settle = () => sleep(BATCH_WINDOW_MS * 3);

class Client {
  readonly frames: ServerMessage[] = [];
  readonly raw: string[] = [];
  closed: { code: number; reason: string } | undefined;

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (e) => {
      const data = e.data as string;
      this.raw.push(data);
      this.frames.push(JSON.parse(data) as ServerMessage);
    });
    ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
    ws.accept();
  }

  static async open(stub: DurableObjectStub<MatchRoom>, query = ""): Promise<Client> {
    const res = await stub.fetch(`http://room.test/live${query}`, { headers: { Upgrade: "websocket" } });
    expect(res.status).toBe(101);
    return new Client(res.webSocket!);
  }

  send(data: string | ArrayBuffer) {
    this.ws.send(data);
  }

  /** Every change received, batches unpacked, in arrival order. */
  changes(): ChangeMessage[] {
    return this.frames.flatMap((f) => (f.type === "batch" ? f.messages : f.type === "score" || f.type === "status" || f.type === "event" ? [f] : []));
  }

  snapshots() {
    return this.frames.filter((f): f is Extract<ServerMessage, { type: "snapshot" }> => f.type === "snapshot");
  }

  async waitFor(what: string, pred: () => boolean, ms = 3_000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; frames: ${this.raw.join(" | ").slice(0, 2000)}`);
      await sleep(5);
    }
  }

  waitFrames(n: number) {
    return this.waitFor(`${n} frames`, () => this.frames.length >= n);
  }

  waitSeq(seq: number) {
    return this.waitFor(`seq ${seq}`, () => (this.changes().at(-1)?.seq ?? -1) >= seq);
  }

  close() {
    this.ws.close(1000, "done");
  }
}

const seqs = (c: Client) => c.changes().map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// ---- the room ---------------------------------------------------------------------------------------------------

describe("MatchRoom", () => {
  it("sends a snapshot on connect: empty before the first state, then the state with seq 0", async () => {
    const { id, stub } = freshRoom();
    const early = await Client.open(stub);
    await early.waitFrames(1);
    expect(early.frames[0]).toEqual({ type: "snapshot", seq: 0, match: null });
    expect(await stub.snapshot()).toEqual({ seq: 0, state: null });

    // The first state is the baseline: stored, no change, seq stays 0; the waiting socket gets it as a snapshot.
    const first = makeState(id, { status: "live", minute: 3, score: [0, 0], events: [card(1, 2, "X")] });
    expect(await stub.publish(first)).toEqual({ seq: 0, messages: 0 });
    await early.waitFrames(2);
    expect(early.frames[1]).toEqual({ type: "snapshot", seq: 0, match: { ...first.match, events: first.events } });

    const late = await Client.open(stub);
    await late.waitFrames(1);
    expect(late.frames).toEqual([{ type: "snapshot", seq: 0, match: { ...first.match, events: first.events } }]);
    expect(await stub.snapshot()).toEqual({ seq: 0, state: first });

    // After changes, a new socket's snapshot carries the current seq and state.
    const next = makeState(id, { status: "live", minute: 9, score: [1, 0], events: [card(1, 2, "X"), goal(2, 9, "home", "Y", [1, 0])] });
    expect(await stub.publish(next)).toEqual({ seq: 2, messages: 2 });
    const third = await Client.open(stub);
    await third.waitFrames(1);
    expect(third.frames[0]).toEqual({ type: "snapshot", seq: 2, match: { ...next.match, events: next.events } });
    await settle();
    // The snapshot already holds changes 1–2: the pending flush does not send them to this socket again.
    expect(third.frames).toHaveLength(1);
    expect(seqs(early)).toEqual([1, 2]);
    for (const c of [early, late, third]) c.close();
  });

  it("delivers every change to every connected socket, once and in seq order", async () => {
    const { id, stub } = freshRoom();
    const states = script(id);
    await stub.publish(makeState(id));
    const clients = await Promise.all([1, 2, 3, 4].map(() => Client.open(stub)));
    let expected = 0;
    for (const [i, s] of states.entries()) {
      const r = await stub.publish(s);
      expected += r.messages;
      expect(r.seq).toBe(expected);
      // Some publishes in the same window, some apart.
      if (i % 2 === 1) await settle();
    }
    expect(expected).toBe(11);
    for (const c of clients) await c.waitSeq(expected);
    await settle();
    for (const c of clients) {
      expect(c.snapshots().map((s) => s.seq)).toEqual([0]);
      expect(seqs(c)).toEqual(range(1, expected));
      expect(c.changes()).toEqual(clients[0]!.changes());
    }
    const msgs = clients[0]!.changes();
    expect(msgs[0]).toEqual({ type: "status", seq: 1, status: "live", minute: 1 });
    expect(msgs[1]).toMatchObject({ type: "score", seq: 2, score: { home: 0, away: 0 } });
    expect(msgs.slice(2, 4)).toMatchObject([{ type: "score", score: { home: 1, away: 0 }, minute: 13 }, { type: "event", action: "added", event: { id: 101 } }]);
    expect(msgs.at(-3)).toEqual({ type: "status", seq: 9, status: "halftime", minute: 45 });
    expect(msgs.at(-2)).toMatchObject({ type: "score", score: { halftime: { home: 1, away: 1 } } });
    expect(msgs.at(-1)).toMatchObject({ type: "event", action: "changed", event: { id: 102, detail: null } });
    expect((await stub.snapshot()).state).toEqual(states.at(-1));
    for (const c of clients) c.close();
  });

  it("replays after `since` on reconnect and on subscribe: nothing missed, nothing twice", async () => {
    const { id, stub } = freshRoom();
    const states = script(id);
    await stub.publish(makeState(id));
    const a = await Client.open(stub);
    await stub.publish(states[0]!);
    await stub.publish(states[1]!);
    await a.waitSeq(4);
    const seen = a.changes();
    a.close();
    await a.waitFor("close", () => a.closed !== undefined);

    // Missed while away: seqs 5–8.
    for (const s of states.slice(2, 5)) await stub.publish(s);
    const lastSeen = seen.at(-1)!.seq;
    expect(lastSeen).toBe(4);
    const b = await Client.open(stub, `?since=${lastSeen}`);
    await b.waitSeq(8);
    // No snapshot, the missed changes in order (one batch frame), then live changes continue from there.
    expect(b.snapshots()).toHaveLength(0);
    expect(b.frames).toHaveLength(1);
    expect(b.frames[0]!.type).toBe("batch");
    await stub.publish(states[5]!);
    await b.waitSeq(11);
    await settle();
    expect([...seen, ...b.changes()].map((m) => m.seq)).toEqual(range(1, 11));
    expect(b.snapshots()).toHaveLength(0);

    // subscribe on an open socket replays the same way.
    expect(b.changes()).toHaveLength(7);
    b.send(JSON.stringify({ type: "subscribe", since: 9 }));
    await b.waitFor("replay", () => b.changes().length === 7 + 2);
    expect(b.changes().slice(-2).map((m) => m.seq)).toEqual([10, 11]);
    // since = current seq: up to date, nothing to send.
    const c = await Client.open(stub, "?since=11");
    await settle();
    expect(c.frames).toEqual([]);
    // since ahead of the room, or 0: a snapshot instead.
    const d = await Client.open(stub, "?since=99");
    const e = await Client.open(stub, "?since=0");
    await d.waitFrames(1);
    await e.waitFrames(1);
    expect(d.frames[0]).toMatchObject({ type: "snapshot", seq: 11 });
    expect(e.frames[0]).toMatchObject({ type: "snapshot", seq: 11 });
    // A malformed since is refused.
    expect((await stub.fetch("http://room.test/live?since=-1", { headers: { Upgrade: "websocket" } })).status).toBe(400);
    for (const x of [b, c, d, e]) x.close();
  });

  it("keeps its state, seq and sockets across eviction", async () => {
    const { id, stub } = freshRoom();
    const states = script(id);
    await stub.publish(makeState(id));
    const a = await Client.open(stub);
    await stub.publish(states[0]!);
    await stub.publish(states[1]!);
    await a.waitSeq(4);
    const before = await stub.snapshot();

    await evictDurableObject(stub);
    // A fresh stub reaches a fresh instance: state and seq come back from SQLite.
    const again = matchRoom(env, id);
    expect(await again.snapshot()).toEqual(before);
    // The hibernated socket is still there with its attachment, and gets the next change exactly once.
    const atts = await runInDurableObject(again, (_i: MatchRoom, state) => state.getWebSockets().map((ws) => ws.deserializeAttachment() as Attachment));
    expect(atts).toHaveLength(1);
    expect(atts[0]).toMatchObject({ lastSeq: 0, badFrames: 0 });
    expect(await again.publish(states[2]!)).toEqual({ seq: 5, messages: 1 });
    await a.waitSeq(5);

    // Evicted between publish and flush (eviction here waits for the timer, so the test cancels it inside the object,
    // as a crash would): the changes are in the log, and the room sends them when it next wakes.
    await again.publish(states[3]!);
    await runInDurableObject(again, (room: MatchRoom) => {
      const r = room as unknown as { flushTimer?: number };
      expect(r.flushTimer).toBeDefined();
      clearTimeout(r.flushTimer ?? null);
      r.flushTimer = undefined;
    });
    await evictDurableObject(again);
    await settle();
    expect(seqs(a)).toEqual(range(1, 5));
    await matchRoom(env, id).snapshot(); // wakes it
    await a.waitSeq(7);
    await settle();
    expect(seqs(a)).toEqual(range(1, 7));

    // A client reconnecting with since gets what it missed from the persisted log.
    const b = await Client.open(matchRoom(env, id), "?since=2");
    await b.waitSeq(7);
    expect(seqs(b)).toEqual(range(3, 7));
    a.close();
    b.close();
  });

  it("broadcasts a VAR-cancelled goal as a removal", async () => {
    const { id, stub } = freshRoom();
    const g = goal(501, 61, "away", "K. Kone", [1, 1]);
    await stub.publish(makeState(id, { status: "live", minute: 60, score: [1, 0] }));
    const a = await Client.open(stub);
    expect(await stub.publish(makeState(id, { status: "live", minute: 61, score: [1, 1], events: [g] }))).toMatchObject({ messages: 2 });
    await a.waitSeq(2);
    expect(await stub.publish(makeState(id, { status: "live", minute: 63, score: [1, 0], events: [] }))).toEqual({ seq: 4, messages: 2 });
    await a.waitSeq(4);
    expect(a.changes().slice(2)).toEqual([
      { type: "score", seq: 3, score: { home: 1, away: 0, halftime: { home: null, away: null } }, minute: 63 },
      { type: "event", seq: 4, action: "removed", event: g },
    ]);
    expect((await stub.snapshot()).state?.events).toEqual([]);
    a.close();
  });

  it("sends nothing when the same state is published twice", async () => {
    const { id, stub } = freshRoom();
    const states = script(id);
    await stub.publish(makeState(id));
    const a = await Client.open(stub);
    const r1 = await stub.publish(states[1]!);
    expect(r1.messages).toBeGreaterThan(0);
    await a.waitSeq(r1.seq);
    const framesBefore = a.frames.length;
    expect(await stub.publish(states[1]!)).toEqual({ seq: r1.seq, messages: 0 });
    // The same state rebuilt with another key order (and through a JSON round trip) is still the same.
    const reordered = JSON.parse(JSON.stringify({ events: states[1]!.events, match: states[1]!.match })) as LiveMatchState;
    expect(await stub.publish(reordered)).toEqual({ seq: r1.seq, messages: 0 });
    // A minute-only change has no message of its own; the snapshot shows it.
    const ticked = makeState(id, { status: "live", minute: 14, score: [1, 0], events: states[1]!.events });
    expect(await stub.publish(ticked)).toEqual({ seq: r1.seq, messages: 0 });
    await settle();
    expect(a.frames).toHaveLength(framesBefore);
    expect((await stub.snapshot()).state?.match.minute).toBe(14);
    expect(diffStates(states[1]!, states[1]!)).toEqual([]);
    a.close();
  });

  it("answers garbage with errors, closes a flooding socket with 1008, and keeps serving the others", async () => {
    const { id, stub } = freshRoom();
    const states = script(id);
    await stub.publish(makeState(id));
    const good = await Client.open(stub);
    const bad = await Client.open(stub);
    await bad.waitFrames(1);

    const garbage: (string | ArrayBuffer)[] = [
      "not json",
      JSON.stringify({ type: "shout" }),
      JSON.stringify({ type: "subscribe", since: -1 }),
      JSON.stringify({ type: "ping", extra: true }),
      JSON.stringify({ type: "subscribe", since: 1, pad: "x".repeat(MAX_CLIENT_FRAME_BYTES) }),
      new TextEncoder().encode('{"type":"ping"}').buffer as ArrayBuffer,
    ];
    for (const g of garbage) bad.send(g);
    await bad.waitFrames(1 + garbage.length);
    const errors = bad.frames.slice(1) as { type: string; message: string }[];
    expect(errors.map((e) => e.type)).toEqual(garbage.map(() => "error"));
    expect(errors[0]!.message).toMatch(/JSON/);
    expect(errors[4]!.message).toMatch(/too large/);
    expect(errors[5]!.message).toMatch(/binary/);
    // Valid frames still work: a ping the runtime answers, one the room answers, a subscribe.
    bad.send('{"type":"ping"}');
    bad.send('{ "type": "ping" }');
    await bad.waitFrames(9);
    expect(bad.frames.slice(7)).toEqual([{ type: "pong" }, { type: "pong" }]);
    expect(bad.closed).toBeUndefined();

    // Flood: past FLOOD_MAX_FRAMES frames in the window the socket is closed with 1008.
    for (let i = 0; i < FLOOD_MAX_FRAMES + 10; i++) bad.send('{ "type": "ping" }');
    await bad.waitFor("1008", () => bad.closed !== undefined);
    expect(bad.closed!.code).toBe(1008);
    // Everyone else is unaffected.
    const r = await stub.publish(states[0]!);
    await good.waitSeq(r.seq);
    expect(seqs(good)).toEqual(range(1, r.seq));
    expect(good.frames.filter((f) => f.type === "error")).toHaveLength(0);

    // Too many invalid frames (well under the flood limit) close the socket too, after MAX_BAD_FRAMES error replies.
    const sloppy = await Client.open(stub);
    await sloppy.waitFrames(1);
    for (let i = 0; i <= MAX_BAD_FRAMES; i++) sloppy.send("{oops");
    await sloppy.waitFor("1008", () => sloppy.closed !== undefined);
    expect(sloppy.closed!.code).toBe(1008);
    expect(sloppy.frames.filter((f) => f.type === "error")).toHaveLength(MAX_BAD_FRAMES);
    const r2 = await stub.publish(states[1]!);
    await good.waitSeq(r2.seq);
    expect(seqs(good)).toEqual(range(1, r2.seq));
    good.close();
  });

  it("closes back with 1000 when a client closes without a code", async () => {
    const { id, stub } = freshRoom();
    await stub.publish(makeState(id));
    const a = await Client.open(stub);
    await a.waitFrames(1);
    a.ws.close();
    await a.waitFor("close", () => a.closed !== undefined);
    expect([1000, 1005]).toContain(a.closed!.code);
    await sleep(20);
    expect(await runInDurableObject(stub, (_i: MatchRoom, s) => s.getWebSockets().filter((w) => w.readyState === WebSocket.OPEN).length)).toBe(0);
  });

  it("batches changes published within the window into one frame per socket", async () => {
    const { id, stub } = freshRoom();
    await stub.publish(makeState(id, { status: "live", minute: 1, score: [0, 0] }));
    const clients = await Promise.all([1, 2, 3].map(() => Client.open(stub)));
    for (const c of clients) await c.waitFrames(1);
    // Three publishes, one change each, back to back (calls through one stub arrive in order).
    const results = await Promise.all([
      stub.publish(makeState(id, { status: "live", minute: 5, score: [0, 0], events: [card(1, 5, "A")] })),
      stub.publish(makeState(id, { status: "live", minute: 6, score: [0, 0], events: [card(1, 5, "A"), card(2, 6, "B")] })),
      stub.publish(makeState(id, { status: "live", minute: 7, score: [0, 0], events: [card(1, 5, "A"), card(2, 6, "B"), card(3, 7, "C")] })),
    ]);
    expect(results).toEqual([1, 2, 3].map((seq) => ({ seq, messages: 1 })));
    for (const c of clients) await c.waitFrames(2);
    await settle();
    for (const c of clients) {
      expect(c.frames).toHaveLength(2);
      const batch = c.frames[1]!;
      expect(batch.type).toBe("batch");
      expect(batch.type === "batch" && batch.messages.map((m) => [m.seq, m.type === "event" && m.event.id])).toEqual([[1, 1], [2, 2], [3, 3]]);
    }
    // A lone change after the window goes out as itself.
    await stub.publish(makeState(id, { status: "halftime", minute: 45, score: [0, 0], events: [card(1, 5, "A"), card(2, 6, "B"), card(3, 7, "C")] }));
    for (const c of clients) await c.waitFrames(3);
    for (const c of clients) expect(c.frames[2]).toEqual({ type: "status", seq: 4, status: "halftime", minute: 45 });
    for (const c of clients) c.close();
  });

  it("keeps the last LOG_KEEP changes: an older since, or a socket behind the log, gets a snapshot", async () => {
    const { id, stub } = freshRoom();
    await stub.publish(makeState(id, { status: "live", minute: 1, score: [0, 0] }));
    const behind = await Client.open(stub);
    await behind.waitFrames(1);
    // One publish with LOG_KEEP + 100 new events: that many changes, the oldest 100 pruned.
    const many = Array.from({ length: LOG_KEEP + 100 }, (_, i) => card(i + 1, 2, `P${i}`));
    const big = makeState(id, { status: "live", minute: 2, score: [0, 0], events: many });
    expect(await stub.publish(big)).toEqual({ seq: LOG_KEEP + 100, messages: LOG_KEEP + 100 });
    // The connected socket's cursor (0) is behind the log: it gets a fresh snapshot, not a partial replay.
    await behind.waitFrames(2);
    await settle();
    expect(behind.frames).toHaveLength(2);
    expect(behind.frames[1]).toMatchObject({ type: "snapshot", seq: LOG_KEEP + 100 });
    expect(behind.snapshots()[1]!.match!.events).toHaveLength(LOG_KEEP + 100);
    // since within the log: a replay, in frames of at most REPLAY_CHUNK changes, in order.
    const r = await Client.open(stub, "?since=100");
    await r.waitSeq(LOG_KEEP + 100);
    expect(r.snapshots()).toHaveLength(0);
    expect(r.frames).toHaveLength(Math.ceil(LOG_KEEP / REPLAY_CHUNK));
    expect(seqs(r)).toEqual(range(101, LOG_KEEP + 100));
    // since older than the oldest kept change: a snapshot.
    const old = await Client.open(stub, "?since=99");
    await old.waitFrames(1);
    expect(old.frames[0]).toMatchObject({ type: "snapshot", seq: LOG_KEEP + 100 });
    for (const c of [behind, r, old]) c.close();
  });

  it("refuses states it cannot diff and sockets for another match", async () => {
    const { id, stub } = freshRoom();
    await stub.publish(makeState(id));
    // Called on the instance (not over RPC, where the test runner reports the room's own throw as unhandled).
    const dup = makeState(id, { events: [card(1, 1, "A"), card(1, 2, "B")] });
    await runInDurableObject(stub, async (room: MatchRoom) => {
      await expect(room.publish(dup)).rejects.toThrow(/appears twice/);
      await expect(room.publish(makeState(id + 1))).rejects.toThrow(/sent to the room of match/);
    });
    expect(await stub.snapshot()).toEqual({ seq: 0, state: makeState(id) });
    const res = await stub.fetch("http://room.test/live", { headers: { Upgrade: "websocket", "X-Match-Id": String(id + 1) } });
    expect(res.status).toBe(409);
  });

  it("refuses a plain request with 426 problem+json", async () => {
    const { stub } = freshRoom();
    const res = await stub.fetch("http://room.test/live");
    expect(res.status).toBe(426);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await json(res)).toMatchObject({ status: 426 });
  });
});

// ---- the Worker route -----------------------------------------------------------------------------------------

describe("GET /v1/matches/{id}/live", () => {
  let mounted = false;

  /** Through the real Worker once src/app.ts mounts liveRoutes; until then through createApp() plus the router. */
  async function live(path: string, init?: RequestInit): Promise<Response> {
    if (mounted) return api(path, init);
    const app = createApp();
    app.route("/v1/matches", liveRoutes);
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`http://api.test${path}`, init), env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }
  const upgrade = { headers: { Upgrade: "websocket" } };

  beforeAll(async () => {
    await resetAll();
    const { run } = await runIngest({ competition: "BL1", season: 2023, matchday: 12 });
    expect(run.status).toBe("succeeded");
    mounted = (await api("/v1/matches/1/live")).status === 426;
    if (!mounted) console.warn("liveRoutes is not mounted in src/app.ts yet: testing createApp() + liveRoutes");
  });

  it("connects to an existing match and sends its snapshot from Postgres", async () => {
    const list = await json(await api("/v1/matches?competition=BL1&season=2023&matchday=12"));
    const bvb = list.data.find((m: { home: { name: string } }) => m.home.name === "Borussia Dortmund");
    // The room's snapshot is the REST match with its events; the detail parts (lineups, statistics, odds …) are
    // not part of the live protocol.
    const { lineups: _l, statistics: _s, playerStats: _p, odds: _o, predictions: _r, ...data } = (await json(await api(`/v1/matches/${bvb.id}`))).data;
    const res = await live(`/v1/matches/${bvb.id}/live`, upgrade);
    expect(res.status).toBe(101);
    const c = new Client(res.webSocket!);
    await c.waitFrames(1);
    expect(c.frames[0]).toEqual({ type: "snapshot", seq: 0, match: data });
    // The room is the match's room: a publish there reaches this socket.
    const room = matchRoom(env, bvb.id);
    const state = (await room.snapshot()).state!;
    await room.publish({ ...state, match: { ...state.match, minute: 91, status: "live" } });
    await c.waitSeq(1);
    expect(c.changes()).toEqual([{ type: "status", seq: 1, status: "live", minute: 91 }]);
    // A second connection does not reseed: it sees the room's state, not Postgres'.
    const res2 = await live(`/v1/matches/${bvb.id}/live?since=0`, upgrade);
    const c2 = new Client(res2.webSocket!);
    await c2.waitFrames(1);
    expect(c2.frames[0]).toMatchObject({ type: "snapshot", seq: 1, match: { status: "live", minute: 91 } });
    // A room with state needs no Postgres: clients still connect while it is down (a cold room would be a 503).
    const res3 = await apiWithEnv({ DATABASE_URL: "postgres://postgres@127.0.0.1:9/nowhere" }, `/v1/matches/${bvb.id}/live`, upgrade);
    expect(res3.status).toBe(101);
    const c3 = new Client(res3.webSocket!);
    await c3.waitFrames(1);
    expect(c3.frames[0]).toMatchObject({ type: "snapshot", seq: 1, match: { status: "live", minute: 91 } });
    const cold = list.data.find((m: { home: { name: string } }) => m.home.name !== "Borussia Dortmund");
    const refused = await apiWithEnv({ DATABASE_URL: "postgres://postgres@127.0.0.1:9/nowhere" }, `/v1/matches/${cold.id}/live`, upgrade);
    expect(refused.status).toBe(503);
    await refused.arrayBuffer();
    c.close();
    c2.close();
    c3.close();
  });

  it("answers 404, 400 and 426 as problem+json", async () => {
    const cases: [string, RequestInit | undefined, number][] = [
      ["/v1/matches/2147483000/live", upgrade, 404],
      ["/v1/matches/abc/live", upgrade, 400],
      ["/v1/matches/0/live", upgrade, 400],
      ["/v1/matches/1/live?since=-1", upgrade, 400],
      ["/v1/matches/1/live?since=abc", upgrade, 400],
      ["/v1/matches/1/live?since=1.5", upgrade, 400],
      ["/v1/matches/1/live?foo=1", upgrade, 400],
      ["/v1/matches/1/live", undefined, 426],
    ];
    for (const [path, init, status] of cases) {
      const res = await live(path, init);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await json(res)).toMatchObject({ status });
    }
  });
});
