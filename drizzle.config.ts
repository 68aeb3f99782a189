import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` is used: migrations are files in drizzle/, applied at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./server/db/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
});
