// The live pipeline end to end inside workerd: the replay server's live simulation (dev/replay-live.mjs) plays
// 1. FC Köln – FC Bayern München minute by minute; the live job (the real queue handler) and the LivePoller's alarm
// fetch it, store it, and publish to the match's MatchRoom, whose WebSocket must receive the score, event and status
// changes — the VAR-cancelled goal as a removal — while the poller reschedules itself while the match is in play and
// stops once it is finished.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { publishMatchChanges } from "../src/live/publish";
import { livePoller, POLLER_TRIGGER } from "../src/ingest/live-poller";
import { MATCH_ID_HEADER, matchRoom } from "../src/live/match-room";
import type { ChangeMessage, ServerMessage } from "../src/live/protocol";
import { countRows, replay, resetAll, runIngest, withDb } from "./helpers";

const OLDB_LIVE = { job: "update_live_matches", provider: "openligadb", competition: "BL1", season: 2023 } as const;
const AF_LIVE = { job: "update_live_matches", provider: "api_football", competition: "BL1", season: 2023 } as const;
const WITH_KEY = { API_FOOTBALL_KEY: "test-key" };

type SimState = { phase: string; score: { home: number; away: number }; changes: { kind: string; at: number }[] };
const sim = {
  start: (body: Record<string, unknown> = {}) => replay("POST", "/__replay/live/start", { speed: 0, ...body }) as Promise<SimState>,
  to: (minute: number) => replay("POST", "/__replay/live/step", { to: minute }) as Promise<SimState>,
  state: () => replay("GET", "/__replay/live/state") as Promise<SimState>,
};

