// How long a cached body may be served, from what it holds: seconds while a match is in play, a day once all
// are settled.
import { isInPlay, type MatchStatus } from "../domain/vocabulary";

/** Seconds a body with these matches may be cached: seconds while live, a day once all are settled. */
export function ttlForMatches(statuses: MatchStatus[]): number {
  if (statuses.some(isInPlay)) return 10;
  if (statuses.every((s) => s === "finished" || s === "cancelled" || s === "abandoned" || s === "awarded")) return statuses.length ? 86_400 : 300;
  return 300;
}
