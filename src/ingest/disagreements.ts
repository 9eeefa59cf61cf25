// Provider disagreements: one row per (kind, entity, field) gathering every source's value; shared by the match
// store (final scores) and the standings cross-check.
import { sql } from "drizzle-orm";
import type { Transaction } from "../db/client";
import { providerDisagreements } from "../db/schema";
import { type EntityKind } from "../domain/vocabulary";

/** One row per (kind, entity, field); its `values` gather every provider's value. Writes only on news. */
export async function upsertDisagreements(
  tx: Transaction,
  rows: { kind: EntityKind; canonicalId: number; field: string; values: Record<string, string> }[],
): Promise<number> {
  if (!rows.length) return 0;
  const written = await tx
    .insert(providerDisagreements)
    .values(rows)
    .onConflictDoUpdate({
      target: [providerDisagreements.kind, providerDisagreements.canonicalId, providerDisagreements.field],
      set: { values: sql`${providerDisagreements.values} || excluded.values`, resolvedAt: null },
      setWhere: sql`not (${providerDisagreements.values} @> excluded.values)`,
    })
    .returning({ id: providerDisagreements.id });
  return written.length;
}
