// Layer rules for src/ (README "Layout"), checked by `npm run lint:deps` and in CI (.ci/run).
// Layers point down only:
//   domain, lib                      the canonical model; generic helpers (import nothing from src/)
//   env                              configuration (domain only)
//   providers, db, analytics         depend on domain (+ lib, env) only, never on each other
//   cache, auth, observability       domain, lib, env, db (auth) — never api, ingest, live
//   live                             domain, lib, env, db, cache — never api, providers, ingest
//   ingest                           everything below it (providers, db, analytics, cache, live) — never api
//   api                              everything below it — never providers
// One rule per line of that map; a violation names its rule. Type-only imports count: a type leaning sideways
// couples the modules just the same.
/** @type {import('dependency-cruiser').IConfiguration} */
const forbidden = [
  {
    name: "no-circular",
    severity: "error",
    comment: "No import circles anywhere in src/.",
    from: { path: "^src/" },
    to: { circular: true },
  },
  {
    name: "domain-imports-nothing",
    severity: "error",
    comment: "src/domain owns the canonical model and imports nothing from the rest of src/.",
    from: { path: "^src/domain/" },
    to: { path: "^src/", pathNot: "^src/domain/" },
  },
  {
    name: "lib-imports-nothing",
    severity: "error",
    comment: "src/lib holds generic helpers (problem+json, error classification) and imports nothing from the rest of src/.",
    from: { path: "^src/lib/" },
    to: { path: "^src/", pathNot: "^src/lib/" },
  },
  {
    name: "env-domain-only",
    severity: "error",
    comment: "src/env.ts is configuration: it may import the domain only.",
    from: { path: "^src/env\\.ts$" },
    to: { path: "^src/", pathNot: ["^src/domain/", "^src/env\\.ts$"] },
  },
  {
    name: "providers-domain-only",
    severity: "error",
    comment: "Adapters return canonical records: src/providers may import domain, lib and env only (never db).",
    from: { path: "^src/providers/" },
    to: { path: "^src/", pathNot: ["^src/providers/", "^src/domain/", "^src/lib/", "^src/env\\.ts$"] },
  },
  {
    name: "db-domain-only",
    severity: "error",
    comment: "src/db may import domain, lib and env only (schema enums are built from the domain's lists).",
    from: { path: "^src/db/" },
    to: { path: "^src/", pathNot: ["^src/db/", "^src/domain/", "^src/lib/", "^src/env\\.ts$"] },
  },
  {
    name: "analytics-domain-only",
    severity: "error",
    comment: "src/analytics is pure functions over canonical rows: it may import the domain only.",
    from: { path: "^src/analytics/" },
    to: { path: "^src/", pathNot: ["^src/analytics/", "^src/domain/"] },
  },
  {
    name: "cache-not-up",
    severity: "error",
    comment: "src/cache may import domain, lib, env and its own helpers; never api, ingest, live, db or providers.",
    from: { path: "^src/cache/" },
    to: { path: "^src/", pathNot: ["^src/cache/", "^src/domain/", "^src/lib/", "^src/env\\.ts$"] },
  },
  {
    name: "auth-observability-not-up",
    severity: "error",
    comment: "src/auth and src/observability sit beside cache: they may use domain, lib, env, db and cache only.",
    from: { path: "^src/(auth|observability)/" },
    to: { path: "^src/", pathNot: ["^src/(auth|observability|cache|db|domain|lib)/", "^src/env\\.ts$"] },
  },
  {
    name: "live-not-api-providers-ingest",
    severity: "error",
    comment: "src/live (rooms, publishing) may use domain, lib, env, db and cache; never api, providers or ingest (the live poller is ingestion's).",
    from: { path: "^src/live/" },
    to: { path: "^src/", pathNot: ["^src/(live|domain|lib|db|cache)/", "^src/env\\.ts$"] },
  },
  {
    name: "ingest-not-api",
    severity: "error",
    comment: "src/ingest may use every layer below it, never the API.",
    from: { path: "^src/ingest/" },
    to: { path: "^src/(api/|app\\.ts$|index\\.ts$)" },
  },
  {
    name: "api-not-providers",
    severity: "error",
    comment: "src/api reads stored data: it never calls a provider (ingestion does).",
    from: { path: "^src/api/" },
    to: { path: "^src/providers/" },
  },
  {
    name: "nothing-imports-entry",
    severity: "error",
    comment: "src/index.ts and src/app.ts are the top: nothing below imports them.",
    from: { path: "^src/", pathNot: "^src/(index|app)\\.ts$" },
    to: { path: "^src/(index|app)\\.ts$" },
  },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
