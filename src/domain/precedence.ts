// Which provider's values win when several describe the same match, team or player (README "Identity and
// precedence"). Used when storing (who may overwrite) and when reading (whose event list is shown); the SQL form is
// src/db/precedence-sql.ts.
import type { Provider } from "./vocabulary";

/** Lower index = higher precedence, per entity kind. */
export const PRECEDENCE: Record<"match" | "team" | "player", Provider[]> = {
  // Minute-level live data and the widest coverage first; OpenLigaDB is community-maintained.
  match: ["api_football", "football_data", "openligadb"],
  // football-data has the cleanest club names, short names and TLAs.
  team: ["football_data", "api_football", "openligadb"],
  player: ["api_football", "football_data", "openligadb"],
};

/**
 * Club details, merged per field from every provider's `team_details` row into `teams` (first provider with a
 * value wins). Venue fields: API-Football first — it has the stadium's address, city, capacity, surface and a
 * picture; football-data.org only its name. Club fields: football-data.org first, as for names — its `address`
 * is the club's postal address, and it alone names the coach and website. The crest follows the team-name
 * precedence above (stored with the team).
 */
export const DETAIL_PRECEDENCE = {
  venue: ["api_football", "football_data", "openligadb"],
  country: ["football_data", "api_football", "openligadb"],
  founded: ["football_data", "api_football", "openligadb"],
  coach: ["football_data", "api_football", "openligadb"],
  address: ["football_data", "api_football", "openligadb"],
  website: ["football_data", "api_football", "openligadb"],
} as const satisfies Record<string, readonly Provider[]>;
