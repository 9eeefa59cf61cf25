// /v1/teams (by competition season, name search) and /v1/teams/{id}.
import { Hono } from "hono";
import { z } from "zod";
import { readThrough } from "../cache/read-through";
import { tags } from "../cache/tags";
import { computeTeamStats } from "../analytics/team-stats";
import { getTeam, listTeams, teamSeasonResults } from "../db/queries/teams";
import type { AppBindings } from "../env";
import { competitionParam, idParam, limitParam, searchParam, seasonParam } from "./params";
import { problem } from "./problem";
import { validate } from "./validate";
import { toTeamDetail as toClubDetail } from "./detail-shapes";

const teamsQuery = z
  .object({ competition: competitionParam.optional(), season: seasonParam.optional(), q: searchParam.optional(), limit: limitParam.optional() })
  .strict();

const toTeamDetail = (t: Awaited<ReturnType<typeof listTeams>>[number]) => ({
  id: t.id,
  name: t.name,
  shortName: t.shortName,
  tla: t.tla,
  crest: t.crestUrl,
  country: t.country,
  founded: t.founded,
});

export const teamsRoutes = new Hono<AppBindings>()
  .get("/", validate("query", teamsQuery), (c) => {
    const q = c.req.valid("query");
    return readThrough(c, [tags.teamLists()], async () => {
      const rows = await listTeams(c.var.db(), { ...q, limit: q.limit ?? 100 });
      return { body: { data: rows.map(toTeamDetail) }, ttl: 3600 };
    });
  })
  .get("/:id/stats", validate("param", z.object({ id: idParam })), validate("query", z.object({ season: seasonParam.optional() }).strict()), (c) => {
    const { id } = c.req.valid("param");
    const { season } = c.req.valid("query");
    return readThrough(c, [tags.team(id), tags.anyMatches()], async () => {
      const db = c.var.db();
      const team = await getTeam(db, id);
      if (!team) throw problem(404, `No team with id ${id}.`);
      const found = await teamSeasonResults(db, id, season);
      const byCompetition = new Map<string, typeof found.results>();
      for (const r of found.results) byCompetition.set(r.competition, [...(byCompetition.get(r.competition) ?? []), r]);
      const data = [...byCompetition].map(([code, results]) => {
        const ids = new Set(results.map((r) => r.matchId));
        const goals = found.goals.filter((g) => ids.has(g.match_id)).map((g) => ({ minute: g.minute, forTeam: g.team_id === id }));
        return { competition: { code }, season: found.season, ...computeTeamStats(id, results, goals) };
      });
      return { body: { data: { team: toTeamDetail(team), season: found.season, competitions: data } }, ttl: 600 };
    });
  })
  .get("/:id", validate("param", z.object({ id: idParam })), (c) => {
    const { id } = c.req.valid("param");
    return readThrough(c, [tags.team(id)], async () => {
      const team = await getTeam(c.var.db(), id);
      if (!team) throw problem(404, `No team with id ${id}.`);
      return { body: { data: { ...toTeamDetail(team), ...toClubDetail(team) } }, ttl: 3600 };
    });
  });
