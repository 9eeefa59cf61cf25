// football-data.org v4 as a ProviderAdapter. Needs FOOTBALL_DATA_TOKEN. Budget: the free tier allows 10 requests a
// minute (football-data.org pricing: "Free … 10 calls/minute"); every answer also reports what is left
// (`X-Requests-Available-Minute`, `X-RequestCounter-Reset`), which the rate gate observes.
// Requests (one per call, never paged):
//   seasonMatches → GET /competitions/{code}/matches?season=[&matchday=]
//   liveMatches   → GET /matches?competitions={codes joined by ,}&status=IN_PLAY,PAUSED
//   standings     → GET /competitions/{code}/standings?season=
//   playerStats   → GET /competitions/{code}/scorers?season=&limit=100 (the top 100 scorers; nextPage null)
//   teamDetails   → GET /competitions/{code}/teams?season= (every club as /teams/{id} gives it, one request)
// The free tier's scores are delayed (live scores are a paid add-on), so "live" from it lags the real match.
// Coverage: the registry's ids. The free tier does not include every one of them (BL2, EL answer 403 "restricted"),
// which surfaces as a `rejected` ProviderError for that unit.
import { MATCHES_BY_REFS_MAX, type ProviderAdapter } from "../adapter";
import type { RateBudget } from "../../domain/canonical";
import { COMPETITIONS, type CompetitionCode } from "../../domain/competitions";
import { createFootballDataClient } from "./client";
import { normalizeByCompetition, normalizeMatchList, normalizeScorers, normalizeStandings } from "./normalize";
import { normalizeClubs } from "./teams";

/** The scorers endpoint is not paged: one request with the largest list we use. */
export const SCORERS_LIMIT = 100;
export const LIVE_STATUSES = ["IN_PLAY", "PAUSED"] as const;

const NO_BUDGET: RateBudget = { remaining: null, resetSeconds: null };

export const footballData: ProviderAdapter = {
  provider: "football_data",
  isConfigured: (config) => Boolean(config.footballData.token),
  covers: (code) => Boolean(COMPETITIONS[code].ids.footballData),
  requestsPerMinute: (config) => config.footballData.requestsPerMinute,

  async seasonMatches({ config }, competition, season, opts = {}) {
    const { data, budget } = await createFootballDataClient(config).competitionMatches(code(competition), { season, matchday: opts.matchday });
    return { data: normalizeMatchList(data, { competition, season }), budget };
  },

  async liveMatches({ config }, competitions, season) {
    const wanted = competitions.filter((c) => footballData.covers(c));
    if (!wanted.length) return { data: [], budget: NO_BUDGET };
    const { data, budget } = await createFootballDataClient(config).matches({ competitions: wanted.map(code), status: LIVE_STATUSES });
    return { data: normalizeByCompetition(data.matches, { competitions: wanted, fallbackSeason: season }), budget };
  },

  async matchesByRefs({ config }, competition, season, refs) {
    // GET /matches?ids=1,2,3: the final state of matches that left the in-play list.
    const { data, budget } = await createFootballDataClient(config).matches({ ids: refs.slice(0, MATCHES_BY_REFS_MAX) });
    const [batch] = normalizeByCompetition(data.matches, { competitions: [competition], fallbackSeason: season });
    return { data: batch ?? { provider: "football_data", competition, season, teams: [], players: [], matches: [], discarded: [] }, budget };
  },

  async standings({ config }, competition, season) {
    const { data, budget } = await createFootballDataClient(config).standings(code(competition), { season });
    return { data: normalizeStandings(data, { competition, season }), budget };
  },

  async playerStats({ config }, competition, season) {
    const { data, budget } = await createFootballDataClient(config).scorers(code(competition), { season, limit: SCORERS_LIMIT });
    return { data: normalizeScorers(data, { competition, season }), budget };
  },

  async teamDetails({ config }, competition, season) {
    const { data, budget } = await createFootballDataClient(config).competitionTeams(code(competition), { season });
    return { data: normalizeClubs(data.teams, { competition, season }), budget };
  },
};

function code(competition: CompetitionCode): string {
  const id = COMPETITIONS[competition].ids.footballData;
  if (!id) throw new Error(`football-data.org does not cover ${competition}`);
  return id;
}
