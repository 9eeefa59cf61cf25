// /v1/players (by team, name search), /v1/players/{id}, /v1/players/{id}/stats.
import { Hono } from "hono";
import { z } from "zod";
import { readThrough } from "../cache/read-through";
import { tags } from "../cache/tags";
import { getPlayer, listPlayers, playerStats } from "../db/queries/players";
import type { AppBindings } from "../env";
import { idParam, limitParam, searchParam, seasonParam } from "./params";
import { problem } from "./problem";
import { toTeam } from "./shapes";
import { validate } from "./validate";

type PlayerRow = NonNullable<Awaited<ReturnType<typeof getPlayer>>>;
const toPlayer = (p: PlayerRow) => ({
  id: p.id,
  name: p.name,
  nationality: p.nationality,
  birthDate: p.birthDate,
  position: p.position,
  team: p.team ? toTeam(p.team) : null,
});

export const playersRoutes = new Hono<AppBindings>()
  .get("/", validate("query", z.object({ team: idParam.optional(), q: searchParam.optional(), limit: limitParam.optional() }).strict()), (c) => {
    const q = c.req.valid("query");
    return readThrough(c, [tags.players()], async () => {
      const rows = await listPlayers(c.var.db(), { ...q, limit: q.limit ?? 100 });
      return { body: { data: rows.map(toPlayer) }, ttl: 3600 };
    });
  })
  .get("/:id", validate("param", z.object({ id: idParam })), (c) => {
    const { id } = c.req.valid("param");
    return readThrough(c, [tags.players()], async () => {
      const player = await getPlayer(c.var.db(), id);
      if (!player) throw problem(404, `No player with id ${id}.`);
      return { body: { data: toPlayer(player) }, ttl: 3600 };
    });
  })
  .get("/:id/stats", validate("param", z.object({ id: idParam })), validate("query", z.object({ season: seasonParam.optional() }).strict()), (c) => {
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
