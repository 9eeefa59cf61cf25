// The canonical vocabulary: who reports (providers), what state a match is in, what happens in it, and which kinds
// of entity have provider ids. The database enums (src/db/schema.ts) are built from these lists.

export const PROVIDERS = ["openligadb", "api_football", "football_data"] as const;
export type Provider = (typeof PROVIDERS)[number];

export const MATCH_STATUSES = [
  "scheduled",
  "live",
  "halftime",
  "extra_time",
  "penalties",
  "finished",
  "postponed",
  "suspended",
  "cancelled",
  "abandoned",
  "awarded",
] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export const EVENT_TYPES = [
  "goal",
  "own_goal",
  "penalty_goal",
  "missed_penalty",
  "yellow_card",
  "second_yellow",
  "red_card",
  "substitution",
  "var",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ENTITY_KINDS = ["competition", "team", "player", "match"] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** States in which a match is being played (the clock runs or is paused at half-time / before a shoot-out). */
export const IN_PLAY_STATUSES: readonly MatchStatus[] = ["live", "halftime", "extra_time", "penalties"];
export const isInPlay = (s: MatchStatus) => IN_PLAY_STATUSES.includes(s);
