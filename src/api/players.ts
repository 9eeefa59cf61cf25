// /v1/players (by team, name search), /v1/players/{id}, /v1/players/{id}/stats.
import { createRoute, z } from "@hono/zod-openapi";
import { readThrough } from "../cache/read-through";
import { tags } from "../cache/tags";
import { getPlayer, listPlayers, playerStats } from "../db/queries/players";
import { idParam, limitParam, searchParam, seasonParam } from "./params";
import { createRouter, readResponses } from "./openapi";
import { problem } from "./problem";
import { PlayerSchema, PlayerSeasonStatsSchema, dataOf } from "./schemas";
import { toTeam } from "../domain/wire";

type PlayerRow = NonNullable<Awaited<ReturnType<typeof getPlayer>>>;
const toPlayer = (p: PlayerRow) => ({
  id: p.id,
  name: p.name,
  nationality: p.nationality,
  birthDate: p.birthDate,
  position: p.position,
  team: p.team ? toTeam(p.team) : null,
});

const idParams = z.object({ id: idParam });

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Players"],
  summary: "Players, by team or name",
  request: { query: z.object({ team: idParam.optional(), q: searchParam.optional(), limit: limitParam.optional() }).strict() },
  responses: readResponses(dataOf(z.array(PlayerSchema)), "Players by name."),
});

const detailRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Players"],
  summary: "One player",
  request: { params: idParams },
  responses: readResponses(dataOf(PlayerSchema), "The player.", 404),
});

const statsRoute = createRoute({
  method: "get",
  path: "/{id}/stats",
  tags: ["Players"],
  summary: "A player's season stats per competition",
  request: { params: idParams, query: z.object({ season: seasonParam.optional() }).strict() },
  responses: readResponses(dataOf(z.array(PlayerSeasonStatsSchema)), "Season stats, newest season first.", 404),
});

export const playersRoutes = createRouter()
  .openapi(listRoute, (c) => {
    const q = c.req.valid("query");
    return readThrough(c, [tags.players()], async () => {
      const rows = await listPlayers(c.var.db(), { ...q, limit: q.limit ?? 100 });
      return { body: { data: rows.map(toPlayer) }, ttl: 3600 };
    });
  })
  .openapi(detailRoute, (c) => {
    const { id } = c.req.valid("param");
    return readThrough(c, [tags.players()], async () => {
      const player = await getPlayer(c.var.db(), id);
      if (!player) throw problem(404, `No player with id ${id}.`);
      return { body: { data: toPlayer(player) }, ttl: 3600 };
    });
  })
  .openapi(statsRoute, (c) => {
    const { id } = c.req.valid("param");
    const { season } = c.req.valid("query");
    return readThrough(c, [tags.players()], async () => {
      const db = c.var.db();
      const player = await getPlayer(db, id);
      if (!player) throw problem(404, `No player with id ${id}.`);
      const rows = await playerStats(db, id, season);
      return {
        body: {
          data: rows.map(({ competition, team, ...r }) => ({
            competition: { code: competition },
            team: team ? toTeam(team) : null,
            ...r,
            per90:
              r.minutes && r.minutes > 0
                ? { goals: round2(((r.goals ?? 0) * 90) / r.minutes), assists: round2(((r.assists ?? 0) * 90) / r.minutes) }
                : null,
          })),
        },
        ttl: 3600,
      };
    });
  });

const round2 = (x: number) => Math.round(x * 100) / 100;
