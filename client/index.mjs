// matchday-edge/client: a typed client for the Matchday Edge API. The types (./openapi.d.ts) are generated from
// the API's own OpenAPI document (./openapi.json, a snapshot of /openapi.json) by openapi-typescript; the calls go
// through openapi-fetch, so every path, parameter, body and answer is checked by TypeScript, and errors are the
// API's problem objects (RFC 9457). Plain JavaScript at run time: Node ≥ 20, browsers, Workers.
//
//   const api = createClient({ baseUrl: "http://127.0.0.1:8787", apiKey });
//   const { data, error } = await api.GET("/v1/matches", { params: { query: { competition: "BL1", season: 2023 } } });
//   const page = await unwrap(api.GET("/v1/matches", { ... }));   // data, or throws ProblemError
//
// Regenerate after changing the API: `npm run client:generate` (test/client.test.ts fails until then).
import createFetchClient from 'openapi-fetch';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

/** An error answer of the API, as a thrown error: `problem` is the application/problem+json body. */
export class ProblemError extends Error {
  constructor(problem, response) {
    super(`${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.name = 'ProblemError';
    this.problem = problem;
    this.status = problem.status;
    this.response = response;
  }
}

/**
 * A client for one Matchday Edge deployment. `apiKey` is sent as X-API-Key (public routes), `adminToken` as the
 * bearer token of /v1/admin/*; `fetch` replaces globalThis.fetch (it gets a Request).
 */
export function createClient({ baseUrl = DEFAULT_BASE_URL, apiKey, adminToken, headers = {}, fetch } = {}) {
  return createFetchClient({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(fetch ? { fetch } : {}),
    headers: {
      ...(apiKey ? { 'X-API-Key': apiKey } : {}),
      ...(adminToken ? { Authorization: `Bearer ${adminToken}` } : {}),
      ...headers,
    },
  });
}

/** The problem object of an error answer; a body that is not one (a proxy's HTML page) becomes one. */
export function toProblem(error, response) {
  if (error && typeof error === 'object' && typeof error.status === 'number' && typeof error.title === 'string') return error;
  const detail = typeof error === 'string' ? error.slice(0, 500) : error === undefined ? undefined : JSON.stringify(error).slice(0, 500);
  return { type: 'about:blank', title: response.statusText || 'Error', status: response.status, ...(detail ? { detail } : {}) };
}

/** Awaits an openapi-fetch call: its `data`, or a thrown ProblemError for an error answer. */
export async function unwrap(call) {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw new ProblemError(toProblem(error, response), response);
  return data;
}
