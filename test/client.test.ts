// The typed client (matchday-edge/client) is generated from client/openapi.json: that snapshot must be the document
// the Worker serves, or the client's types lie (run `npm run client:generate`; CI's `npm run client:check` checks
// client/openapi.d.ts against the snapshot). The client itself runs in the Node scripts (dev/smoke.mjs,
// dev/live-e2e.mjs, bench/, dev/backfill.mjs) against real dev servers.
import { describe, expect, it } from "vitest";
import snapshot from "../client/openapi.json";
import { api, json } from "./helpers";

describe("typed client contract", () => {
  it("client/openapi.json is the served /openapi.json (run `npm run client:generate` after changing the API)", async () => {
    const served = await json(await api("/openapi.json"));
    expect({ ...served, servers: snapshot.servers }).toEqual(snapshot);
  });

  it("no named schema is nullable as a whole (a nullable use must not change the component)", () => {
    const nullable = Object.entries(snapshot.components.schemas as Record<string, { type?: unknown }>)
      .filter(([, s]) => Array.isArray(s.type) && s.type.includes("null"))
      .map(([name]) => name);
    expect(nullable).toEqual([]);
  });
});
