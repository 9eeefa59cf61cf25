// Analytics routes (OpenAPIHono, mounted at /v1): Elo ratings per competition and team, match predictions
// (Dixon–Coles), head-to-head records, top assists from our player season figures, and market values with the
// explanation of each number. Every read goes through readThrough with tags retired when results or the
// computed tables change.
import { createRoute, z } from "@hono/zod-openapi";
import { ELO, computeElo } from "../analytics/elo";
import { explainValue, MARKET_MODEL, type MarketFeatures } from "../analytics/market-value";
import { modelPrediction } from "./loaders/prediction";
import { readThrough } from "../cache/read-through";
import { tags } from "../cache/tags";
import type { Queryable } from "../db/client";
import { competitionResults, findSeason, marketValueHistory, meetingIds, playerLeaders, seasonRatings, seasonResultsVersion, teamSeasons } from "../db/queries/analytics";
import { listMatches, type MatchRow } from "../db/queries/matches";
import { getPlayer } from "../db/queries/players";
import { getTeam, latestSeason, teamsByIds } from "../db/queries/teams";
import { CompetitionRatingsSchema, HeadToHeadSchema, LeadersSchema, MarketValuesSchema, PredictionSchema, TeamRatingSchema } from "./analytics-shapes";
import { competitionParam, idParam, limitParam, seasonParam } from "./params";
import { createRouter, readResponses } from "./openapi";
import { problem } from "./problem";
import { toTeam } from "../domain/wire";

export const analyticsRoutes = createRouter();
/** readThrough answers with the cached body as a raw Response (ETag, 304): its shape is the route's schema. */
const cached = (r: Promise<Response>) => r as never;

const ratingMeta = (basis: "stored" | "computed_on_read") => ({
  model: ELO.version,
  basis,
  parameters: { initial: ELO.initial, newcomer: ELO.newcomer, k: ELO.k, homeAdvantage: ELO.homeAdvantage, seasonRegression: ELO.seasonRegression },
});

/**
 * A season's ratings: stored by update_team_stats when they count every finished match of the season, else
 * replayed now from the results (same code) — so a result that lands between two runs of the job shows at once.
 */
async function ratingsOf(db: Queryable, competitionId: number, seasonId: number, year: number) {
  const stored = await seasonRatings(db, seasonId);
  const { finished, changedAt } = await seasonResultsVersion(db, seasonId);
  const counted = stored.reduce((n, r) => n + r.history.length, 0) / 2;
  const newest = stored.reduce((t, r) => Math.max(t, r.updatedAt.getTime()), 0);
  if (stored.length && counted === finished && (!changedAt || changedAt.getTime() <= newest)) return { basis: "stored" as const, rows: stored.map((r) => ({ teamId: r.teamId, rating: r.elo, matches: r.matches, history: r.history })) };
  const replayed = computeElo(await competitionResults(db, competitionId, year), year);
  return { basis: "computed_on_read" as const, rows: [...replayed.values()] };
}

analyticsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/competitions/{code}/ratings",
    request: { params: z.object({ code: competitionParam }), query: z.object({ season: seasonParam.optional() }).strict() },
    tags: ["Analytics"],
    summary: "Elo ratings of a competition season, best first",
    responses: readResponses(CompetitionRatingsSchema, "Elo ratings of a competition season, best first.", 404),
  }),
  (c) => {
    const { code } = c.req.valid("param");
    const q = c.req.valid("query");
    return cached(
      readThrough(c, [tags.ratings(code), tags.standings(code)], async () => {
        const db = c.var.db();
        const year = q.season ?? (await latestSeason(db, code));
        const season = year == null ? null : await findSeason(db, code, year);
        if (!season || year == null) throw problem(404, `No data stored for ${code}${q.season != null ? ` season ${q.season}` : ""} yet.`);
        const { basis, rows } = await ratingsOf(db, season.competitionId, season.seasonId, year);
        const teams = new Map((await teamsByIds(db, rows.map((r) => r.teamId))).map((t) => [t.id, t]));
        const ratings = rows
          .sort((a, b) => b.rating - a.rating || a.teamId - b.teamId)
          .map((r, i) => ({ rank: i + 1, team: toTeam(teams.get(r.teamId)!), elo: r.rating, matches: r.matches, lastChange: r.history.at(-1)?.change ?? null }));
        return { body: { data: { competition: { code }, season: year, ratings }, meta: ratingMeta(basis) }, ttl: 3600 };
      }),
    );
  },
);

analyticsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/teams/{id}/rating",
    request: { params: z.object({ id: idParam }), query: z.object({ season: seasonParam.optional() }).strict() },
    tags: ["Analytics"],
    summary: "A team's Elo rating in each competition of a season, with this season's history",
    responses: readResponses(TeamRatingSchema, "A team's Elo rating in each competition of a season, with this season's history.", 404),
  }),
  (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    return cached(
      readThrough(c, [tags.team(id), tags.anyMatches()], async () => {
        const db = c.var.db();
        const team = await getTeam(db, id);
        if (!team) throw problem(404, `No team with id ${id}.`);
        const seasons = await teamSeasons(db, id, q.season);
        let basis: "stored" | "computed_on_read" = "stored";
        const ratings = [];
        for (const s of seasons) {
          const r = await ratingsOf(db, s.competitionId, s.seasonId, s.year);
          if (r.basis === "computed_on_read") basis = r.basis;
          const sorted = [...r.rows].sort((a, b) => b.rating - a.rating);
          const mine = sorted.findIndex((x) => x.teamId === id);
          if (mine < 0) continue;
          const row = sorted[mine]!;
          ratings.push({ competition: { code: s.code }, season: s.year, elo: row.rating, rank: mine + 1, of: sorted.length, matches: row.matches, history: row.history });
        }
        return {
          body: { data: { team: toTeam(team), season: seasons[0]?.year ?? null, ratings }, meta: ratingMeta(basis) },
          ttl: 3600,
          extraTags: seasons.map((s) => tags.ratings(s.code)),
        };
      }),
    );
  },
);

const matchLite = (m: MatchRow) => ({
  id: m.id,
  competition: { code: m.competitionCode },
  season: m.season,
  kickoff: m.kickoff.toISOString().replace(/\.000Z$/, "Z"),
  status: m.status,
  home: toTeam(m.home),
  away: toTeam(m.away),
  score: { home: m.homeScore, away: m.awayScore },
});

analyticsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/matches/{id}/prediction",
    request: { params: z.object({ id: idParam }) },
    tags: ["Analytics"],
    summary: "Pre-match outcome probabilities, expected goals and most likely scores",
    responses: readResponses(PredictionSchema, "Pre-match outcome probabilities, expected goals and most likely scores.", 404),
  }),
  (c) => {
    const { id } = c.req.valid("param");
    return cached(
      readThrough(c, [tags.match(id), tags.anyMatches()], async () => {
        const db = c.var.db();
        const [match] = await listMatches(db, { ids: [id], limit: 1 });
        const found = match ? await modelPrediction(db, id, match.home.id, match.away.id) : null;
        if (!match || !found) throw problem(404, `No match with id ${id}.`);
        const { ctx, prediction, meta } = found;
        return {
          body: { data: { match: matchLite(match), ...prediction }, meta },
          ttl: 3600,
          extraTags: [tags.seasonMatches(ctx.code, ctx.season)],
        };
      }),
    );
  },
);

analyticsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/teams/{id}/head-to-head/{otherId}",
    request: { params: z.object({ id: idParam, otherId: idParam }), query: z.object({ limit: limitParam.optional() }).strict() },
    tags: ["Analytics"],
    summary: "Every meeting of two teams (any competition), from the first team's side",
    responses: readResponses(HeadToHeadSchema, "Every meeting of two teams (any competition), from the first team's side.", 404),
  }),
  (c) => {
    const { id, otherId } = c.req.valid("param");
    const q = c.req.valid("query");
    if (id === otherId) throw problem(400, "A team has no head-to-head record with itself: give two different team ids.");
    return cached(
      readThrough(c, [tags.team(id), tags.team(otherId), tags.anyMatches()], async () => {
        const db = c.var.db();
        const team = await getTeam(db, id);
        const other = await getTeam(db, otherId);
        if (!team || !other) throw problem(404, `No team with id ${!team ? id : otherId}.`);
        const ids = await meetingIds(db, id, otherId);
        const all = ids.length ? await listMatches(db, { ids, limit: ids.length }) : [];
        const played = all.filter((m) => m.status === "finished" && m.homeScore != null && m.awayScore != null).reverse();
        const summary = { played: 0, won: 0, drawn: 0, lost: 0, goalsFor: 0, goalsAgainst: 0 };
        for (const m of played) {
          const gf = m.home.id === id ? m.homeScore! : m.awayScore!;
          const ga = m.home.id === id ? m.awayScore! : m.homeScore!;
          summary.played++;
          summary.goalsFor += gf;
          summary.goalsAgainst += ga;
          if (gf > ga) summary.won++; else if (gf === ga) summary.drawn++; else summary.lost++;
        }
        const next = all.find((m) => m.status === "scheduled" && m.kickoff.getTime() > Date.now()) ?? null;
        return {
          body: { data: { team: toTeam(team), opponent: toTeam(other), summary, matches: played.slice(0, q.limit ?? 10).map(matchLite), next: next && matchLite(next) } },
          ttl: 3600,
        };
      }),
    );
  },
);

analyticsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/competitions/{code}/top-assists",
    request: { params: z.object({ code: competitionParam }), query: z.object({ season: seasonParam.optional(), limit: limitParam.optional() }).strict() },
    tags: ["Analytics"],
    summary: "Assists table from our player season figures (update_team_stats)",
    responses: readResponses(LeadersSchema, "Assists table from our player season figures (update_team_stats).", 404),
  }),
  (c) => {
    const { code } = c.req.valid("param");
    const q = c.req.valid("query");
    return cached(
      readThrough(c, [tags.topScorers(code)], async () => {
        const db = c.var.db();
        const year = q.season ?? (await latestSeason(db, code));
        const season = year == null ? null : await findSeason(db, code, year);
        if (!season || year == null) throw problem(404, `No data stored for ${code}${q.season != null ? ` season ${q.season}` : ""} yet.`);
        const rows = await playerLeaders(db, season.seasonId, "assists", q.limit ?? 20);
        return { body: { data: rows.map(toLeader), meta: { competition: code, season: year, basis: "player_season_computed" } }, ttl: 3600 };
      }),
    );
  },
);

export const toLeader = (r: Awaited<ReturnType<typeof playerLeaders>>[number]) => {
  const s = r.stats as { penaltyGoals?: number; appearances?: number | null; minutes?: number | null; per90?: { goals: number; assists: number | null; goalsAndAssists: number | null } | null };
  return {
    player: { id: r.player_id, name: r.player_name },
    team: r.team_id != null ? toTeam({ id: r.team_id, name: r.team_name!, shortName: r.short_name, crestUrl: r.crest_url }) : null,
    goals: r.goals,
    assists: r.assists,
    penaltyGoals: s.penaltyGoals ?? 0,
    appearances: s.appearances ?? null,
    minutes: s.minutes ?? null,
    per90: s.per90 ?? null,
  };
};

analyticsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/players/{id}/market-values",
    request: { params: z.object({ id: idParam }) },
    tags: ["Analytics"],
    summary: "Weekly market-value estimates, newest first, each with its features and the model's terms",
    responses: readResponses(MarketValuesSchema, "Weekly market-value estimates, newest first, each with its features and the model's terms.", 404),
  }),
  (c) => {
    const { id } = c.req.valid("param");
    return cached(
      readThrough(c, [tags.players()], async () => {
        const db = c.var.db();
        const player = await getPlayer(db, id);
        if (!player) throw problem(404, `No player with id ${id}.`);
        const values = (await marketValueHistory(db, id)).map((v) => {
          const explained = v.modelVersion === MARKET_MODEL.version ? explainValue(v.features as MarketFeatures) : null;
          return { ...v, features: v.features as Record<string, unknown>, explanation: explained && { baseEur: explained.baseEur, terms: explained.terms, modelEur: explained.modelEur, previousEur: explained.previousEur, previousWeight: explained.previousWeight, valueEur: explained.valueEur } };
        });
        return {
          body: {
            data: { player: { id: player.id, name: player.name }, values },
            meta: { currentModel: MARKET_MODEL.version, note: "An estimate from a judgement-set log-linear model, not a transfer fee or a provider figure; see the README." },
          },
          ttl: 3600,
        };
      }),
    );
  },
);

