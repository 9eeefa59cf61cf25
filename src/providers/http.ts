// Provider HTTP: one fetch with a timeout, classifying every failure so the queue consumer can decide between
// retrying (rate limits, 5xx, timeouts, malformed bodies) and giving up (4xx that will not change on retry).
import type { z } from "zod";

export type ProviderErrorKind = "rate_limited" | "server_error" | "timeout" | "network" | "malformed" | "rejected";

export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    message: string,
    /** Seconds the provider asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${provider}: ${message}`);
    this.name = "ProviderError";
  }

  /** A rejected request (bad id, no access) fails the same way on every retry. */
  get retryable(): boolean {
    return this.kind !== "rejected";
  }
}

export interface FetchJsonOptions<T> {
  provider: string;
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  schema: z.ZodType<T>;
}

export async function fetchJson<T>({ provider, url, headers, timeoutMs, schema }: FetchJsonOptions<T>): Promise<{ data: T; response: Response }> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { headers: { accept: "application/json", ...headers }, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === "TimeoutError" || name === "AbortError") throw new ProviderError(provider, "timeout", `no answer within ${timeoutMs} ms from ${redact(url)}`);
    throw new ProviderError(provider, "network", `${redact(url)}: ${String(err)}`);
  }
  if (response.status === 429) {
    throw new ProviderError(provider, "rate_limited", `429 from ${redact(url)}`, parseRetryAfter(response.headers.get("retry-after")));
  }
  if (response.status >= 500) throw new ProviderError(provider, "server_error", `${response.status} from ${redact(url)}`);
  if (!response.ok) throw new ProviderError(provider, "rejected", `${response.status} from ${redact(url)}: ${text.slice(0, 200)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError(provider, "malformed", `invalid JSON (${text.length} bytes) from ${redact(url)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(provider, "malformed", `unexpected payload from ${redact(url)}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`);
  }
  return { data: parsed.data, response };
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

const redact = (url: string) => url.replace(/([?&](?:key|token|apikey)=)[^&]*/gi, "$1***");
