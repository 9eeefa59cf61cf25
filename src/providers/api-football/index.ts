// API-Football v3 as a ProviderAdapter. Requests per minute: 10, the free plan's limit (the `rateLimit` error
// text says "Your rate limit is 10 requests per minute"; paid plans allow more, and the budget headers tell the
// rate gate what is really left). The free plan also caps requests per day (100) — the daily header and the
// `requests` error close the gate until 00:00 UTC.
//   seasonMatches → GET /fixtures?league=&season= (leagues with a matchday: + round=Regular Season - N)
//   liveMatches   → GET /fixtures?live=<league ids joined by '-'>, one MatchBatch per competition + league.season
//   matchesByRefs → GET /fixtures?ids=<ids joined by '-'> (≤ 20): fixtures that dropped out of the live list
//   standings     → GET /standings?league=&season=
//   playerStats   → GET /players?league=&season=&page=
//   matchDetails  → GET /fixtures?ids=<≤ 20 ids>: lineups, statistics and players of 20 matches in ONE request
//   odds          → GET /odds?league=&season=&page= (10 fixtures a page; only fixtures with odds now, i.e. the
//                   coming days: API-Football keeps pre-match odds from ~14 days before kickoff)
//   prediction    → GET /predictions?fixture= (one request per match)
//   teamDetails   → GET /teams?league=&season= (every team with its venue, one request)
// Outside the interface: fixtureEvents (GET /fixtures/events?fixture=), topScorers (GET /players/topscorers) and
// fixtureDetailPart (GET /fixtures/lineups|statistics|players?fixture=: one part of one match, for backfills;
// the jobs use matchDetails, which costs one request for all three parts of 20 matches).
import { MATCH_DETAILS_MAX, MATCHES_BY_REFS_MAX, type AdapterContext, type Fetched, type ProviderAdapter } from "../adapter";
import type { EventRecord, MatchBatch, MatchDetailBatch, MatchTarget, PlayerRecord, PlayerStatsBatch, TeamRecord } from "../../domain/canonical";
import { COMPETITIONS, type CompetitionCode } from "../../domain/competitions";
import { createApiFootballClient } from "./client";
import { normalizeEvents, normalizeFixtures, normalizePlayers, normalizeStandings, parseFixtures, teamOf } from "./normalize";
import { afEvent, parseItems } from "./schema";
import { normalizeDetailResponse, normalizeFixtureDetails, normalizeOdds, normalizePrediction, normalizeTeamInfos } from "./detail-normalize";

const NO_BUDGET = { remaining: null, resetSeconds: null };

export const apiFootball: ProviderAdapter = {
  provider: "api_football",
  isConfigured: (config) => Boolean(config.apiFootball.key),
  covers: (code) => COMPETITIONS[code].ids.apiFootball != null,
  requestsPerMinute: (config) => config.apiFootball.requestsPerMinute,

  async seasonMatches({ config, now }, competition, season, opts = {}) {
    const league = leagueId(competition);
    const isLeague = COMPETITIONS[competition].type === "league";
    const query = { league, season, ...(opts.matchday && isLeague ? { round: `Regular Season - ${opts.matchday}` } : {}) };
    const { data, budget } = await client(config, now).get("fixtures", query, parseFixtures);
    const batch = normalizeFixtures(data.items, { competition, season }, data.invalid);
    // Cups have no "Regular Season - N" round: the whole season was fetched, keep the asked matchday.
    if (opts.matchday && !isLeague) batch.matches = batch.matches.filter((m) => m.matchday === opts.matchday);
    return { data: batch, budget };
  },

  async liveMatches({ config, now }, competitions, season) {
    const tracked = [...new Set(competitions.filter((c) => apiFootball.covers(c)))];
    if (!tracked.length) return { data: [], budget: NO_BUDGET };
    const byLeague = new Map(tracked.map((c) => [leagueId(c), c]));
    const { data, budget } = await client(config, now).get("fixtures", { live: [...byLeague.keys()].join("-") }, parseFixtures);
    const groups = new Map<string, { competition: CompetitionCode; season: number; items: typeof data.items }>();
    // One batch per tracked competition for the asked season (possibly empty), plus any other season seen.
    for (const c of tracked) groups.set(`${c}:${season}`, { competition: c, season, items: [] });
    const foreign: string[] = [];
    for (const item of data.items) {
      const competition = byLeague.get(item.league.id);
      if (!competition) {
        foreign.push(`match ${item.fixture.id}: league ${item.league.id} was not asked for, left out`);
        continue;
      }
      const s = item.league.season ?? season;
      const key = `${competition}:${s}`;
      if (!groups.has(key)) groups.set(key, { competition, season: s, items: [] });
      groups.get(key)!.items.push(item);
    }
    const batches: MatchBatch[] = [...groups.values()].map((g) => normalizeFixtures(g.items, { competition: g.competition, season: g.season }));
    batches[0]!.discarded.unshift(...data.invalid, ...foreign);
    return { data: batches, budget };
  },

  async matchesByRefs({ config, now }, competition, season, refs) {
    // GET /fixtures?ids=1-2-3 (at most 20): the final state of fixtures that left the live list.
    const { data, budget } = await client(config, now).get("fixtures", { ids: refs.slice(0, MATCHES_BY_REFS_MAX).join("-") }, parseFixtures);
    const items = data.items.filter((item) => item.league.id === leagueId(competition));
    return { data: normalizeFixtures(items, { competition, season }, data.invalid), budget };
  },

  async standings({ config, now }, competition, season) {
    const league = leagueId(competition);
    const { data, budget } = await client(config, now).get("standings", { league, season }, (r) => normalizeStandings(r, { competition, season, leagueId: league }));
    logDiscarded("standings", competition, season, data.discarded);
    return { data, budget };
  },

  async playerStats({ config, now }, competition, season, page) {
    const league = leagueId(competition);
    const res = await client(config, now).get("players", { league, season, page }, (r) => r);
    const data = normalizePlayers(res.data, { competition, season, leagueId: league, page, paging: res.paging });
    logDiscarded("players", competition, season, data.discarded);
    return { data, budget: res.budget };
  },

  async matchDetails({ config, now }, targets) {
    const asked = targets.slice(0, MATCH_DETAILS_MAX);
    const res = await client(config, now).get("fixtures", { ids: asked.map((t) => t.ref).join("-") }, (r) => r);
    const batch = normalizeFixtureDetails(res.data);
    // Keep only what was asked, and only for the teams we know the fixture by (ids are the provider's own).
    const known = new Map(asked.map((t) => [t.ref, t]));
    batch.details = batch.details.filter((d) => {
      const ok = known.has(d.matchRef);
      if (!ok) batch.discarded.push(`match ${d.matchRef}: not asked for, left out`);
      return ok;
    });
    return { data: batch, budget: res.budget };
  },

  async odds({ config, now }, competition, season, page) {
    const res = await client(config, now).get("odds", { league: leagueId(competition), season, page }, (r) => r);
    return { data: normalizeOdds(res.data, { page, paging: res.paging }), budget: res.budget };
  },

  async prediction({ config, now }, target) {
    const res = await client(config, now).get("predictions", { fixture: target.ref }, (r) => r);
    return { data: normalizePrediction(res.data, target), budget: res.budget };
  },

  async teamDetails({ config, now }, competition, season) {
    const res = await client(config, now).get("teams", { league: leagueId(competition), season }, (r) => r);
    return { data: normalizeTeamInfos(res.data, { competition, season }), budget: res.budget };
  },
};

