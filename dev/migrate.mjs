// Applies the drizzle-kit migrations in migrations/ to any Postgres (local server, PGlite socket, Neon) from
// Node: workerd cannot read the migrations folder. Re-running is a no-op (drizzle's journal table).
// CLI: `node dev/migrate.mjs` with DATABASE_URL from the environment or the repo's .dev.vars.
import { existsSync, readFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigrate } from 'drizzle-orm/node-postgres/migrator';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function migrate(databaseUrl, { migrationsFolder = path.join(REPO, 'migrations') } = {}) {
  if (!existsSync(path.join(migrationsFolder, 'meta', '_journal.json'))) {
    throw new Error(`no drizzle-kit migrations in ${migrationsFolder} (run \`npm run db:generate\` first)`);
  }
  // One client, closed at the end: the PGlite socket server serializes connections.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await drizzleMigrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end();
  }
}

// KEY=VALUE lines (optionally `export `, quotes stripped, # comments) as wrangler's .dev.vars has them.
function readDevVars(file) {
  const vars = {};
  if (!existsSync(file)) return vars;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (m) vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

if (process.argv[1] && import.meta.url === pathToFileURL(await realpath(process.argv[1]).catch(() => '')).href) {
  const databaseUrl = process.env.DATABASE_URL || readDevVars(path.join(REPO, '.dev.vars')).DATABASE_URL;
  if (!databaseUrl) {
    console.error('migrate: DATABASE_URL is not set (environment or .dev.vars), e.g.\n' +
      '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node dev/migrate.mjs');
    process.exit(1);
  }
  try {
    await migrate(databaseUrl);
    console.log(`migrate: ${databaseUrl.replace(/:[^:@/]*@/, ':***@')} is up to date`);
  } catch (e) {
    console.error(`migrate: failed: ${e.message}`);
    process.exit(1);
  }
}