/** A WebSocket client of a room: every change message (batches flattened), in arrival order. */
class Client {
  snapshots: Extract<ServerMessage, { type: "snapshot" }>[] = [];
  changes: ChangeMessage[] = [];
  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (e) => {
      const msg = JSON.parse(String(e.data)) as ServerMessage;
      if (msg.type === "snapshot") this.snapshots.push(msg);
      else if (msg.type === "batch") this.changes.push(...msg.messages);
      else if (msg.type === "score" || msg.type === "status" || msg.type === "event") this.changes.push(msg);
    });
  }
  /** Waits until `n` change messages arrived after `from`, then returns those since `from`. */
  async next(from: number, n: number, timeoutMs = 5_000): Promise<ChangeMessage[]> {
    const until = Date.now() + timeoutMs;
    while (this.changes.length - from < n) {
      if (Date.now() > until) throw new Error(`expected ${n} changes, got ${JSON.stringify(this.changes.slice(from))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // A short grace period: nothing more should follow from the same publish.
    await new Promise((r) => setTimeout(r, 200));
    return this.changes.slice(from);
  }
  async firstSnapshot(timeoutMs = 5_000) {
    const until = Date.now() + timeoutMs;
    while (!this.snapshots.length) {
      if (Date.now() > until) throw new Error("no snapshot");
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.snapshots[0]!;
  }
}

async function connect(matchId: number): Promise<Client> {
  const res = await matchRoom(env, matchId).fetch(
    new Request("http://room/", { headers: { Upgrade: "websocket", [MATCH_ID_HEADER]: String(matchId) } }),
  );
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  return new Client(ws);
}

async function simulatedMatchId(): Promise<number> {
  return withDb(async (db) => {
    const r = await db.execute<{ id: number }>(sql`select canonical_id as id from external_refs where kind = 'match' and provider = 'openligadb' and external_id = '66734'`);
    return Number(r.rows[0]!.id);
  });
}

async function pollerRuns() {
  return withDb(async (db) => (await db.execute<Record<string, any>>(sql`select * from job_runs where trigger = ${POLLER_TRIGGER} order by id`)).rows);
}

const types = (changes: ChangeMessage[]) => changes.map((c) => (c.type === "event" ? `event:${c.action}:${c.event.type}` : c.type));
const poller = () => livePoller(env);

describe("live pipeline: replay simulation → live job / poller → store → MatchRoom → WebSocket", () => {
  let matchId: number;
  let client: Client;

  beforeAll(async () => {
    await resetAll();
    await sim.start({ startMinute: 0 });
  });

  it("the live job stores the match in play and gives its room the first state", async () => {
    const { run } = await runIngest(OLDB_LIVE);
    expect(run).toMatchObject({ status: "succeeded" });
    matchId = await simulatedMatchId();
    const { seq, state } = await matchRoom(env, matchId).snapshot();
    expect(seq).toBe(0);
    expect(state!.match).toMatchObject({ id: matchId, status: "live", score: { home: 0, away: 0 }, home: { name: "1. FC Köln" }, away: { name: "FC Bayern München" } });
    // The recorded matchday's other matches were stored too, but only changed matches are published.
    client = await connect(matchId);
    expect((await client.firstSnapshot()).match).toMatchObject({ id: matchId, status: "live", events: [] });
  });

  it("a goal arrives as a score change and an added event, with the next seq", async () => {
    await sim.to(19);
    expect((await runIngest(OLDB_LIVE)).run.status).toBe("succeeded");
    const changes = await client.next(0, 2);
    expect(types(changes)).toEqual(["score", "event:added:goal"]);
    expect(changes[0]).toMatchObject({ type: "score", seq: 1, score: { home: 0, away: 1 } });
    expect(changes[1]).toMatchObject({ seq: 2, event: { minute: 19, player: { name: "H. Kane" }, score: { home: 0, away: 1 } } });
  });

  it("publishing the same state again sends nothing", async () => {
    // The provider did not change: the live job fetches nothing new and publishes nothing.
    expect((await runIngest(OLDB_LIVE)).run.status).toBe("succeeded");
    // Publishing the stored state by hand: the room diffs it against its own and stays at the same seq.
    const published = await withDb((db) => publishMatchChanges(env, db, [{ matchId, competition: "BL1", season: 2023 }]));
    expect(published).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(client.changes).toHaveLength(2);
    expect((await matchRoom(env, matchId).snapshot()).seq).toBe(2);
  });

  it("two goals in one poll, then the VAR cancellation arrives as a removal and the score goes back", async () => {
    await sim.to(34);
    await runIngest(OLDB_LIVE);
    const goals = await client.next(2, 3);
    expect(types(goals)).toEqual(["score", "event:added:goal", "event:added:goal"]);
    expect(goals[0]).toMatchObject({ seq: 3, score: { home: 1, away: 2 } });
    const sane = goals.find((c) => c.type === "event" && c.event.player?.name === "L. Sané") as Extract<ChangeMessage, { type: "event" }>;
    expect(sane.event).toMatchObject({ minute: 34, type: "goal" });

    await sim.to(37);
    await runIngest(OLDB_LIVE);
    const cancelled = await client.next(5, 2);
    expect(cancelled).toMatchObject([
      { type: "score", seq: 6, score: { home: 1, away: 1 } },
      { type: "event", seq: 7, action: "removed", event: { id: sane.event.id, type: "goal" } },
    ]);
  });

  it("the poller polls on its alarm, publishes, and reschedules while the match is in play", async () => {
    const first = await poller().start();
    expect(first.started).toBe(true);
    // Idempotent: a second start (the next cron) keeps the pending alarm.
    expect(await poller().start()).toEqual({ started: false, nextPollAt: first.nextPollAt });

    await sim.to(50); // half-time: OpenLigaDB now has the half-time result
    const before = Date.now();
    expect(await runDurableObjectAlarm(poller())).toBe(true);
    const ht = await client.next(7, 1);
    expect(ht).toMatchObject([{ type: "score", seq: 8, score: { home: 1, away: 1, halftime: { home: 1, away: 1 } } }]);

    const status = await poller().status();
    expect(status.running).toBe(true);
    expect(status.lastPoll!.inPlay).toContain(matchId);
    expect(status.lastPoll!.providers.openligadb).toMatchObject({ status: "succeeded", published: 1 });
    const next = Date.parse(status.nextPollAt!);
    expect(next - before).toBeGreaterThanOrEqual(29_000);
    expect(next - before).toBeLessThanOrEqual(31_000 + (Date.now() - before));
    const runs = await pollerRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: "update_live_matches", trigger: "poller", status: "succeeded", season: 2023 });
    expect(runs[0]!.counts).toMatchObject({ published: 1, nextPollSeconds: 30, providers: { openligadb: { status: "succeeded" } } });
  });

  it("at full time the room gets the final status and the poller stops", async () => {
    await sim.to(110);
    expect(await runDurableObjectAlarm(poller())).toBe(true);
    const end = await client.next(8, 4);
    // Status first, then the score, then the two second-half goals (Kane's is a penalty).
    expect(types(end)).toEqual(["status", "score", "event:added:goal", "event:added:penalty_goal"]);
    expect(end[0]).toMatchObject({ type: "status", seq: 9, status: "finished" });
    expect(end[1]).toMatchObject({ type: "score", seq: 10, score: { home: 1, away: 3 } });
    expect(end.map((c) => c.seq)).toEqual([9, 10, 11, 12]);

    const status = await poller().status();
    expect(status).toMatchObject({ running: false, nextPollAt: null, stopReason: "no tracked match in play" });
    expect(status.lastPoll!.inPlay).toEqual([]);
    expect(status.stoppedAt).not.toBeNull();
    const runs = await pollerRuns();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.counts).toMatchObject({ stopped: true, inPlay: 0 });
    // No alarm left: nothing runs.
    expect(await runDurableObjectAlarm(poller())).toBe(false);

    // The room keeps serving its final snapshot.
    const late = await connect(matchId);
    expect((await late.firstSnapshot())).toMatchObject({ seq: 12, match: { status: "finished", score: { home: 1, away: 3 } } });
    late.ws.close(1000);
  });

  it("API-Football's live shape: cards, half-time and the VAR cancellation (a Var event, the goal removed)", async () => {
    // The simulation restarts the match: OpenLigaDB stores it live at 0:0 again (and moves its kick-off).
    await sim.start({ startMinute: 0 });
    const from = client.changes.length;
    await runIngest(OLDB_LIVE);
    await client.next(from, 1);
    const mark = client.changes.length;

    await sim.to(36);
    const { run } = await runIngest(AF_LIVE, 1, WITH_KEY);
    expect(run).toMatchObject({ status: "succeeded" });
    // The fixture is the same canonical match (linked through the teams), not a new one.
    const refs = await withDb(async (db) =>
      (await db.execute<{ provider: string }>(sql`select provider from external_refs where kind = 'match' and canonical_id = ${matchId} order by provider`)).rows.map((r) => r.provider),
    );
    expect(refs.sort()).toEqual(["api_football", "openligadb"]);
    expect(await countRows("matches")).toBe(9);
    expect(await countRows("teams")).toBe(18);
    const afState = (await matchRoom(env, matchId).snapshot()).state!;
    expect(afState.match).toMatchObject({ status: "live", minute: 36, score: { home: 1, away: 2 } });
    expect(afState.events.map((e) => `${e.type}@${e.minute}`)).toEqual(["yellow_card@8", "goal@19", "goal@28", "goal@34"]);
    const added = await client.next(mark, 1);
    expect(added.some((c) => c.type === "event" && c.action === "added" && c.event.type === "yellow_card")).toBe(true);

    const mark2 = client.changes.length;
    const saneGoal = afState.events.find((e) => e.minute === 34)!;
    await sim.to(37);
    await runIngest(AF_LIVE, 1, WITH_KEY);
    const varChanges = await client.next(mark2, 3);
    expect(varChanges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "score", score: expect.objectContaining({ home: 1, away: 1 }) }),
        expect.objectContaining({ type: "event", action: "removed", event: expect.objectContaining({ id: saneGoal.id, type: "goal" }) }),
        expect.objectContaining({ type: "event", action: "added", event: expect.objectContaining({ type: "var", detail: "Goal cancelled" }) }),
      ]),
    );

    const mark3 = client.changes.length;
    await sim.to(50);
    await runIngest(AF_LIVE, 1, WITH_KEY);
    const ht = await client.next(mark3, 1);
    expect(ht).toEqual(expect.arrayContaining([expect.objectContaining({ type: "status", status: "halftime" })]));

    const mark4 = client.changes.length;
    await sim.to(110);
    await runIngest(AF_LIVE, 1, WITH_KEY);
    const ft = await client.next(mark4, 1);
    expect(ft[0]).toMatchObject({ type: "status", status: "finished" });
    const final = (await matchRoom(env, matchId).snapshot()).state!;
    expect(final.match).toMatchObject({ status: "finished", score: { home: 1, away: 3 } });
    expect(final.events.filter((e) => e.type === "yellow_card")).toHaveLength(3);
    // Every change reached the socket once, in seq order.
    const seqs = client.changes.map((c) => c.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    client.ws.close(1000);
  });

  it("the 5-minute live cron is the safety net: it starts the stopped poller again", async () => {
    expect((await poller().status()).running).toBe(false);
    const worker = (exports as unknown as { default: { scheduled(o: { cron: string }): Promise<{ outcome: string }> } }).default;
    expect((await worker.scheduled({ cron: "*/5 * * * *" })).outcome).toBe("ok");
    const status = await poller().status();
    expect(status.running).toBe(true);
    expect(Date.parse(status.nextPollAt!) - Date.now()).toBeGreaterThan(25_000);
    // Its first poll finds nothing in play (the match is finished) and stops again.
    expect(await runDurableObjectAlarm(poller())).toBe(true);
    expect(await poller().status()).toMatchObject({ running: false, stopReason: "no tracked match in play" });
  });
});
