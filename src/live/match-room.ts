// MatchRoom: one Durable Object per match (SQLite-backed, WebSocket Hibernation API), addressed by
// `idFromName(String(matchId))` (see `matchRoom()`). It keeps the match's current `LiveMatchState` and a log of
// numbered changes in SQLite, and pushes every change once, in `seq` order, to every socket (protocol.ts, API.md).
//
// Storage (SQLite):
//   room(id = 1, match_id, state, seq, flushed_seq)  the current state; `seq` = last change stored,
//                                                     `flushed_seq` = last change sent to every socket
//   changes(seq PRIMARY KEY, message, at)            the change log, the last LOG_KEEP changes (older are pruned)
//
// Publishing (RPC `publish`): the new state is diffed against the stored one (diff.ts); the changes get consecutive
// `seq`s and are stored with the state in one transaction. The first state of an empty room is stored as the
// baseline: no change, `seq` stays 0; sockets that were waiting get it as a `snapshot`.
//
// Batching: a publish arms a BATCH_WINDOW_MS timer (setTimeout, if none is armed; later publishes in the window ride
// along, so a change waits at most one window). The flush sends, per socket, the logged changes after that socket's
// cursor as ONE frame: one change as itself, several as `{ type: "batch", messages }`. A timer rather than an alarm:
// no storage write per window, a 75 ms timer only delays hibernation by 75 ms, and the object's single alarm stays
// free (for the live poller). The timer is not durable, but the log is: `flushed_seq < seq` after a restart means a
// flush was lost, and the constructor arms a new one, so connected sockets still get those changes (once) when the
// object next wakes; a reconnecting client with `?since` gets them from the log in any case.
//
// Exactly once, in order, per socket: a socket's cursor is max(attachment.lastSeq, flushed_seq). `lastSeq` is the
// seq it was brought up to by its snapshot or replay (on connect or `subscribe`); every flush sends each socket the
// log after its cursor and then sets `flushed_seq`. A socket that joins while changes wait for the flush already has
// them in its snapshot/replay, so the flush skips them for it.
//
// Connecting: `fetch` with `Upgrade: websocket`. The match id comes in the `X-Match-Id` header (set by the Worker
// route, src/api/live.ts); `?since=N` is read from the URL. With N ≥ 1 and within the log (oldest kept − 1 ≤ N ≤ seq)
// the socket gets every change after N (one frame, or batches of REPLAY_CHUNK) and no snapshot — nothing at all
// when N = seq; otherwise (no since, since = 0, pruned, or ahead of the room) a `snapshot` at the current seq.
// A room with no state sends `{ type: "snapshot", seq: 0, match: null }` (protocol.ts).
//
// Client frames: `{"type":"ping"}` exactly is answered by the runtime (auto-response, the object stays asleep).
// Anything else is checked (size, JSON, `clientFrame`); bad frames get an `error` reply; more than MAX_BAD_FRAMES bad
// frames, or more than FLOOD_MAX_FRAMES frames within FLOOD_WINDOW_MS, close that socket with 1008.
import { DurableObject } from "cloudflare:workers";
import { problemJson } from "../lib/problem";
import { deepEqual, diffStates } from "./diff";
import { clientFrame, MAX_CLIENT_FRAME_BYTES, type ChangeMessage, type LiveMatchState, type ServerMessage } from "./protocol";

/** Changes published within this window go out as one frame per socket. */
export const BATCH_WINDOW_MS = 75;
/** Changes kept in the log for `since` replays; an older `since` gets a snapshot. */
export const LOG_KEEP = 2_000;
/** Most changes in one replayed `batch` frame (a long replay is several frames, in order). */
export const REPLAY_CHUNK = 500;
export const MAX_BAD_FRAMES = 20;
export const FLOOD_MAX_FRAMES = 60;
export const FLOOD_WINDOW_MS = 10_000;
/** Header carrying the match id from the Worker to the room. */
export const MATCH_ID_HEADER = "X-Match-Id";
/** Tag of the sockets that receive the live feed. */
const LIVE_TAG = "live";
const PING = '{"type":"ping"}';
const PONG = '{"type":"pong"}';

/** Per-connection state, kept in the socket's attachment (survives hibernation; must stay well under 2 KB). */
export interface Attachment {
  connectedAt: number;
  /** The seq this socket was brought up to by its last snapshot or replay. */
  lastSeq: number;
  badFrames: number;
  /** Flood control: frames received since `windowStart` (ms). */
  windowStart: number;
  windowFrames: number;
}

interface Room {
  matchId: number | null;
  state: LiveMatchState | null;
  seq: number;
  flushedSeq: number;
}

