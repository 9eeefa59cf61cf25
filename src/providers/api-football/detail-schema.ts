// zod schemas of API-Football v3's match and team detail payloads: /fixtures/lineups, /fixtures/statistics,
// /fixtures/players (also embedded in `/fixtures?ids=` items as `lineups`, `statistics`, `players`), /odds,
// /predictions, /teams. Real samples: shared/provider-samples/api_football_fixtures_{lineups,players}_*.json and
// the `?ids=` full-detail sample; odds, predictions and teams follow the documented examples (see
// test/fixtures/api-football/README.md). Lenient like schema.ts: counters as numbers or strings ("85%", "7.3",
// "2.73"), nulls anywhere, unknown keys ignored; strict only on ids the store resolves.
import { z } from "zod";
import { afId, afNumber, afOptionalId, afText } from "./schema";

const afTeam = z.object({ id: afId, name: afText, logo: afText });
const orEmpty = <T extends z.ZodTypeAny>(schema: T) => z.array(schema).nullish().transform((v) => v ?? []);

// --- /fixtures/lineups ------------------------------------------------------------------------------------
const afLineupPlayer = z
  .object({
    player: z
      .object({ id: afOptionalId, name: afText, number: afNumber, pos: afText, grid: afText })
      .nullish(),
  })
  .transform((v) => v.player ?? { id: null, name: null, number: null, pos: null, grid: null });

export const afLineup = z.object({
  team: afTeam,
  formation: afText,
  coach: z
    .object({ id: afOptionalId, name: afText })
    .nullish()
    .transform((v) => v ?? null),
  startXI: z.array(z.unknown()).nullish().transform((v) => v ?? []),
  substitutes: z.array(z.unknown()).nullish().transform((v) => v ?? []),
});
export const afLineupPlayerItem = afLineupPlayer;
export type AfLineup = z.infer<typeof afLineup>;

// --- /fixtures/statistics -------------------------------------------------------------------------------
export const afTeamStatistics = z.object({
  team: afTeam,
  /** `[{ type: "Ball Possession", value: "47%" }, { type: "expected_goals", value: "2.73" }, …]` */
  statistics: orEmpty(z.object({ type: afText, value: z.unknown() })),
});
export type AfTeamStatistics = z.infer<typeof afTeamStatistics>;

// --- /fixtures/players ----------------------------------------------------------------------------------
const pair = <K extends string>(...keys: K[]) =>
  z
    .object(Object.fromEntries(keys.map((k) => [k, afNumber])) as Record<K, typeof afNumber>)
    .nullish()
    .transform((v) => (v ?? Object.fromEntries(keys.map((k) => [k, null]))) as Record<K, number | null>);

export const afPlayerMatchStatistics = z.object({
  games: z
    .object({ minutes: afNumber, number: afNumber, position: afText, rating: afNumber, captain: z.boolean().nullish(), substitute: z.boolean().nullish() })
    .nullish()
    .transform((v) => ({ minutes: v?.minutes ?? null, number: v?.number ?? null, position: v?.position ?? null, rating: v?.rating ?? null, captain: v?.captain ?? null, substitute: v?.substitute ?? null })),
  offsides: afNumber,
  shots: pair("total", "on"),
  goals: pair("total", "conceded", "assists", "saves"),
  // `accuracy` here is the number of accurate passes as a string ("26" of 29), not a percentage.
  passes: pair("total", "key", "accuracy"),
  tackles: pair("total", "blocks", "interceptions"),
  duels: pair("total", "won"),
  dribbles: pair("attempts", "success", "past"),
  fouls: z
    .object({ drawn: afNumber, committed: afNumber, commited: afNumber })
    .nullish()
    .transform((v) => ({ drawn: v?.drawn ?? null, committed: v?.committed ?? v?.commited ?? null })),
  cards: pair("yellow", "red"),
  penalty: z
    .object({ won: afNumber, commited: afNumber, committed: afNumber, scored: afNumber, missed: afNumber, saved: afNumber })
    .nullish()
    .transform((v) => ({ won: v?.won ?? null, committed: v?.commited ?? v?.committed ?? null, scored: v?.scored ?? null, missed: v?.missed ?? null, saved: v?.saved ?? null })),
});
export type AfPlayerMatchStatistics = z.infer<typeof afPlayerMatchStatistics>;

export const afTeamPlayers = z.object({
  team: afTeam,
  players: orEmpty(
    z.object({
      player: z.object({ id: afOptionalId, name: afText }),
      statistics: z.array(z.unknown()).nullish().transform((v) => v ?? []),
    }),
  ),
});
export type AfTeamPlayers = z.infer<typeof afTeamPlayers>;

/** `/fixtures?ids=` items: the detail parts next to the fixture (absent on other /fixtures requests). */
export const afFixtureDetail = z.object({
  fixture: z.object({ id: afId }),
  teams: z.object({ home: afTeam, away: afTeam }),
  lineups: z.array(z.unknown()).nullish(),
  statistics: z.array(z.unknown()).nullish(),
  players: z.array(z.unknown()).nullish(),
});
export type AfFixtureDetail = z.infer<typeof afFixtureDetail>;

// --- /odds ----------------------------------------------------------------------------------------------
export const afOddsItem = z.object({
  fixture: z.object({ id: afId, date: afText, timestamp: afNumber }),
  league: z
    .object({ id: afOptionalId, season: afNumber })
    .nullish()
    .transform((v) => v ?? { id: null, season: null }),
  /** When the provider last updated these odds (ISO with offset). */
  update: afText,
  bookmakers: orEmpty(
    z.object({
      id: afId,
      name: afText,
      bets: orEmpty(
        z.object({
          id: afOptionalId,
          name: afText,
          // `value` is a string ("Home", "Over 2.5") or a number (Exact Goals Number: 4); `odd` a decimal string.
          values: orEmpty(z.object({ value: afText, odd: afNumber })),
        }),
      ),
    }),
  ),
});
export type AfOddsItem = z.infer<typeof afOddsItem>;

// --- /predictions ---------------------------------------------------------------------------------------
const percentPair = z
  .object({ home: afNumber, away: afNumber })
  .nullish()
  .transform((v) => v ?? { home: null, away: null });

export const afPrediction = z.object({
  predictions: z.object({
    winner: z
      .object({ id: afOptionalId, name: afText, comment: afText })
      .nullish()
      .transform((v) => v ?? { id: null, name: null, comment: null }),
    win_or_draw: z.boolean().nullish().transform((v) => v ?? null),
    under_over: afText,
    goals: z
      .object({ home: afText, away: afText })
      .nullish()
      .transform((v) => v ?? { home: null, away: null }),
    advice: afText,
    /** "45%" strings. */
    percent: z
      .object({ home: afNumber, draw: afNumber, away: afNumber })
      .nullish()
      .transform((v) => v ?? { home: null, draw: null, away: null }),
  }),
  teams: z.object({ home: afTeam, away: afTeam }),
  comparison: z.record(z.string(), percentPair).nullish().transform((v) => v ?? null),
});
export type AfPrediction = z.infer<typeof afPrediction>;

// --- /teams ---------------------------------------------------------------------------------------------
export const afTeamInfo = z.object({
  team: z.object({ id: afId, name: afText, code: afText, country: afText, founded: afNumber, national: z.boolean().nullish(), logo: afText }),
  venue: z
    .object({ id: afOptionalId, name: afText, address: afText, city: afText, capacity: afNumber, surface: afText, image: afText })
    .nullish()
    .transform((v) => v ?? null),
});
export type AfTeamInfo = z.infer<typeof afTeamInfo>;
