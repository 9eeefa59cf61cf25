// The domain's precedence lists (src/domain/precedence.ts) as Postgres arrays, for `array_position(…, provider)`
// comparisons in SQL.
import { sql, type SQL } from "drizzle-orm";
import { PRECEDENCE } from "../domain/precedence";
import type { Provider } from "../domain/vocabulary";

/** The precedence as a Postgres array, for `array_position(…, provider)` comparisons in SQL. */
export const precedenceSql = (kind: keyof typeof PRECEDENCE): SQL => providerArraySql(PRECEDENCE[kind]);

export const providerArraySql = (order: readonly Provider[]): SQL => sql`array[${sql.join(order.map((p) => sql`${p}`), sql`, `)}]::provider[]`;