/** The room of a match. The binding is untyped in worker-configuration.d.ts, hence the cast. */
export function matchRoom(env: Env, matchId: number): DurableObjectStub<MatchRoom> {
  const ns = env.MATCH_ROOM as unknown as DurableObjectNamespace<MatchRoom>;
  return ns.get(ns.idFromName(String(matchId)));
}

export class MatchRoom extends DurableObject<Env> {
  private room!: Room;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** JSON of the current snapshot, built once per state. */
  private snapshotFrame: string | undefined;
  /** Attachments already read in this incarnation (the WebSocket objects are stable while the object is awake). */
  private attachments = new WeakMap<WebSocket, Attachment>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Pings are answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    void ctx.blockConcurrencyWhile(async () => {
      const sql = ctx.storage.sql;
      sql.exec(`CREATE TABLE IF NOT EXISTS room (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        match_id INTEGER,
        state TEXT,
        seq INTEGER NOT NULL DEFAULT 0,
        flushed_seq INTEGER NOT NULL DEFAULT 0
      )`);
      sql.exec(`CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY, message TEXT NOT NULL, at INTEGER NOT NULL)`);
      sql.exec(`INSERT OR IGNORE INTO room (id) VALUES (1)`);
      const row = sql
        .exec<{ match_id: number | null; state: string | null; seq: number; flushed_seq: number }>(
          `SELECT match_id, state, seq, flushed_seq FROM room WHERE id = 1`,
        )
        .one();
      this.room = {
        matchId: row.match_id,
        state: row.state ? (JSON.parse(row.state) as LiveMatchState) : null,
        seq: row.seq,
        flushedSeq: row.flushed_seq,
      };
      // A flush was lost (evicted between publish and flush): send those changes on this wake.
      if (this.room.flushedSeq < this.room.seq) this.scheduleFlush();
    });
  }

  // ---- RPC ----------------------------------------------------------------------------------------------------

  /**
   * Stores `state` and broadcasts what changed since the stored one. Returns the room's seq after the publish and the
   * number of change messages it produced (0 for an unchanged state, and for the first state of an empty room).
   */
  async publish(state: LiveMatchState): Promise<{ seq: number; messages: number }> {
    this.checkState(state);
    const prev = this.room.state;
    if (!prev) {
      this.storeFirstState(state);
      return { seq: this.room.seq, messages: 0 };
    }
    if (deepEqual(prev, state)) return { seq: this.room.seq, messages: 0 };
    const bodies = diffStates(prev, state);
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    let seq = this.room.seq;
    this.ctx.storage.transactionSync(() => {
      for (const body of bodies) {
        seq += 1;
        // Keys in protocol order: type, seq, then the body.
        const message: ChangeMessage = Object.assign({ type: body.type, seq }, body) as ChangeMessage;
        sql.exec(`INSERT INTO changes (seq, message, at) VALUES (?, ?, ?)`, seq, JSON.stringify(message), now);
      }
      sql.exec(`UPDATE room SET state = ?, seq = ?, match_id = ? WHERE id = 1`, JSON.stringify(state), seq, state.match.id);
      if (bodies.length) sql.exec(`DELETE FROM changes WHERE seq <= ?`, seq - LOG_KEEP);
    });
    this.room = { ...this.room, state, seq, matchId: state.match.id };
    this.snapshotFrame = undefined;
    if (bodies.length) this.scheduleFlush();
    return { seq, messages: bodies.length };
  }

  /**
   * Stores `state` only if the room has none yet (the Worker route seeds a room from Postgres before a client
   * connects); never overwrites what the live job published. Returns whether it stored it.
   */
  async seed(state: LiveMatchState): Promise<{ seq: number; seeded: boolean }> {
    this.checkState(state);
    if (this.room.state) return { seq: this.room.seq, seeded: false };
    this.storeFirstState(state);
    return { seq: this.room.seq, seeded: true };
  }

  /** Whether the room holds a match state (seeded or published): the live route skips Postgres when it does. */
  async hasState(): Promise<boolean> {
    return this.room.state != null;
  }

  /** The current state and the seq it includes (null before the first publish). */
  async snapshot(): Promise<{ seq: number; state: LiveMatchState | null }> {
    return { seq: this.room.seq, state: this.room.state };
  }

  // ---- HTTP: WebSocket upgrades ---------------------------------------------------------------------------------

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return problemJson(426, "This endpoint speaks WebSocket: send Upgrade: websocket.", { title: "Upgrade required" }, { Upgrade: "websocket" });
    }
    const sinceRaw = new URL(request.url).searchParams.get("since");
    if (sinceRaw !== null && !/^\d{1,15}$/.test(sinceRaw)) return problemJson(400, "since must be a non-negative integer.");
    const matchId = request.headers.get(MATCH_ID_HEADER);
    if (matchId !== null) {
      if (!/^\d{1,10}$/.test(matchId)) return problemJson(400, `${MATCH_ID_HEADER} must be a match id.`);
      if (this.room.matchId !== null && this.room.matchId !== Number(matchId)) {
        return problemJson(409, `This room belongs to match ${this.room.matchId}, not ${matchId}.`);
      }
    }

    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [LIVE_TAG]);
    const now = Date.now();
    this.saveAttachment(server, { connectedAt: now, lastSeq: 0, badFrames: 0, windowStart: now, windowFrames: 0 });
    this.sync(server, sinceRaw === null ? undefined : Number(sinceRaw));
    return new Response(null, { status: 101, webSocket: client });
  }

  // ---- WebSocket events (hibernation API) -----------------------------------------------------------------------

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (ws.readyState !== WebSocket.OPEN) return;
    const att = this.attachment(ws);
    const now = Date.now();
    if (now - att.windowStart >= FLOOD_WINDOW_MS) {
      att.windowStart = now;
      att.windowFrames = 0;
    }
    att.windowFrames += 1;
    if (att.windowFrames > FLOOD_MAX_FRAMES) {
      this.saveAttachment(ws, att);
      return this.closeForPolicy(ws, `more than ${FLOOD_MAX_FRAMES} frames in ${FLOOD_WINDOW_MS / 1000} s`);
    }

    const parsed = parseFrame(message);
    if (!parsed.ok) {
      att.badFrames += 1;
      this.saveAttachment(ws, att);
      if (att.badFrames > MAX_BAD_FRAMES) return this.closeForPolicy(ws, `more than ${MAX_BAD_FRAMES} invalid frames`);
      return send(ws, { type: "error", message: parsed.error });
    }
    this.saveAttachment(ws, att);
    if (parsed.frame.type === "ping") return send(ws, { type: "pong" });
    // subscribe: (re)sync this socket, replaying after `since` when the log allows, else a snapshot.
    this.sync(ws, parsed.frame.since);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // A client's bare close() arrives as 1005, which (like 1006 and 1015) may not be sent back.
    const sendable = code === 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    try {
      ws.close(sendable ? code : 1000, sendable ? reason : "bye");
    } catch {
      // Already closed (the runtime may have answered the close itself).
    }
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    const att = this.attachments.get(ws);
    console.error(JSON.stringify({ msg: "live socket error", matchId: this.room.matchId, connectedAt: att?.connectedAt, error: String(error) }));
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private checkState(state: LiveMatchState): void {
    if (!state || typeof state !== "object" || !state.match || !Number.isInteger(state.match.id) || !Array.isArray(state.events)) {
      throw new TypeError("publish: not a LiveMatchState ({ match, events[] })");
    }
    if (this.room.matchId !== null && state.match.id !== this.room.matchId) {
      throw new RangeError(`publish: state of match ${state.match.id} sent to the room of match ${this.room.matchId}`);
    }
    const ids = new Set<number>();
    for (const e of state.events) {
      if (!Number.isInteger(e?.id)) throw new TypeError("publish: every event needs an integer id");
      if (ids.has(e.id)) throw new RangeError(`publish: event id ${e.id} appears twice`);
      ids.add(e.id);
    }
  }

  /** The baseline state of an empty room: no change (seq stays), sockets that got an empty snapshot get this one. */
  private storeFirstState(state: LiveMatchState): void {
    this.ctx.storage.sql.exec(`UPDATE room SET state = ?, match_id = ? WHERE id = 1`, JSON.stringify(state), state.match.id);
    this.room = { ...this.room, state, matchId: state.match.id };
    this.snapshotFrame = undefined;
    for (const ws of this.ctx.getWebSockets(LIVE_TAG)) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      try {
        ws.send(this.snapshotJson());
        this.saveAttachment(ws, { ...this.attachment(ws), lastSeq: this.room.seq });
      } catch (err) {
        console.warn(JSON.stringify({ msg: "live send failed", error: String(err) }));
      }
    }
  }

  /** Brings one socket up to date: a replay after `since` when the log has it, else a snapshot. */
  private sync(ws: WebSocket, since: number | undefined): void {
    const { seq, state } = this.room;
    if (state && since !== undefined && since >= 1 && since <= seq && since >= this.oldestKept() - 1) {
      for (const frame of this.changeFrames(since)) ws.send(frame);
    } else {
      ws.send(this.snapshotJson());
    }
    this.saveAttachment(ws, { ...this.attachment(ws), lastSeq: seq });
  }

  private snapshotJson(): string {
    const { seq, state } = this.room;
    const msg: ServerMessage = state ? { type: "snapshot", seq, match: { ...state.match, events: state.events } } : { type: "snapshot", seq, match: null };
    return (this.snapshotFrame ??= JSON.stringify(msg));
  }

  private oldestKept(): number {
    const row = this.ctx.storage.sql.exec<{ s: number | null }>(`SELECT MIN(seq) AS s FROM changes`).one();
    return row.s ?? this.room.seq + 1;
  }

  /** The logged changes after `after`, as frames: one change as itself, several as `batch` frames. */
  private changeFrames(after: number): string[] {
    const messages = this.ctx.storage.sql
      .exec<{ message: string }>(`SELECT message FROM changes WHERE seq > ? ORDER BY seq`, after)
      .toArray()
      .map((r) => r.message);
    const frames: string[] = [];
    for (let i = 0; i < messages.length; i += REPLAY_CHUNK) {
      const chunk = messages.slice(i, i + REPLAY_CHUNK);
      frames.push(chunk.length === 1 ? chunk[0]! : `{"type":"batch","messages":[${chunk.join(",")}]}`);
    }
    return frames;
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      try {
        this.flush();
      } catch (err) {
        console.error(JSON.stringify({ msg: "live flush failed", matchId: this.room.matchId, error: String(err) }));
      }
    }, BATCH_WINDOW_MS);
  }

  /** Sends every socket the changes after its cursor (one frame per socket, normally), then records the flush. */
  private flush(): void {
    const { seq, flushedSeq } = this.room;
    if (seq <= flushedSeq) return;
    const oldest = this.oldestKept();
    const framesAfter = new Map<number, string[]>();
    let sent = 0;
    for (const ws of this.ctx.getWebSockets(LIVE_TAG)) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      try {
        const att = this.attachment(ws);
        const cursor = Math.max(att.lastSeq, flushedSeq);
        if (cursor >= seq) continue;
        if (cursor < oldest - 1) {
          // Behind the log (possible only after a long outage): start over from a snapshot.
          ws.send(this.snapshotJson());
          this.saveAttachment(ws, { ...att, lastSeq: seq });
          continue;
        }
        let frames = framesAfter.get(cursor);
        if (!frames) framesAfter.set(cursor, (frames = this.changeFrames(cursor)));
        for (const frame of frames) ws.send(frame);
        sent += 1;
      } catch (err) {
        console.warn(JSON.stringify({ msg: "live send failed", matchId: this.room.matchId, error: String(err) }));
      }
    }
    this.ctx.storage.sql.exec(`UPDATE room SET flushed_seq = ? WHERE id = 1`, seq);
    this.room = { ...this.room, flushedSeq: seq };
    console.log(JSON.stringify({ msg: "live flush", matchId: this.room.matchId, seq, changes: seq - flushedSeq, sockets: sent }));
  }

  private attachment(ws: WebSocket): Attachment {
    let att = this.attachments.get(ws);
    if (!att) {
      const stored = ws.deserializeAttachment() as Attachment | null;
      const now = Date.now();
      att = stored ?? { connectedAt: now, lastSeq: 0, badFrames: 0, windowStart: now, windowFrames: 0 };
      this.attachments.set(ws, att);
    }
    return att;
  }

  private saveAttachment(ws: WebSocket, att: Attachment): void {
    ws.serializeAttachment(att);
    this.attachments.set(ws, att);
  }

  private closeForPolicy(ws: WebSocket, why: string): void {
    console.warn(JSON.stringify({ msg: "live socket closed", matchId: this.room.matchId, code: 1008, why }));
    try {
      ws.close(1008, why);
    } catch {
      // Already closing.
    }
  }
}

type Parsed = { ok: true; frame: ReturnType<typeof clientFrame.parse> } | { ok: false; error: string };

const encoder = new TextEncoder();

function parseFrame(message: string | ArrayBuffer): Parsed {
  if (typeof message !== "string") return { ok: false, error: "binary frames are not accepted; send JSON text" };
  const bytes = message.length * 3 <= MAX_CLIENT_FRAME_BYTES ? message.length : encoder.encode(message).byteLength;
  if (bytes > MAX_CLIENT_FRAME_BYTES) return { ok: false, error: `frame too large (${bytes} bytes; at most ${MAX_CLIENT_FRAME_BYTES})` };
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { ok: false, error: "frame is not valid JSON" };
  }
  const result = clientFrame.safeParse(json);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join(".") || "frame"}: ${i.message}`).join("; ");
    return { ok: false, error: `frame does not match the protocol (${detail.slice(0, 200)})` };
  }
  return { ok: true, frame: result.data };
}

function send(ws: WebSocket, msg: ServerMessage): void {
  ws.send(JSON.stringify(msg));
}
