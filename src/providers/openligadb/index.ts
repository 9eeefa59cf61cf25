// OpenLigaDB as a ProviderAdapter: no key, no published rate limit (we stay polite: 30 requests a minute).
// Live: the current matchday (`/getcurrentgroup`) is refetched only when `/getlastchangedate` moved.
import type { ProviderAdapter } from "../adapter";
import { COMPETITIONS } from "../../domain/competitions";
import { createOpenLigaDbClient } from "./client";
import { normalizeMatches } from "./normalize";

const NO_BUDGET = { remaining: null, resetSeconds: null };

export const openLigaDb: ProviderAdapter = {
  provider: "openligadb",
  isConfigured: () => true,
  covers: (code) => Boolean(COMPETITIONS[code].ids.openligadb),
  requestsPerMinute: (config) => config.openligadb.requestsPerMinute,

  async seasonMatches({ config, now }, competition, season, opts = {}) {
    const raw = await createOpenLigaDbClient(config).getMatchData(league(competition), season, opts.matchday);
    return { data: normalizeMatches(raw, { competition, season, now }), budget: NO_BUDGET };
  },

  async liveMatches({ config, now, checkpoint }, competitions, season) {
    const client = createOpenLigaDbClient(config);
    const batches = [];
    const checkpoints: Record<string, string> = {};
    for (const competition of competitions.filter((c) => openLigaDb.covers(c))) {
      const group = await client.getCurrentGroup(league(competition));
      // One cheap request tells whether the matchday changed since we last stored it.
      const key = `openligadb:lastchange:${league(competition)}:${season}:${group.groupOrderID}`;
      const lastChange = await client.getLastChangeDate(league(competition), season, group.groupOrderID);
      if (checkpoint && (await checkpoint(key)) === lastChange) continue;
      checkpoints[key] = lastChange;
      const raw = await client.getMatchData(league(competition), season, group.groupOrderID);
      const batch = normalizeMatches(raw, { competition, season, now });
      batches.push({ ...batch, matches: batch.matches.filter((m) => m.status !== "scheduled" || m.kickoff <= now) });
    }
    return { data: batches, budget: NO_BUDGET, checkpoints };
  },
};

function league(code: Parameters<ProviderAdapter["covers"]>[0]): string {
  const id = COMPETITIONS[code].ids.openligadb;
  if (!id) throw new Error(`OpenLigaDB does not cover ${code}`);
  return id;
}
