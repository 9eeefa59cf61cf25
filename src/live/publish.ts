// The one hand-off from ingestion to live rooms: every stored change of a match in play passes through here.
// The live issue connects it to the match's MatchRoom Durable Object; until then it records what it would send.
import type { AppEnv } from "../env";

export interface MatchChange {
  matchId: number;
  competition: string;
  season: number;
}

export async function publishMatchChanges(_env: AppEnv, changes: MatchChange[]): Promise<number> {
  if (changes.length) console.log(JSON.stringify({ msg: "live changes", matches: changes.map((c) => c.matchId) }));
  return changes.length;
}
