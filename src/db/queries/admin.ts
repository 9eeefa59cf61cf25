// Operator reads: provider disagreements.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../client";
import { providerDisagreements, type EntityKind } from "../schema";

export function listDisagreements(db: Queryable, f: { kind?: EntityKind; openOnly: boolean; limit: number }) {
  return db
    .select()
    .from(providerDisagreements)
    .where(and(f.kind ? eq(providerDisagreements.kind, f.kind) : undefined, f.openOnly ? isNull(providerDisagreements.resolvedAt) : undefined))
    .orderBy(desc(providerDisagreements.detectedAt), desc(providerDisagreements.id))
    .limit(f.limit);
}
