// football-data.org v4 clubs (GET /teams/{id}, GET /competitions/{code}/teams) → canonical team details. Quirks:
// `venue` is only the stadium's name (no city, capacity or surface: API-Football fills those); `address` is the
// club's postal address, not the stadium's; `crest` may be .png or .svg; `coach` is present on the club object
// of both endpoints (its `name`, else first + last name); `founded` may be null.
import type { TeamDetailBatch, TeamDetailRecord, TeamRecord } from "../../domain/canonical";
import type { CompetitionCode } from "../../domain/competitions";
import { cleanPersonName, cleanText } from "../text";
import type { FdClub } from "./schema";

export function normalizeClubs(clubs: FdClub[], ctx: { competition: CompetitionCode; season: number }): TeamDetailBatch {
  const teams: TeamRecord[] = [];
  const details: TeamDetailRecord[] = [];
  const discarded: string[] = [];
  for (const c of clubs) {
    const name = cleanText(c.name);
    if (!name) {
      discarded.push(`team ${c.id}: no name`);
      continue;
    }
    const ref = String(c.id);
    const crestUrl = cleanText(c.crest);
    teams.push({ ref, name, shortName: cleanText(c.shortName), tla: cleanText(c.tla), crestUrl });
    const coach = cleanPersonName(c.coach?.name) ?? cleanPersonName([c.coach?.firstName, c.coach?.lastName].filter(Boolean).join(" "));
    const venue = cleanText(c.venue);
    details.push({
      teamRef: ref,
      country: cleanText(c.area?.name),
      founded: c.founded,
      crestUrl,
      venue: venue ? { name: venue, address: null, city: null, capacity: null, surface: null, image: null } : null,
      coach,
      address: cleanText(c.address),
      website: cleanText(c.website),
    });
  }
  return { provider: "football_data", competition: ctx.competition, season: ctx.season, teams, details, discarded };
}
