import path from "node:path";
import { defineConfig } from "vitest/config";

// The fault tier: black-box tests against real `next start` servers (npm run build first).
// `npx vitest run --config tests/faults/vitest.config.ts`; `npm test -- --only faults` builds and runs it.
const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    name: "faults",
    include: ["tests/faults/**/*.test.ts"],
    // Two instances cannot share one embedded PGlite: that file needs a PostgreSQL server.
    exclude: process.env.TEST_DATABASE_URL ? [] : ["tests/faults/two-instances.test.ts"],
    environment: "node",
    globalSetup: ["tests/faults/support/shared-server.ts"],
    // Files start servers of their own and load the shared one; two at a time fit two cores.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