/** One detail part of one fixture from its own endpoint (GET /fixtures/lineups|statistics|players?fixture=). */
export async function fixtureDetailPart(
  { config, now }: AdapterContext,
  part: "lineups" | "statistics" | "players",
  target: MatchTarget,
): Promise<Fetched<MatchDetailBatch>> {
  const res = await client(config, now).get(`fixtures/${part}`, { fixture: target.ref }, (r) => r);
  return { data: normalizeDetailResponse(part, res.data, target), budget: res.budget };
}

/** Top scorers of a competition season (GET /players/topscorers): the same item shape as /players, one page. */
export async function topScorers({ config, now }: AdapterContext, competition: CompetitionCode, season: number): Promise<Fetched<PlayerStatsBatch>> {
  const league = leagueId(competition);
  const res = await client(config, now).get("players/topscorers", { league, season }, (r) => r);
  const data = normalizePlayers(res.data, { competition, season, leagueId: league, page: 1, paging: res.paging });
  logDiscarded("topscorers", competition, season, data.discarded);
  return { data, budget: res.budget };
}

export interface FixtureEvents {
  events: EventRecord[];
  teams: TeamRecord[];
  players: PlayerRecord[];
  discarded: string[];
}

/**
 * The events of one fixture (GET /fixtures/events?fixture=). The payload does not say which team is at home,
 * so the caller passes both team refs (and the fixture's score, when known, to reconcile the running score).
 */
export async function fixtureEvents(
  { config, now }: AdapterContext,
  fixtureId: number,
  match: { homeRef: string; awayRef: string; goals?: { home: number; away: number } | null },
): Promise<Fetched<FixtureEvents>> {
  const res = await client(config, now).get("fixtures/events", { fixture: fixtureId }, (r) => r);
  const raw = Array.isArray(res.data) ? res.data : [];
  const players = new Map<string, PlayerRecord>();
  const discarded: string[] = Array.isArray(res.data) ? [] : [`fixture ${fixtureId}: events response is not a list`];
  const events = normalizeEvents(raw, { matchRef: String(fixtureId), homeRef: match.homeRef, awayRef: match.awayRef, goals: match.goals ?? null, players, notes: discarded });
  const teams = new Map<string, TeamRecord>();
  for (const e of parseItems(afEvent, raw, "event").items) {
    const ref = e.team.id != null ? String(e.team.id) : null;
    const team = teamOf(e.team);
    if (ref && team && (ref === match.homeRef || ref === match.awayRef)) teams.set(ref, team);
  }
  return { data: { events, teams: [...teams.values()], players: [...players.values()], discarded }, budget: res.budget };
}

function client(config: AdapterContext["config"], now: Date) {
  // The adapter's clock (a fixed one in tests) dates the budget and quota resets.
  return createApiFootballClient(config, () => now);
}

function leagueId(code: CompetitionCode): number {
  const id = COMPETITIONS[code].ids.apiFootball;
  if (id == null) throw new Error(`API-Football does not cover ${code}`);
  return id;
}

/** Standings and player batches have no `discarded` field: say what was dropped in the log instead. */
function logDiscarded(what: string, competition: CompetitionCode, season: number, discarded: string[]): void {
  if (discarded.length) console.warn(JSON.stringify({ msg: "provider data discarded", provider: "api_football", what, competition, season, discarded: discarded.slice(0, 20), count: discarded.length }));
}
