// GET /v1/matches/{id}/live: the WebSocket feed of one match (API.md "Live"), served by the match's MatchRoom
// Durable Object. Mounted at /v1/matches before the matches router.
//
// Checks, in order: the id and `since` — a non-negative integer (400), `Upgrade: websocket` (426), the match
// exists (404). A room that holds no state yet is seeded with the match as Postgres has it (so a client always gets
// a real snapshot, even before the live job's first publish); a room that has state answers without Postgres — at
// kickoff thousands of clients connect at once. The upgrade is forwarded to the room with the match id in the
// `X-Match-Id` header and `since` in the URL.
import { createRoute, z } from "@hono/zod-openapi";
import { getMatchWithEvents } from "../db/queries/matches";
import { MATCH_ID_HEADER, matchRoom } from "../live/match-room";
import type { LiveMatchState } from "../live/protocol";
import { idParam, intParam } from "./params";
import { createRouter, errorResponses } from "./openapi";
import { problem } from "./problem";
import { toEvent, toMatch } from "../domain/wire";

const liveRoute = createRoute({
  method: "get",
  path: "/{id}/live",
  tags: ["Live"],
  summary: "WebSocket feed of one match",
  description:
    "Connect with `Upgrade: websocket`. The server sends `{type:\"snapshot\",seq,match}` (the match with its events), then one " +
    "message per change (`score`, `status`, `event`) with consecutive `seq`. With `since=SEQ`, every change after SEQ is " +
    "replayed first, so a reconnecting client misses nothing. Frames a client sends are validated; garbage is refused.",
  request: { params: z.object({ id: idParam }), query: z.object({ since: intParam(0, Number.MAX_SAFE_INTEGER).optional() }).strict() },
  responses: {
    101: { description: "Switching protocols: the WebSocket is open." },
    ...errorResponses(400, 401, 404, 426, 429, 503),
  },
});

export const liveRoutes = createRouter().openapi(liveRoute, async (c) => {
  const { id } = c.req.valid("param");
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw problem(426, "This endpoint is a WebSocket: connect with Upgrade: websocket.", { title: "Upgrade required" }, { Upgrade: "websocket" });
  }
  const room = matchRoom(c.env, id);
  // A room with state answers from it; only a cold room costs Postgres (the match, its events, and the 404).
  if (!(await room.hasState())) {
    const found = await getMatchWithEvents(c.var.db(), id);
    if (!found) throw problem(404, `No match with id ${id}.`);
    const state: LiveMatchState = { match: toMatch(found.match), events: found.events.map(toEvent) };
    await room.seed(state);
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set(MATCH_ID_HEADER, String(id));
  return room.fetch(new Request(c.req.url, { method: "GET", headers }));
});
