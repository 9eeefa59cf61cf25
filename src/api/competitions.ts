// /v1/competitions and /v1/competitions/{code}/standings (computed from finished matches; see analytics/standings).
import { createRoute, z } from "@hono/zod-openapi";
import { ruleFor } from "../analytics/standings";
import { findSeason } from "../db/queries/analytics";
import { standingsTable } from "./loaders/standings";
import { StandingRowExtras, standingsExtras, standingsTypeParam } from "./analytics-shapes";
import { readThrough, type Loaded } from "../cache/read-through";
import type { Queryable } from "../db/client";
import { tags } from "../cache/tags";
import { latestSeason, listCompetitions, seasonExists, teamsByIds } from "../db/queries/teams";
import { readConfig } from "../env";
import { COMPETITIONS, type CompetitionCode } from "../domain/competitions";
import { topScorers } from "../db/queries/players";
import { competitionParam, limitParam, seasonParam } from "./params";
import { createRouter, readResponses } from "./openapi";
import { problem } from "./problem";
import { CompetitionSchema, ScorerSchema, StandingRowSchema, StandingsSchema, dataOf } from "./schemas";
import { toTeam } from "../domain/wire";

const codeParams = z.object({ code: competitionParam });
export const StandingsResponseSchema = z.object({
  data: StandingsSchema.extend({ type: standingsTypeParam, table: z.array(StandingRowSchema.extend(StandingRowExtras.shape)) }),
  meta: z.object({
    basis: z.enum(["stored", "computed_on_read"]).openapi({ description: "stored: the table the update_team_stats job computed; computed_on_read: from matches newer than it." }),
    tieBreak: z.array(z.string()),
    tieBreakSource: z.string(),
  }),
});

export const standingsQuery = z.object({ season: seasonParam.optional(), type: standingsTypeParam.optional() }).strict();

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Competitions"],
  summary: "Tracked and stored competitions with their seasons",
  request: { query: z.object({}).strict() },
  responses: readResponses(dataOf(z.array(CompetitionSchema)), "Competitions by code."),
});

const topScorersRoute = createRoute({
  method: "get",
  path: "/{code}/top-scorers",
  tags: ["Competitions"],
  summary: "Top scorers of a season",
  description: "From provider player stats where stored, else counted from goal events (own goals excluded). Default season: the latest stored.",
  request: { params: codeParams, query: z.object({ season: seasonParam.optional(), limit: limitParam.optional() }).strict() },
  responses: readResponses(
    z.object({ data: z.array(ScorerSchema), meta: z.object({ competition: z.string(), season: z.number().int(), basis: z.enum(["provider_stats", "match_events"]) }) }),
    "Scorers, most goals first.",
    404,
  ),
});

const standingsRoute = createRoute({
  method: "get",
  path: "/{code}/standings",
  tags: ["Competitions"],
  summary: "League table computed from finished matches, with the competition's tie-break rules",
  description:
    "`type=home|away` ranks home-only or away-only results. `meta.tieBreak` lists the criteria in order and " +
    "`meta.tieBreakSource` the regulation they come from. `previousPosition` is the position after the previous matchday.",
  request: { params: codeParams, query: standingsQuery },
  responses: readResponses(StandingsResponseSchema, "The table, first place first.", 404),
});

export const competitionsRoutes = createRouter()
  .openapi(listRoute, (c) =>
    readThrough(c, [tags.competitions()], async () => {
      const stored = await listCompetitions(c.var.db());
      const byCode = new Map(stored.map((s) => [s.code, s]));
      // Tracked competitions are listed even before their first ingestion, with no seasons yet.
      for (const code of readConfig(c.env).competitions) {
        if (!byCode.has(code)) {
          const info = COMPETITIONS[code];
          byCode.set(code, { code, name: info.name, country: info.country, type: info.type, seasons: [] });
        }
      }
      const data = [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
      return { body: { data }, ttl: 3600 };
    }),
  )
  .openapi(topScorersRoute, (c) => {
    const { code } = c.req.valid("param");
    const query = c.req.valid("query");
    return readThrough(c, [tags.topScorers(code)], async () => {
      const db = c.var.db();
      const season = query.season ?? (await latestSeason(db, code));
      if (season == null || !(await seasonExists(db, code, season))) {
        throw problem(404, `No data stored for ${code}${query.season != null ? ` season ${query.season}` : ""} yet.`);
      }
      const { rows, basis } = await topScorers(db, code, season, query.limit ?? 20);
      return {
        body: {
          data: rows.map((r) => ({
            player: { id: r.playerId, name: r.playerName },
            team: r.team ? toTeam(r.team) : null,
            goals: r.goals,
            assists: r.assists,
            penalties: r.penalties,
            appearances: r.appearances,
          })),
          meta: { competition: code, season, basis },
        },
        ttl: 3600,
      };
    });
  })
  .openapi(standingsRoute, (c) => {
    const { code } = c.req.valid("param");
    return readThrough(c, [tags.standings(code)], () => loadStandings(c.var.db(), code, c.req.valid("query")));
  });

/** The standings route's body; bench/lib/node-baseline.ts serves the same. */
export async function loadStandings(db: Queryable, code: CompetitionCode, query: z.output<typeof standingsQuery>): Promise<Loaded> {
  const season = query.season ?? (await latestSeason(db, code));
  const found = season == null ? null : await findSeason(db, code, season);
  if (season == null || !found) throw problem(404, `No data stored for ${code}${query.season != null ? ` season ${query.season}` : ""} yet.`);
  const view = query.type ?? "total";
  const { rows: table, basis, inPlay } = await standingsTable(db, code, found.seasonId, view);
  const teamRows = await teamsByIds(db, table.map((r) => r.teamId));
  const byId = new Map(teamRows.map((t) => [t.id, t]));
  return {
    body: {
      data: {
        competition: { code, name: COMPETITIONS[code].name },
        season,
        type: view,
        table: table.map((r) => ({
          position: r.position,
          team: toTeam(byId.get(r.teamId)!),
          played: r.played,
          won: r.won,
          drawn: r.drawn,
          lost: r.lost,
          goalsFor: r.goalsFor,
          goalsAgainst: r.goalsAgainst,
          goalDifference: r.goalDifference,
          points: r.points,
          form: r.form,
          ...standingsExtras(r),
        })),
      },
      meta: { basis, tieBreak: ruleFor(code).criteria, tieBreakSource: ruleFor(code).source },
    },
    ttl: inPlay ? 30 : 3600,
  };
}
