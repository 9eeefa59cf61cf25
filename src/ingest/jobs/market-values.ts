// update_market_values (weekly, no provider): values every player of a league season who has provider season
// stats and plays for that team now, with the versioned model of analytics/market-value.ts. One row per player
// per week (as_of = Monday UTC of the run); a re-run in the same week writes only values that changed (0 rows on
// unchanged data); the previous value read is the latest one before this week, so re-runs do not feed on
// themselves.
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { marketValues } from "../../db/schema";
import { type Provider } from "../../domain/vocabulary";
import { findSeason } from "../../db/queries/analytics";
import { ageAt, explainValue, LEAGUE_STRENGTH, MARKET_MODEL, weekOf, type MarketFeatures } from "../../analytics/market-value";
import type { CompetitionCode } from "../../domain/competitions";
import { rowCounter, storeResult, type StoreResult } from "../store";

export async function runMarketValues(db: Database, competition: CompetitionCode, season: number, now: Date): Promise<StoreResult | { skippedBecause: string }> {
  const strength = LEAGUE_STRENGTH[competition];
  if (strength == null) return { skippedBecause: `${competition} is not a league we value players in (league strength unknown)` };
  const ref = await findSeason(db, competition, season);
  if (!ref) return { skippedBecause: `nothing stored for ${competition} ${season}` };
  const asOf = weekOf(now);
  // Age at the as-of date, or at the end of a past season (a 2018 season is valued as of July 2019).
  const refDate = new Date(Math.min(Date.parse(`${asOf}T00:00:00Z`), Date.UTC(season + 1, 6, 1)));
  const rows = (
    await db.execute<{
      player_id: number; birth_date: string | null; position: string | null; team_id: number | null; appearances: number | null; minutes: number | null;
      goals: number | null; assists: number | null; rating: number | null; source: Provider;
      team_games: number | null; elo: number | null; ppg: number | null; prev_value: string | null; prev_as_of: string | null;
    }>(sql`
      select p.id as player_id, p.birth_date::text as birth_date, p.position, s.team_id, s.appearances, s.minutes, s.goals, s.assists, s.rating,
             s.source_provider as source,
             coalesce((select max(st.played) from standings st where st.season_id = s.season_id and st.team_id = s.team_id and st.source = 'computed'),
                      (select max(st.played) from standings st where st.season_id = s.season_id and st.team_id = s.team_id),
                      (select max(o.appearances) from player_season_stats o where o.season_id = s.season_id and o.team_id = s.team_id)) as team_games,
             (select (ts.stats->'rating'->>'elo')::float8 from team_season_stats ts where ts.season_id = s.season_id and ts.team_id = s.team_id) as elo,
             (select st.points::float8 / nullif(st.played, 0) from standings st where st.season_id = s.season_id and st.team_id = s.team_id
              order by (st.source = 'computed') desc, st.source limit 1) as ppg,
             prev.value_eur as prev_value, prev.as_of::text as prev_as_of
      from player_season_stats s
      join players p on p.id = s.player_id
      left join lateral (select value_eur, as_of from market_values mv where mv.player_id = p.id and mv.as_of < ${asOf}::date
                         order by mv.as_of desc limit 1) prev on true
      where s.season_id = ${ref.seasonId} and (p.team_id is null or p.team_id = s.team_id)
        and (s.minutes is not null or s.appearances is not null)
      order by p.id`)
  ).rows;
  const values = rows.map((r) => {
    const features: MarketFeatures = {
      season,
      competition,
      age: ageAt(r.birth_date, refDate),
      position: (["Goalkeeper", "Defender", "Midfielder", "Attacker"] as const).find((x) => x === r.position) ?? null,
      appearances: r.appearances,
      minutes: r.minutes ?? (r.appearances != null ? r.appearances * 75 : null),
      minutesEstimated: r.minutes == null,
      teamGames: r.team_games,
      goals: r.goals ?? 0,
      assists: r.assists ?? 0,
      rating: r.rating == null ? null : Math.round(r.rating * 100) / 100,
      leagueStrength: strength,
      team: r.elo != null ? { id: r.team_id, basis: "elo", value: r.elo } : r.ppg != null ? { id: r.team_id, basis: "points_per_game", value: Math.round(r.ppg * 1000) / 1000 } : { id: r.team_id, basis: "none", value: null },
      previous: r.prev_value != null ? { valueEur: Number(r.prev_value), asOf: r.prev_as_of! } : null,
    };
    return { playerId: r.player_id, asOf, valueEur: explainValue(features).valueEur, modelVersion: MARKET_MODEL.version, features };
  });
  const { counts, add } = rowCounter();
  for (let i = 0; i < values.length; i += 500) {
    const written = await db
      .insert(marketValues)
      .values(values.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [marketValues.playerId, marketValues.asOf],
        set: { valueEur: sql`excluded.value_eur`, modelVersion: sql`excluded.model_version`, features: sql`excluded.features` },
        setWhere: sql`(${marketValues.valueEur}, ${marketValues.modelVersion}, ${marketValues.features}) is distinct from (excluded.value_eur, excluded.model_version, excluded.features)`,
      })
      .returning({ id: marketValues.id });
    add("market_values", written.length);
  }
  return storeResult(counts, { competition, season }, ref.seasonId, { changedTeamIds: [] });
}
