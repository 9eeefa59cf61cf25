// SQL fragments shared by the stores: write-only-on-change upserts (`… DO UPDATE SET col = excluded.col WHERE
// (old) IS DISTINCT FROM (new)`) and array parameters.
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

/** The incoming value of a column; for `keep` columns a null never replaces a stored value. */
function incoming(cols: Record<string, PgColumn>, c: string, keep?: ReadonlySet<string>): SQL {
  const value = sql`excluded.${sql.identifier(cols[c]!.name)}`;
  return keep?.has(c) ? sql`coalesce(${value}, ${cols[c]})` : value;
}

export function excludedSet(table: PgTable, columns: readonly string[], keep?: ReadonlySet<string>): Record<string, SQL> {
  const cols = getTableColumns(table) as Record<string, PgColumn>;
  return Object.fromEntries(columns.map((c) => [c, incoming(cols, c, keep)]));
}

export function distinctFromExcluded(table: PgTable, columns: readonly string[], keep?: ReadonlySet<string>): SQL {
  const cols = getTableColumns(table) as Record<string, PgColumn>;
  const mine = sql.join(columns.map((c) => sql`${cols[c]}`), sql`, `);
  const theirs = sql.join(columns.map((c) => incoming(cols, c, keep)), sql`, `);
  return sql`(${mine}) is distinct from (${theirs})`;
}

export const sqlIntArray = (values: number[]) => sql`${`{${values.join(",")}}`}::int[]`;
export const sqlTextArray = (values: string[]) => sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[]`;
