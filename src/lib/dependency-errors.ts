// Classifies errors from backing services (Postgres through the Neon driver, Redis): "the service is down" is a
// 503 or a stale answer, anything else a bug (500). Shared by the API's error handler and the read-through cache.

/**
 * Whether an error means a backing service is unreachable (→ 503), not a bug (→ 500). Walks the cause chain:
 * a Postgres error with an SQLSTATE decides by its class (08 connection, 53 resources, 57 operator intervention,
 * 58 system); a WebSocket error event (the Neon driver's socket failing) or a connection message means down.
 */
export function isDependencyDown(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e != null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return /^(08|53|57|58)/.test(code);
    if (typeof Event !== "undefined" && e instanceof Event) return true;
    const text = e instanceof Error ? `${e.name} ${e.message}` : typeof e === "string" ? e : "";
    if (/ECONNREFUSED|ETIMEDOUT|WebSocket|Network connection lost|Connection terminated|connection (refused|closed|timeout)|timeout exceeded when trying to connect/i.test(text)) return true;
  }
  return false;
}
