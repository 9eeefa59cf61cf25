// OpenLigaDB HTTP client (no key). Base URL from config so tests and `npm run dev -- --demo` use the replay server.
import type { Config } from "../../env";
import { fetchJson } from "../http";
import { oldbCurrentGroup, oldbLastChange, oldbMatchList, type OldbMatch } from "./schema";

export const PROVIDER = "openligadb";

export function createOpenLigaDbClient(config: Config) {
  const { baseUrl } = config.openligadb;
  const timeoutMs = config.providerTimeoutMs;

  /** All matches of a season, or of one matchday (group) of it. */
  async function getMatchData(league: string, season: number, matchday?: number): Promise<OldbMatch[]> {
    const path = `/getmatchdata/${encodeURIComponent(league)}/${season}${matchday ? `/${matchday}` : ""}`;
    const { data } = await fetchJson({ provider: PROVIDER, url: baseUrl + path, timeoutMs, schema: oldbMatchList });
    return data;
  }

  /** The matchday the league is on now. */
  async function getCurrentGroup(league: string) {
    const { data } = await fetchJson({ provider: PROVIDER, url: `${baseUrl}/getcurrentgroup/${encodeURIComponent(league)}`, timeoutMs, schema: oldbCurrentGroup });
    return data;
  }

  /** When anything of a matchday last changed (a cheap request to skip refetching unchanged data). */
  async function getLastChangeDate(league: string, season: number, matchday: number) {
    const url = `${baseUrl}/getlastchangedate/${encodeURIComponent(league)}/${season}/${matchday}`;
    const { data } = await fetchJson({ provider: PROVIDER, url, timeoutMs, schema: oldbLastChange });
    return data;
  }

  return { getMatchData, getCurrentGroup, getLastChangeDate };
}
