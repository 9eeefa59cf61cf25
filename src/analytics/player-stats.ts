// Player season stats for one competition season: goals, penalties, own goals, assists and cards counted from
// the canonical match events (each match's best provider list), merged with what providers report per season
// (appearances, minutes, rating — and goals/assists/cards when no match of the season has such events).
// Counting goals from the same events that make the team totals keeps them consistent: a team's goals are its
// players' goals plus the own goals its opponents scored (tested).

export interface SeasonEvent {
  matchId: number;
  type: string;
  teamId: number | null;
  playerId: number | null;
  assistPlayerId: number | null;
}

export interface ProviderSeasonStats {
  playerId: number;
  teamId: number | null;
  appearances: number | null;
  minutes: number | null;
  goals: number | null;
  assists: number | null;
  penalties: number | null;
  yellowCards: number | null;
  redCards: number | null;
  rating: number | null;
  source: string;
}

export interface PlayerSeasonFigures {
  playerId: number;
  teamId: number | null;
  goals: number;
  penaltyGoals: number;
  ownGoals: number;
  missedPenalties: number;
  assists: number | null;
  yellowCards: number | null;
  redCards: number | null;
  appearances: number | null;
  minutes: number | null;
  rating: number | null;
  per90: { goals: number; assists: number | null; goalsAndAssists: number | null } | null;
  /** Where each figure comes from: "match_events" or the provider name. */
  basis: { goals: string; assists: string | null; cards: string | null; appearances: string | null };
}

const GOALS = new Set(["goal", "penalty_goal"]);
const CARDS = new Set(["yellow_card", "second_yellow", "red_card"]);

export function computePlayerSeasonStats(events: SeasonEvent[], provider: ProviderSeasonStats[]): PlayerSeasonFigures[] {
  const hasGoals = events.some((e) => GOALS.has(e.type) || e.type === "own_goal");
  const hasAssists = events.some((e) => GOALS.has(e.type) && e.assistPlayerId != null);
  const hasCards = events.some((e) => CARDS.has(e.type));
  const out = new Map<number, PlayerSeasonFigures>();
  const reported = new Map(provider.map((p) => [p.playerId, p]));
  const get = (playerId: number, teamId: number | null) => {
    let r = out.get(playerId);
    if (!r) {
      const p = reported.get(playerId);
      r = {
        playerId,
        teamId: teamId ?? p?.teamId ?? null,
        goals: hasGoals ? 0 : (p?.goals ?? 0),
        penaltyGoals: hasGoals ? 0 : (p?.penalties ?? 0),
        ownGoals: 0,
        missedPenalties: 0,
        assists: hasAssists ? 0 : (p?.assists ?? null),
        yellowCards: hasCards ? 0 : (p?.yellowCards ?? null),
        redCards: hasCards ? 0 : (p?.redCards ?? null),
        appearances: p?.appearances ?? null,
        minutes: p?.minutes ?? null,
        rating: p?.rating ?? null,
        per90: null,
        basis: {
          goals: hasGoals ? "match_events" : (p?.source ?? "match_events"),
          assists: hasAssists ? "match_events" : p?.assists != null ? p.source : null,
          cards: hasCards ? "match_events" : p?.yellowCards != null ? p.source : null,
          appearances: p?.appearances != null ? p.source : null,
        },
      };
      out.set(playerId, r);
    }
    if (teamId != null && r.teamId == null) r.teamId = teamId;
    return r;
  };
  for (const p of provider) get(p.playerId, p.teamId);
  for (const e of events) {
    if (e.playerId != null) {
      // Own goals are credited to the benefiting team; the scorer plays for the other one (team unknown here).
      const r = get(e.playerId, e.type === "own_goal" ? null : e.teamId);
      if (GOALS.has(e.type)) {
        r.goals++;
        if (e.type === "penalty_goal") r.penaltyGoals++;
      } else if (e.type === "own_goal") r.ownGoals++;
      else if (e.type === "missed_penalty") r.missedPenalties++;
      else if (e.type === "yellow_card") r.yellowCards = (r.yellowCards ?? 0) + 1;
      else if (e.type === "second_yellow") { r.yellowCards = (r.yellowCards ?? 0) + 1; r.redCards = (r.redCards ?? 0) + 1; }
      else if (e.type === "red_card") r.redCards = (r.redCards ?? 0) + 1;
    }
    if (GOALS.has(e.type) && e.assistPlayerId != null) {
      const a = get(e.assistPlayerId, e.teamId);
      a.assists = (a.assists ?? 0) + 1;
    }
  }
  for (const r of out.values()) {
    if (r.minutes && r.minutes > 0) {
      const per = (n: number) => Math.round(((n * 90) / r.minutes!) * 100) / 100;
      r.per90 = { goals: per(r.goals), assists: r.assists != null ? per(r.assists) : null, goalsAndAssists: r.assists != null ? per(r.goals + r.assists) : null };
    }
  }
  return [...out.values()].sort((a, b) => a.playerId - b.playerId);
}
