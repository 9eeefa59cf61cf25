// update_matches for OpenLigaDB: fetch the season (or one matchday), normalize, store in one transaction.
import type { Database } from "../../db/client";
import type { Config } from "../../env";
import { createOpenLigaDbClient } from "../../providers/openligadb/client";
import { normalizeMatches } from "../../providers/openligadb/normalize";
import { COMPETITIONS } from "../../providers/registry";
import type { IngestUnit } from "../messages";
import { storeMatchBatch, type StoreResult } from "../store";

export async function updateMatchesFromOpenLigaDb(db: Database, config: Config, unit: IngestUnit, now: Date): Promise<StoreResult & { discarded: string[] }> {
  const league = COMPETITIONS[unit.competition].ids.openligadb;
  if (!league) throw new Error(`OpenLigaDB does not cover ${unit.competition}`);
  // Fetch before opening the transaction: no connection is held while waiting on the provider.
  const raw = await createOpenLigaDbClient(config).getMatchData(league, unit.season, unit.matchday);
  const batch = normalizeMatches(raw, { competition: unit.competition, season: unit.season, now });
  const result = await db.transaction((tx) => storeMatchBatch(tx, batch));
  return { ...result, discarded: batch.discarded };
}
