// Public response shapes (API.md): database rows → JSON, camelCase, times ISO 8601 UTC.
import type { MatchRow } from "../db/queries/matches";
import type { MatchStatus } from "../db/schema";

export interface TeamRef {
  id: number;
  name: string;
  shortName: string | null;
  crest?: string | null;
}

export const toTeam = (t: { id: number; name: string; shortName: string | null; crestUrl?: string | null }): TeamRef => ({
  id: t.id,
  name: t.name,
  shortName: t.shortName,
  crest: t.crestUrl ?? null,
});

export function toMatch(m: MatchRow) {
  return {
    id: m.id,
    competition: { code: m.competitionCode },
    season: m.season,
    matchday: m.matchday,
    stage: m.stage,
    group: m.group,
    kickoff: m.kickoff.toISOString().replace(/\.000Z$/, "Z"),
    /** The provider has not fixed the kickoff time yet. */
    kickoffTentative: m.kickoffTentative,
    status: m.status,
    minute: m.minute,
    home: toTeam(m.home),
    away: toTeam(m.away),
    score: {
      home: m.homeScore,
      away: m.awayScore,
      halftime: { home: m.halftimeHome, away: m.halftimeAway },
    },
    venue: m.venue,
  };
}

export interface EventRow {
  id: number;
  minute: number | null;
  extraMinute: number | null;
  type: string;
  teamId: number | null;
  playerId: number | null;
  playerName: string | null;
  assistId: number | null;
  assistName: string | null;
  detail: string | null;
  scoreHome: number | null;
  scoreAway: number | null;
}

export const toEvent = (e: EventRow) => ({
  /** Stable while the provider keeps reporting the event (live clients key their lists by it). */
  id: e.id,
  minute: e.minute,
  extraMinute: e.extraMinute,
  type: e.type,
  team: e.teamId != null ? { id: e.teamId } : null,
  // A player the provider named without an id still shows, with `id: null`.
  player: e.playerId != null || e.playerName ? { id: e.playerId, name: e.playerName } : null,
  assist: e.assistId != null || e.assistName ? { id: e.assistId, name: e.assistName } : null,
  detail: e.detail,
  score: e.scoreHome != null && e.scoreAway != null ? { home: e.scoreHome, away: e.scoreAway } : null,
});

const IN_PLAY: MatchStatus[] = ["live", "halftime", "extra_time", "penalties"];
export const isInPlay = (s: MatchStatus) => IN_PLAY.includes(s);

/** Seconds a body with these matches may be cached: seconds while live, a day once all are settled. */
export function ttlForMatches(statuses: MatchStatus[]): number {
  if (statuses.some(isInPlay)) return 10;
  if (statuses.every((s) => s === "finished" || s === "cancelled" || s === "abandoned" || s === "awarded")) return statuses.length ? 86_400 : 300;
  return 300;
}
