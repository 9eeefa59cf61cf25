// Which provider's values win when several describe the same match, team or player (README "Identity and
// precedence"). Used when storing (who may overwrite) and when reading (whose event list is shown).
import { sql, type SQL } from "drizzle-orm";
import type { Provider } from "../db/schema";

/** Lower index = higher precedence, per entity kind. */
export const PRECEDENCE: Record<"match" | "team" | "player", Provider[]> = {
  // Minute-level live data and the widest coverage first; OpenLigaDB is community-maintained.
  match: ["api_football", "football_data", "openligadb"],
  // football-data has the cleanest club names, short names and TLAs.
  team: ["football_data", "api_football", "openligadb"],
  player: ["api_football", "football_data", "openligadb"],
};

/** The precedence as a Postgres array, for `array_position(…, provider)` comparisons in SQL. */
export const precedenceSql = (kind: keyof typeof PRECEDENCE): SQL =>
  sql`array[${sql.join(PRECEDENCE[kind].map((p) => sql`${p}`), sql`, `)}]::provider[]`;
