// /v1/matches: filtered, cursor-paginated list; /v1/matches/{id}: one match with its events.
import { createRoute, z } from "@hono/zod-openapi";
import { tags } from "../cache/tags";
import { readThrough, type Loaded } from "../cache/read-through";
import type { Queryable } from "../db/client";
import { modelPrediction } from "./loaders/prediction";
import { getMatchDetail } from "../db/queries/match-detail";
import { getMatchWithEvents, listMatches } from "../db/queries/matches";
import { toMatchDetail } from "./detail-shapes";
import { boundEnd, boundStart, competitionParam, cursorParam, dateParam, encodeCursor, idParam, intParam, limitParam, seasonParam, statusParam, timeBoundParam } from "./params";
import { createRouter, readResponses } from "./openapi";
import { problem } from "./problem";
import { MatchDetailSchema, MatchSchema, PageSchema, dataOf } from "./schemas";
import { toEvent, toMatch } from "../domain/wire";
import { ttlForMatches } from "../cache/ttl";

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

/** A page of matches (the list route's body); bench/lib/node-baseline.ts serves the same. */
export async function loadMatchList(db: Queryable, q: z.output<typeof matchesQuery>): Promise<Loaded> {
  const limit = q.limit ?? 50;
  const rows = await listMatches(db, {
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
  return { body: { data: page.map(toMatch), page: { nextCursor, limit } }, ttl: ttlForMatches(page.map((m) => m.status)) };
}

const liveQuery = z.object({ competition: competitionParam.optional() }).strict();
const idParams = z.object({ id: idParam });

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Matches"],
  summary: "Matches, filtered and cursor-paginated (kickoff order)",
  description:
    "`date` is a UTC day; `from`/`to` are days or ISO 8601 times (a day as `to` includes the whole day). `status` takes a " +
    "comma-separated list. Pages end with `page.nextCursor`; pass it back as `cursor`.",
  request: { query: matchesQuery },
  responses: readResponses(z.object({ data: z.array(MatchSchema), page: PageSchema }), "A page of matches."),
});

const liveRoute = createRoute({
  method: "get",
  path: "/live",
  tags: ["Matches"],
  summary: "Matches in play now",
  request: { query: liveQuery },
  responses: readResponses(dataOf(z.array(MatchSchema)), "Matches whose status is live, halftime, extra_time or penalties."),
});

const detailRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Matches"],
  summary: "One match with its events",
  request: { params: idParams },
  responses: readResponses(dataOf(MatchDetailSchema), "The match and its events (goals, cards, substitutions, VAR).", 404),
});

export const matchesRoutes = createRouter()
  .openapi(listRoute, (c) => {
    const q = c.req.valid("query");
    const scope = q.competition && q.season != null ? tags.seasonMatches(q.competition, q.season) : tags.anyMatches();
    return readThrough(c, [scope], () => loadMatchList(c.var.db(), q));
  })
  .openapi(liveRoute, (c) => {
    const q = c.req.valid("query");
    return readThrough(c, [tags.anyMatches()], async () => {
      const rows = await listMatches(c.var.db(), { competition: q.competition, status: ["live", "halftime", "extra_time", "penalties"], limit: 200 });
      return { body: { data: rows.map(toMatch) }, ttl: 10 };
    });
  })
  .openapi(detailRoute, (c) => {
    const { id } = c.req.valid("param");
    return readThrough(c, [tags.match(id)], async () => {
      const found = await getMatchWithEvents(c.var.db(), id);
      if (!found) throw problem(404, `No match with id ${id}.`);
      const db = c.var.db();
      const [detail, ours] = [await getMatchDetail(db, id), await modelPrediction(db, id, found.match.home.id, found.match.away.id)];
      // Our model's prediction beside the providers', unless it had nothing to be fitted on.
      const model = ours && ours.meta.fittedOn > 0 ? { model: ours.meta.model, fittedOn: ours.meta.fittedOn, ...ours.prediction } : null;
      return {
        body: { data: { ...toMatch(found.match), events: found.events.map(toEvent), ...(detail ? toMatchDetail(detail, model) : {}) } },
        ttl: ttlForMatches([found.match.status]),
        extraTags: [tags.team(found.match.home.id), tags.team(found.match.away.id)],
      };
    });
  });
