import { env } from "./server/env.js";
import { securityHeaderRules } from "./server/http/security-headers.js";

// Validate configuration now: a bad variable fails `next build` and `next start` with its name.
env();

/** @type {import("next").NextConfig} */
const config = {
  poweredByHeader: false,
  // The front server compresses, at a level chosen per door (server/http/compression.js).
  compress: false,
  typedRoutes: false,
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "@node-rs/argon2", "pg-boss", "pg", "nodemailer"],
  async headers() {
    return securityHeaderRules({ development: process.env.NODE_ENV === "development" });
  },
};

export default config;
