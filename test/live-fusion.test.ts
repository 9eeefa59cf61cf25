// Several providers on one live match (the replay's simulated 1. FC Köln – FC Bayern München, served in
// OpenLigaDB's and API-Football's real live shapes), through the real live job, store, fusion and MatchRoom:
// - a provider switch mid-match (OpenLigaDB's goal, then API-Football reporting the same goal) and a corrected
//   scorer reach the room as `changed`, never as `removed` (which clients show as a VAR cancellation);
// - the top-ranked provider stalls (API-Football stops answering, e.g. its daily quota is gone): once it has missed
//   two poll intervals, the other provider's next goal is stored and reaches the room, score and event, on the
//   very next poll.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { MATCH_ID_HEADER, matchRoom } from "../src/live/match-room";
import type { ChangeMessage, ServerMessage } from "../src/live/protocol";
import { override, replay, resetAll, runIngest, withDb } from "./helpers";

const POLL_SECONDS = "5";
const LIVE = { LIVE_POLL_INTERVAL_SECONDS: POLL_SECONDS };
const OLDB_LIVE = { job: "update_live_matches", provider: "openligadb", competition: "BL1", season: 2023 } as const;
const AF_LIVE = { job: "update_live_matches", provider: "api_football", competition: "BL1", season: 2023 } as const;
const AF_LIVE_PATH = "/api-football/fixtures?live=78";
const WITH_KEY = { API_FOOTBALL_KEY: "test-key", ...LIVE };

const sim = {
  start: () => replay("POST", "/__replay/live/start", { speed: 0, startMinute: 0 }),
  to: (minute: number) => replay("POST", "/__replay/live/step", { to: minute }),
};

/** Every change message a room's socket receives (batches flattened). */
async function listen(matchId: number) {
  const res = await matchRoom(env, matchId).fetch(new Request("http://room/", { headers: { Upgrade: "websocket", [MATCH_ID_HEADER]: String(matchId) } }));
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const changes: ChangeMessage[] = [];
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(String(e.data)) as ServerMessage;
    if (msg.type === "batch") changes.push(...msg.messages);
    else if (msg.type === "score" || msg.type === "status" || msg.type === "event") changes.push(msg);
  });
  /** Waits for at least `n` changes after `from` (and a short grace period), returns them. */
  const next = async (from: number, n: number) => {
    const until = Date.now() + 5_000;
    while (changes.length - from < n) {
      if (Date.now() > until) throw new Error(`expected ${n} changes, got ${JSON.stringify(changes.slice(from))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 250));
    return changes.slice(from);
  };
  return { ws, changes, next };
}

const events = (c: ChangeMessage[]) => c.filter((x): x is Extract<ChangeMessage, { type: "event" }> => x.type === "event");

describe("one live match from two providers", () => {
  let matchId: number;
  let room: Awaited<ReturnType<typeof listen>>;
  let kaneId: number;

  beforeAll(async () => {
    await resetAll();
    await sim.start();
    expect((await runIngest(OLDB_LIVE, 1, LIVE)).run.status).toBe("succeeded");
    matchId = await withDb(async (db) =>
      Number((await db.execute<{ id: number }>(sql`select canonical_id as id from external_refs where kind = 'match' and provider = 'openligadb' and external_id = '66734'`)).rows[0]!.id),
    );
    room = await listen(matchId);
  });

  it("a provider switch mid-match: OpenLigaDB's goal, then API-Football's report of it, is one event, changed", async () => {
    await sim.to(20);
    let from = room.changes.length;
    await runIngest(OLDB_LIVE, 1, LIVE);
    const goal = events(await room.next(from, 2)).find((c) => c.action === "added" && c.event.type === "goal")!;
    expect(goal.event).toMatchObject({ minute: 19, player: { name: "H. Kane" } });
    kaneId = goal.event.id;

    from = room.changes.length;
    expect((await runIngest(AF_LIVE, 1, WITH_KEY)).run.status).toBe("succeeded");
    const switched = await room.next(from, 1);
    expect(events(switched).filter((c) => c.action === "removed")).toEqual([]);
    // API-Football adds what OpenLigaDB cannot see (the yellow card); Kane's goal keeps its id.
    expect(events(switched).some((c) => c.action === "added" && c.event.type === "yellow_card")).toBe(true);
    const state = (await matchRoom(env, matchId).snapshot()).state!;
    expect(state.events.filter((e) => e.type === "goal").map((e) => e.id)).toEqual([kaneId]);
    const sources = await withDb(async (db) => (await db.execute<{ sources: string[] }>(sql`select sources from match_events where id = ${kaneId}`)).rows[0]!.sources);
    expect(sources.map((s) => s.split(":")[0]).sort()).toEqual(["api_football", "openligadb"]);
  });

  it("a corrected scorer is the same event, changed — never removed + added", async () => {
    const live = (await (await fetch(env.TEST_REPLAY_URL + AF_LIVE_PATH)).json()) as any;
    const goal = live.response[0].events.find((e: any) => e.type === "Goal");
    goal.player = { id: 181812, name: "J. Musiala" };
    await override(AF_LIVE_PATH, live);
    const from = room.changes.length;
    await runIngest(AF_LIVE, 1, WITH_KEY);
    const corrected = events(await room.next(from, 1));
    expect(corrected.map((c) => c.action)).toEqual(["changed"]);
    expect(corrected[0]!.event).toMatchObject({ id: kaneId, type: "goal", minute: 19, player: { name: "J. Musiala" } });
    await replay("DELETE", `/__replay/override?path=${encodeURIComponent(AF_LIVE_PATH)}`);
    const back = room.changes.length;
    await runIngest(AF_LIVE, 1, WITH_KEY);
    expect(events(await room.next(back, 1))).toMatchObject([{ action: "changed", event: { id: kaneId, player: { name: "H. Kane" } } }]);
  });

  it("API-Football stalls: after two poll intervals without it, OpenLigaDB's next goal reaches the room on the next poll", async () => {
    // API-Football is asked no more (its quota is spent); two 5-second poll intervals pass.
    await new Promise((r) => setTimeout(r, 2 * Number(POLL_SECONDS) * 1000 + 600));
    await sim.to(29); // Selke 28', 1:1
    const from = room.changes.length;
    expect((await runIngest(OLDB_LIVE, 1, LIVE)).run.status).toBe("succeeded");
    const arrived = await room.next(from, 2);
    expect(arrived).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "score", score: expect.objectContaining({ home: 1, away: 1 }) }),
        expect.objectContaining({ type: "event", action: "added", event: expect.objectContaining({ type: "goal", minute: 28, player: expect.objectContaining({ name: "D. Selke" }) }) }),
      ]),
    );
    expect(events(arrived).filter((c) => c.action === "removed")).toEqual([]);
    const stored = await withDb(async (db) => (await db.execute<{ p: string; h: number; a: number }>(sql`select source_provider as p, home_score as h, away_score as a from matches where id = ${matchId}`)).rows[0]!);
    expect(stored).toEqual({ p: "openligadb", h: 1, a: 1 });
    room.ws.close(1000);
    await replay("POST", "/__replay/live/stop");
  });
});
