// The live protocol (API.md "Live"): what a MatchRoom sends and accepts, validated with zod both ways.
// Server → client: a `snapshot` first, then `score`, `status` and `event` changes with consecutive `seq`
// (several changes within the batching window travel in one `batch` frame). Client → server: `ping` and
// `subscribe` (optionally `since`, to replay what it missed).
import { z } from "zod";
import type { toEvent, toMatch } from "../domain/wire";

/** The room's view of a match: the public Match shape plus its events (API.md). */
export type LiveMatch = ReturnType<typeof toMatch>;
export type LiveEvent = ReturnType<typeof toEvent>;
export interface LiveMatchState {
  match: LiveMatch;
  events: LiveEvent[];
}

export type ChangeMessage =
  | { type: "score"; seq: number; score: LiveMatch["score"]; minute: number | null }
  | { type: "status"; seq: number; status: LiveMatch["status"]; minute: number | null }
  | { type: "event"; seq: number; action: "added" | "changed" | "removed"; event: LiveEvent };

/** A change without its `seq` (the room numbers changes when it stores them). Distributes over the union. */
export type ChangeBody = ChangeMessage extends infer M ? (M extends ChangeMessage ? Omit<M, "seq"> : never) : never;

export type ServerMessage =
  | { type: "snapshot"; seq: number; match: LiveMatch & { events: LiveEvent[] } }
  /**
   * Sent only by a room that holds no state yet (nothing was ever published to it). Clients of
   * `GET /v1/matches/{id}/live` never see it: the route seeds the room from Postgres before connecting. A socket that
   * got it receives a full `snapshot` as soon as the room gets its first state.
   */
  | { type: "snapshot"; seq: number; match: null }
  | ChangeMessage
  | { type: "batch"; messages: ChangeMessage[] }
  | { type: "pong" }
  | { type: "error"; message: string };

/** Frames a client may send. Anything else is answered with an `error` (and floods close the socket). */
export const clientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }).strict(),
  z.object({ type: z.literal("subscribe"), since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }).strict(),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** Largest client frame accepted (bytes); larger ones are refused. */
export const MAX_CLIENT_FRAME_BYTES = 1024;
