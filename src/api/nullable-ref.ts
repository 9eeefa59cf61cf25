// `orNull(Schema)`: a named (registered) schema or null, documented as `anyOf: [$ref, null]`. Plain `.nullable()`
// on a registered zod v4 schema carries its OpenAPI name along, so the nullable variant replaced the component
// itself (e.g. TeamRef became "object or null" everywhere, and so did every typed client's `match.home`).
import { z } from "@hono/zod-openapi";

export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);
