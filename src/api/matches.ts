// /v1/matches: filtered, cursor-paginated list; /v1/matches/{id}: one match with its events.
import { Hono } from "hono";
import { z } from "zod";
import { tags } from "../cache/tags";
import { readThrough } from "../cache/read-through";
import { getMatchDetail } from "../db/queries/match-detail";
import { getMatchWithEvents, listMatches } from "../db/queries/matches";
import { toMatchDetail } from "./detail-shapes";
import type { AppBindings } from "../env";
import { boundEnd, boundStart, competitionParam, cursorParam, dateParam, encodeCursor, idParam, intParam, limitParam, seasonParam, statusParam, timeBoundParam } from "./params";
import { problem } from "./problem";
import { toEvent, toMatch, ttlForMatches } from "./shapes";
import { validate } from "./validate";

export const matchesQuery = z
  .object({
    competition: competitionParam.optional(),
    season: seasonParam.optional(),
    matchday: intParam(1, 99).optional(),
    date: dateParam.optional(),
    from: timeBoundParam.optional(),
    to: timeBoundParam.optional(),
    team: idParam.optional(),
    status: statusParam.optional(),
    limit: limitParam.optional(),
    cursor: cursorParam.optional(),
  })
  .strict()
  .refine((q) => !(q.date && (q.from || q.to)), { message: "use either date or from/to, not both", path: ["date"] })
  .refine((q) => !(q.from && q.to) || boundStart(q.from) < boundEnd(q.to), { message: "from must not be after to", path: ["from"] });

export const matchesRoutes = new Hono<AppBindings>()
  .get("/", validate("query", matchesQuery), (c) => {
    const q = c.req.valid("query");
    const limit = q.limit ?? 50;
    const scope = q.competition && q.season != null ? tags.seasonMatches(q.competition, q.season) : tags.anyMatches();
    return readThrough(c, [scope], async () => {
      const rows = await listMatches(c.var.db(), {
        competition: q.competition,
        season: q.season,
        matchday: q.matchday,
        from: q.date ? boundStart(q.date) : q.from ? boundStart(q.from) : undefined,
        until: q.date ? boundEnd(q.date) : q.to ? boundEnd(q.to) : undefined,
        team: q.team,
        status: q.status,
        after: q.cursor,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const nextCursor = rows.length > limit && last ? encodeCursor(last.kickoff, last.id) : null;
      return {
        body: { data: page.map(toMatch), page: { nextCursor, limit } },
        ttl: ttlForMatches(page.map((m) => m.status)),
      };
    });
  })
  .get("/live", validate("query", z.object({ competition: competitionParam.optional() }).strict()), (c) => {
    const q = c.req.valid("query");
    return readThrough(c, [tags.anyMatches()], async () => {
      const rows = await listMatches(c.var.db(), { competition: q.competition, status: ["live", "halftime", "extra_time", "penalties"], limit: 200 });
      return { body: { data: rows.map(toMatch) }, ttl: 10 };
    });
  })
  .get("/:id", validate("param", z.object({ id: idParam })), (c) => {
    const { id } = c.req.valid("param");
    return readThrough(c, [tags.match(id)], async () => {
      const found = await getMatchWithEvents(c.var.db(), id);
      if (!found) throw problem(404, `No match with id ${id}.`);
      const detail = await getMatchDetail(c.var.db(), id);
      return {
        body: { data: { ...toMatch(found.match), events: found.events.map(toEvent), ...(detail ? toMatchDetail(detail) : {}) } },
        ttl: ttlForMatches([found.match.status]),
        extraTags: [tags.team(found.match.home.id), tags.team(found.match.away.id)],
      };
    });
  });
