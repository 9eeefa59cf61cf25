// One match's detail for /v1/matches/{id}: lineups, team statistics, player match stats, odds and predictions,
// in ONE SQL round trip (a subquery per part, each null when nothing is stored: never an empty invention).
// Rows come back as JSON with the columns' own (snake_case) names; src/api/detail-shapes.ts shapes them.
import { sql } from "drizzle-orm";
import type { Queryable } from "../client";

export interface LineupRow {
  team_id: number;
  provider: string;
  formation: string | null;
  coach: string | null;
  start_xi: { playerId: number | null; name: string | null; number: number | null; position: string | null; grid: string | null }[];
  substitutes: { playerId: number | null; name: string | null; number: number | null; position: string | null; grid: string | null }[];
  updated_at: string;
}

export interface TeamStatsRow {
  team_id: number;
  provider: string;
  possession: number | null;
  shots: number | null;
  shots_on_target: number | null;
  corners: number | null;
  fouls: number | null;
  offsides: number | null;
  yellow_cards: number | null;
  red_cards: number | null;
  passes: number | null;
  pass_accuracy: number | null;
  expected_goals: number | null;
  extra: Record<string, number> | null;
  updated_at: string;
}

export interface PlayerStatsRow {
  player_id: number;
  name: string | null;
  team_id: number;
  provider: string;
  number: number | null;
  position: string | null;
  captain: boolean | null;
  substitute: boolean | null;
  minutes: number | null;
  rating: number | null;
  goals: number | null;
  assists: number | null;
  shots: number | null;
  shots_on_target: number | null;
  passes: number | null;
  key_passes: number | null;
  passes_accurate: number | null;
  tackles: number | null;
  duels: number | null;
  duels_won: number | null;
  dribbles: number | null;
  dribbles_success: number | null;
  yellow_cards: number | null;
  red_cards: number | null;
  extra: Record<string, number> | null;
  updated_at: string;
}

export interface OddsRow {
  provider: string;
  bookmaker_id: string;
  bookmaker: string;
  market: string;
  line: string;
  selections: { name: string; odds: number }[];
  source_updated_at: string | null;
  updated_at: string;
}

export interface PredictionRow {
  source: string;
  home_win: number | null;
  draw: number | null;
  away_win: number | null;
  winner_team_id: number | null;
  winner_comment: string | null;
  win_or_draw: boolean | null;
  under_over: string | null;
  goals_home: string | null;
  goals_away: string | null;
  advice: string | null;
  comparison: Record<string, { home: number | null; away: number | null }> | null;
  updated_at: string;
}

export interface MatchDetailRows {
  home_team_id: number;
  away_team_id: number;
  lineups: LineupRow[] | null;
  statistics: TeamStatsRow[] | null;
  player_stats: PlayerStatsRow[] | null;
  odds: OddsRow[] | null;
  predictions: PredictionRow[] | null;
}

/** The detail parts of one match, home team first; null when the match does not exist. */
export async function getMatchDetail(db: Queryable, id: number): Promise<MatchDetailRows | null> {
  const rows = await db.execute<MatchDetailRows & Record<string, unknown>>(sql`
    select m.home_team_id, m.away_team_id,
      (select json_agg(to_jsonb(l) order by l.team_id <> m.home_team_id) from lineups l where l.match_id = m.id) as lineups,
      (select json_agg(to_jsonb(s) order by s.team_id <> m.home_team_id) from match_team_stats s where s.match_id = m.id) as statistics,
      (select json_agg(to_jsonb(p) || jsonb_build_object('name', pl.name)
                       order by p.team_id <> m.home_team_id, p.substitute nulls last, p.minutes desc nulls last, p.number nulls last, p.player_id)
         from match_player_stats p join players pl on pl.id = p.player_id where p.match_id = m.id) as player_stats,
      (select json_agg(to_jsonb(o) order by o.market, o.line, o.bookmaker, o.provider) from match_odds o where o.match_id = m.id) as odds,
      (select json_agg(to_jsonb(r) order by r.source) from match_predictions r where r.match_id = m.id) as predictions
    from matches m where m.id = ${id}`);
  return rows.rows[0] ?? null;
}
