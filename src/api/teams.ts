// /v1/teams (by competition season, name search) and /v1/teams/{id}.
import { createRoute, z } from "@hono/zod-openapi";
import { readThrough } from "../cache/read-through";
import { tags } from "../cache/tags";
import { computeTeamStats } from "../analytics/team-stats";
import { getTeam, listTeams, teamSeasonResults } from "../db/queries/teams";
import { competitionParam, idParam, limitParam, searchParam, seasonParam } from "./params";
import { createRouter, readResponses } from "./openapi";
import { problem } from "./problem";
import { TeamDetailSchema, TeamSchema, TeamSeasonStatsSchema, dataOf } from "./schemas";
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

const idParams = z.object({ id: idParam });

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Teams"],
  summary: "Teams, by competition season or name",
  description: "`q` matches names case-insensitively (substring).",
  request: { query: teamsQuery },
  responses: readResponses(dataOf(z.array(TeamSchema)), "Teams by name."),
});

const statsRoute = createRoute({
  method: "get",
  path: "/{id}/stats",
  tags: ["Teams"],
  summary: "A team's season record per competition",
  description: "Home/away/total W/D/L, goals, clean sheets, failed to score, points per game, biggest win/loss, goals by 15-minute interval. Default season: the latest with matches.",
  request: { params: idParams, query: z.object({ season: seasonParam.optional() }).strict() },
  responses: readResponses(dataOf(TeamSeasonStatsSchema), "The team's season stats.", 404),
});

const detailRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Teams"],
  summary: "One team, with its venue and club details",
  request: { params: idParams },
  responses: readResponses(dataOf(TeamDetailSchema), "The team (venue, coach, address, website: null when no provider has them).", 404),
});

export const teamsRoutes = createRouter()
  .openapi(listRoute, (c) => {
    const q = c.req.valid("query");
    return readThrough(c, [tags.teamLists()], async () => {
      const rows = await listTeams(c.var.db(), { ...q, limit: q.limit ?? 100 });
      return { body: { data: rows.map(toTeamDetail) }, ttl: 3600 };
    });
  })
  .openapi(statsRoute, (c) => {
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
        const goals = found.goals.filter((g) => ids.has(g.match_id)).map((g) => ({ matchId: g.match_id, minute: g.minute, forTeam: g.team_id === id }));
        return { competition: { code }, season: found.season, ...computeTeamStats(id, results, goals) };
      });
      return { body: { data: { team: toTeamDetail(team), season: found.season, competitions: data } }, ttl: 600 };
    });
  })
  .openapi(detailRoute, (c) => {
    const { id } = c.req.valid("param");
    return readThrough(c, [tags.team(id)], async () => {
      const team = await getTeam(c.var.db(), id);
      if (!team) throw problem(404, `No team with id ${id}.`);
      return { body: { data: { ...toTeamDetail(team), ...toClubDetail(team) } }, ttl: 3600 };
    });
  });
