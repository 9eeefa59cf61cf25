// drizzle-kit configuration: `npm run db:generate` writes SQL migrations from src/db/schema.ts into migrations/;
// `npm run db:migrate` applies them to DATABASE_URL.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  strict: true,
});
