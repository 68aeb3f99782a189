import path from "node:path";
import { defineConfig } from "vitest/config";

// The image tier: the Dockerfile's runtime stage staged and run without a container engine
// (npm run build first). `npx vitest run --config tests/image/vitest.config.ts`.
const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    name: "image",
    include: ["tests/image/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
