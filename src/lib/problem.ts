// The problem+json error body (RFC 9457) every part of the Worker answers with: the API's routes (through
// HTTPException, src/api/problem.ts) and the live rooms (plain Responses).

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: "Invalid request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable request",
  429: "Too many requests",
  500: "Internal server error",
  501: "Not implemented",
  503: "Service unavailable",
};

export const problemType = (status: number) => `https://matchday-edge.dev/problems/${status}`;

/** A problem+json Response: `type` and `title` from the status, `detail` and extra members as given. */
export function problemJson(status: number, detail?: string, extra: Partial<Problem> = {}, headers: Record<string, string> = {}): Response {
  const body: Problem = { type: problemType(status), title: TITLES[status] ?? "Error", status, ...(detail ? { detail } : {}), ...extra };
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/problem+json", ...headers } });
}
