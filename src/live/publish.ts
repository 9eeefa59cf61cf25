// The one hand-off from ingestion to live rooms: every stored change of a match passes through here. For each
// changed match it loads the match's state from Postgres (the same shapes the REST API serves) and hands it to
// the match's MatchRoom, which diffs it against what it holds and broadcasts only what changed (publishing the
// same state twice sends nothing). A finished match is published too: its final status is the room's last change.
// Publishing never fails ingestion: the data is stored, and the room catches up on the next publish.
import { toEvent, toMatch } from "../domain/wire";
import type { Queryable } from "../db/client";
import { getMatchWithEvents } from "../db/queries/matches";
import type { AppEnv } from "../env";
import { matchRoom } from "./match-room";
import type { LiveMatchState } from "./protocol";

export interface MatchChange {
  matchId: number;
  competition: string;
  season: number;
}

/** The room's view of a stored match, or null when the match does not exist. */
export async function loadLiveState(db: Queryable, matchId: number): Promise<LiveMatchState | null> {
  const found = await getMatchWithEvents(db, matchId);
  return found ? { match: toMatch(found.match), events: found.events.map(toEvent) } : null;
}

/** Publishes each changed match once; returns how many rooms accepted their state. */
export async function publishMatchChanges(env: AppEnv, db: Queryable, changes: MatchChange[]): Promise<number> {
  const ids = [...new Set(changes.map((c) => c.matchId))];
  if (!ids.length) return 0;
  let published = 0;
  let messages = 0;
  const failed: { matchId: number; error: string }[] = [];
  // One at a time: the states come from one Postgres connection, and a live poll changes few matches.
  for (const matchId of ids) {
    try {
      const state = await loadLiveState(db, matchId);
      if (!state) continue;
      const result = await matchRoom(env, matchId).publish(state);
      published++;
      messages += result.messages;
    } catch (err) {
      failed.push({ matchId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  console.log(JSON.stringify({ msg: "live changes published", matches: ids, published, messages, ...(failed.length ? { failed } : {}) }));
  return published;
}
