// ESLint keeps the rules a tool can keep: the layers (which folder may import what), updates and
// deletes that always carry a where clause, and the rules of hooks. Formatting is Prettier's.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** Import bans, one group per rule of the layering; types may cross (they vanish at build). */
const layer = (...groups) => ["error", { patterns: groups.map((group) => ({ ...group, allowTypeImports: true })) }];

const DATABASE = {
  group: ["@/server/db", "@/server/db/*", "**/server/db", "**/server/db/*"],
  message: "Pages and components reach data through tRPC or a service, never the database.",
};
const FRAMEWORK = {
  group: ["next", "next/*", "next-auth", "next-auth/*", "@trpc/*", "react", "react-dom"],
  message: "Services are framework-free: the transports (tRPC, MLflow REST, pages, CLI) adapt them.",
};
const PROMOTIONS = {
  group: ["**/promotions", "**/promotions/*", "@/server/services/promotions/*"],
  message: "Tracking and the registry never know promotions exist: publish an event (server/services/events.ts) instead.",
};

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "bench/.work/**", "test-results/**", ".cache/**", ".data/**", "drizzle/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "off",
      "no-undef": "off",
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      ...nextPlugin.configs.recommended.rules,
      "@typescript-eslint/no-restricted-imports": layer(DATABASE),
      // Images here are user content (artifacts, markdown), which next/image cannot optimise.
      "@next/next/no-img-element": "off",
    },
  },
  {
    files: ["server/**/*.{ts,js}"],
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  {
    files: ["server/services/**/*.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": layer(FRAMEWORK) },
  },
  {
    files: ["server/services/tracking/**/*.ts", "server/services/registry/**/*.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": layer(FRAMEWORK, PROMOTIONS) },
  },
);
