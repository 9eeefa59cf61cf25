// Wire shapes that both the REST API and the live protocol send (API.md): canonical rows → JSON, camelCase,
// times ISO 8601 UTC. The inputs are structural, so any row with these fields (src/db/queries) can be shaped.
import type { MatchStatus } from "./vocabulary";

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

/** A canonical match as read for serving (src/db/queries/matches.ts `MatchRow` has this shape). */
export interface MatchView {
  id: number;
  competitionCode: string;
  season: number;
  matchday: number | null;
  stage: string | null;
  group: string | null;
  kickoff: Date;
  kickoffTentative: boolean;
  status: MatchStatus;
  minute: number | null;
  home: { id: number; name: string; shortName: string | null; crestUrl?: string | null };
  away: { id: number; name: string; shortName: string | null; crestUrl?: string | null };
  homeScore: number | null;
  awayScore: number | null;
  halftimeHome: number | null;
  halftimeAway: number | null;
  venue: string | null;
}

export function toMatch(m: MatchView) {
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
