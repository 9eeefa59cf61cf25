// zod schemas of OpenLigaDB's real payloads (GET /getmatchdata/{league}/{season}[/{matchday}]). Lenient where
// the live data is: most fields may be null, arrays may be null, ids may arrive as strings.
import { z } from "zod";

const id = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);
const nullableString = z.string().nullish().transform((v) => v ?? null);
const nullableInt = z.union([id, z.null(), z.undefined()]).transform((v) => v ?? null);
const flag = z.boolean().nullish().transform((v) => v ?? false);

export const oldbTeam = z.object({
  teamId: id,
  teamName: z.string(),
  shortName: nullableString,
  teamIconUrl: nullableString,
});

export const oldbResult = z.object({
  resultID: nullableInt,
  resultName: nullableString,
  pointsTeam1: nullableInt,
  pointsTeam2: nullableInt,
  resultOrderID: nullableInt,
  resultTypeID: nullableInt,
  resultDescription: nullableString,
});

export const oldbGoal = z.object({
  goalID: id,
  scoreTeam1: nullableInt,
  scoreTeam2: nullableInt,
  matchMinute: nullableInt,
  goalGetterID: nullableInt,
  goalGetterName: nullableString,
  isPenalty: flag,
  isOwnGoal: flag,
  isOvertime: flag,
  comment: nullableString,
});

export const oldbMatch = z.object({
  matchID: id,
  matchDateTime: nullableString,
  timeZoneID: nullableString,
  leagueSeason: nullableInt,
  leagueShortcut: nullableString,
  matchDateTimeUTC: nullableString,
  group: z
    .object({ groupName: nullableString, groupOrderID: nullableInt, groupID: nullableInt })
    .nullish()
    .transform((v) => v ?? null),
  team1: oldbTeam,
  team2: oldbTeam,
  lastUpdateDateTime: nullableString,
  matchIsFinished: flag,
  matchResults: z.array(oldbResult).nullish().transform((v) => v ?? []),
  goals: z.array(oldbGoal).nullish().transform((v) => v ?? []),
  location: z
    .object({ locationCity: nullableString, locationStadium: nullableString })
    .nullish()
    .transform((v) => v ?? null),
  numberOfViewers: nullableInt,
});

export const oldbMatchList = z.array(oldbMatch);

export type OldbMatch = z.infer<typeof oldbMatch>;
export type OldbGoal = z.infer<typeof oldbGoal>;

/** GET /getcurrentgroup/{league}: the current matchday. */
export const oldbCurrentGroup = z.object({ groupName: nullableString, groupOrderID: id, groupID: nullableInt });

/** GET /getlastchangedate/{league}/{season}/{group}: a JSON string, local time without offset. */
export const oldbLastChange = z.string();
