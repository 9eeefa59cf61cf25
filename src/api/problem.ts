// One error format across the API: application/problem+json (RFC 9457). Routes throw HTTPException (or
// `problem(...)`); app.onError turns everything into this shape, and never leaks internals for 5xx.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { isDependencyDown } from "../lib/dependency-errors";
import { problemJson, type Problem } from "../lib/problem";

export type { Problem };

export function problem(status: ContentfulStatusCode, detail?: string, extra: Partial<Problem> = {}, headers: Record<string, string> = {}): HTTPException {
  return new HTTPException(status, { res: problemJson(status, detail, extra, headers) });
}

/** Field-level issues from a zod error, as `errors` of a 400 problem. */
export function validationProblem(error: z.ZodError, target: string): HTTPException {
  const where = target === "json" ? "body" : target;
  const errors = error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join("."), message: i.message }));
  return problem(400, `The ${where} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`, { errors });
}

export function problemResponse(c: Context, err: unknown): Response {
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    if (res.headers.get("content-type")?.includes("problem+json")) return res;
    // Hono's own HTTPExceptions (e.g. a malformed JSON body) get the common shape too.
    return problem(err.status as ContentfulStatusCode, err.message || undefined).getResponse();
  }
  const requestId = c.get("requestId" as never) as string | undefined;
  console.error(JSON.stringify({ msg: "unhandled error", requestId, error: err instanceof Error ? err.stack ?? err.message : String(err) }));
  if (isDependencyDown(err)) return problem(503, "A backing service is unavailable; try again shortly.", {}, { "Retry-After": "5" }).getResponse();
  return problem(500, `Something went wrong on our side${requestId ? ` (request ${requestId})` : ""}.`).getResponse();
}
