// /v1/competitions and /v1/competitions/{code}/standings (computed from finished matches; see analytics/standings).
import { Hono } from "hono";
import { z } from "zod";
import { ruleFor } from "../analytics/standings";
import { findSeason, standingsTable } from "../db/queries/analytics";
import { standingsExtras, standingsTypeParam } from "./analytics-shapes";
import { readThrough } from "../cache/read-through";
import { tags } from "../cache/tags";
import { seasonMatches } from "../db/queries/matches";
import { latestSeason, listCompetitions, seasonExists, teamsByIds } from "../db/queries/teams";
import { readConfig, type AppBindings } from "../env";
import { COMPETITIONS } from "../providers/registry";
import { topScorers } from "../db/queries/players";
import { competitionParam, limitParam, seasonParam } from "./params";
import { problem } from "./problem";
import { isInPlay, toTeam } from "./shapes";
import { validate } from "./validate";

export const competitionsRoutes = new Hono<AppBindings>()
  .get("/", validate("query", z.object({}).strict()), (c) =>
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
  .get(
    "/:code/top-scorers",
    validate("param", z.object({ code: competitionParam })),
    validate("query", z.object({ season: seasonParam.optional(), limit: limitParam.optional() }).strict()),
    (c) => {
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
    },
  )
  .get(
    "/:code/standings",
    validate("param", z.object({ code: competitionParam })),
    validate("query", z.object({ season: seasonParam.optional(), type: standingsTypeParam.optional() }).strict()),
    (c) => {
      const { code } = c.req.valid("param");
      const query = c.req.valid("query");
      return readThrough(c, [tags.standings(code)], async () => {
        const db = c.var.db();
        const season = query.season ?? (await latestSeason(db, code));
        if (season == null || !(await seasonExists(db, code, season))) {
          throw problem(404, `No data stored for ${code}${query.season != null ? ` season ${query.season}` : ""} yet.`);
        }
        const all = await seasonMatches(db, code, season);
        const view = query.type ?? "total";
        const { rows: table, basis } = await standingsTable(db, code, (await findSeason(db, code, season))!.seasonId, view);
        const teamRows = await teamsByIds(db, table.map((r) => r.teamId));
        const byId = new Map(teamRows.map((t) => [t.id, t]));
        const live = all.some((m) => isInPlay(m.status));
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
          ttl: live ? 30 : 3600,
        };
      });
    },
  );
