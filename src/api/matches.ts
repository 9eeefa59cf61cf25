// /v1/matches: filtered, cursor-paginated list; /v1/matches/{id}: one match with its events.
import { createRoute, z } from "@hono/zod-openapi";
import { tags } from "../cache/tags";
import { readThrough, type Loaded } from "../cache/read-through";
import type { Queryable } from "../db/client";
import { modelPrediction } from "./loaders/prediction";
import { getMatchDetail } from "../db/queries/match-detail";
import { getMatchWithEvents, listMatches } from "../db/queries/matches";
import { toMatchDetail } from "./detail-shapes";
import { competitionParam, cursorParam, dateParam, encodeCursor, idParam, intParam, limitParam, seasonParam, statusParam, timeBoundParam } from "./params";
import { createRouter, readResponses } from "./openapi";
import { problem } from "./problem";
import { MatchDetailSchema, MatchSchema, PageSchema, dataOf } from "./schemas";
import { toEvent, toMatch } from "../domain/wire";
import { ttlForMatches } from "../cache/ttl";
import { timeZoneParam, withKickoffLocal, zonedBoundEnd, zonedBoundStart } from "./time-zone";

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
    tz: timeZoneParam.optional(),
  })
  .strict()
  .refine((q) => !(q.date && (q.from || q.to)), { message: "use either date or from/to, not both", path: ["date"] })
  .refine((q) => !(q.from && q.to) || zonedBoundStart(q.from, q.tz) < zonedBoundEnd(q.to, q.tz), { message: "from must not be after to", path: ["from"] });

/** A page of matches (the list route's body); bench/lib/node-baseline.ts serves the same. */
export async function loadMatchList(db: Queryable, q: z.output<typeof matchesQuery>): Promise<Loaded> {
  const limit = q.limit ?? 50;
  const rows = await listMatches(db, {
    competition: q.competition,
    season: q.season,
    matchday: q.matchday,
    // Days are days of `tz` (UTC without it).
    from: q.date ? zonedBoundStart(q.date, q.tz) : q.from ? zonedBoundStart(q.from, q.tz) : undefined,
    until: q.date ? zonedBoundEnd(q.date, q.tz) : q.to ? zonedBoundEnd(q.to, q.tz) : undefined,
    team: q.team,
    status: q.status,
    after: q.cursor,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(last.kickoff, last.id) : null;
  return { body: { data: page.map((m) => withKickoffLocal(toMatch(m), q.tz)), page: { nextCursor, limit } }, ttl: ttlForMatches(page.map((m) => m.status)) };
}

const liveQuery = z.object({ competition: competitionParam.optional(), tz: timeZoneParam.optional() }).strict();
const detailQuery = z.object({ tz: timeZoneParam.optional() }).strict();
const idParams = z.object({ id: idParam });
const TZ_NOTE =
  "`tz` (an IANA zone such as Europe/Berlin; default UTC) adds `kickoffLocal`, the kickoff in that zone with its offset" +
  " (2024-03-30T23:30:00Z in Europe/Berlin is 2024-03-31T00:30:00+01:00); an unknown zone is a 400.";

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Matches"],
  summary: "Matches, filtered and cursor-paginated (kickoff order)",
  description:
    "`date` is a day of `tz` (UTC without it: 23 or 25 hours around a daylight-saving change); `from`/`to` are days " +
    "(of `tz` likewise) or ISO 8601 times (a day as `to` includes the whole day). `status` takes a comma-separated list. " +
    "Pages end with `page.nextCursor`; pass it back as `cursor`. " + TZ_NOTE,
  request: { query: matchesQuery },
  responses: readResponses(z.object({ data: z.array(MatchSchema), page: PageSchema }), "A page of matches."),
});

const liveRoute = createRoute({
  method: "get",
  path: "/live",
  tags: ["Matches"],
  summary: "Matches in play now",
  description: TZ_NOTE,
  request: { query: liveQuery },
  responses: readResponses(dataOf(z.array(MatchSchema)), "Matches whose status is live, halftime, extra_time or penalties."),
});

const detailRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Matches"],
  summary: "One match with its events",
  description: TZ_NOTE,
  request: { params: idParams, query: detailQuery },
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
      return { body: { data: rows.map((m) => withKickoffLocal(toMatch(m), q.tz)) }, ttl: 10 };
    });
  })
  .openapi(detailRoute, (c) => {
    const { id } = c.req.valid("param");
    const { tz } = c.req.valid("query");
    return readThrough(c, [tags.match(id)], async () => {
      const found = await getMatchWithEvents(c.var.db(), id);
      if (!found) throw problem(404, `No match with id ${id}.`);
      const db = c.var.db();
      const [detail, ours] = [await getMatchDetail(db, id), await modelPrediction(db, id, found.match.home.id, found.match.away.id)];
      // Our model's prediction beside the providers', unless it had nothing to be fitted on.
      const model = ours && ours.meta.fittedOn > 0 ? { model: ours.meta.model, fittedOn: ours.meta.fittedOn, ...ours.prediction } : null;
      return {
        body: { data: { ...withKickoffLocal(toMatch(found.match), tz), events: found.events.map(toEvent), ...(detail ? toMatchDetail(detail, model) : {}) } },
        ttl: ttlForMatches([found.match.status]),
        extraTags: [tags.team(found.match.home.id), tags.team(found.match.away.id)],
      };
    });
  });
