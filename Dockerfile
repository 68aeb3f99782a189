# Cairn's production image.
#   docker build -t cairn .
#   docker run --init -p 3000:3000 -v cairn-data:/data cairn
# Without DATABASE_URL the embedded database and the artifacts live in the /data volume.
# docker-compose.yml runs it with PostgreSQL, MinIO and (profile tls) Caddy.
#
# There is no Docker engine in CI: the `image` test tier (tests/image) reads this file and runs what
# the runtime stage holds. It understands FROM, WORKDIR, COPY, RUN, ENV, USER, VOLUME, EXPOSE,
# HEALTHCHECK and CMD, in the forms used here; it refuses anything else.

FROM node:20-bookworm-slim AS builder
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build
# The runtime keeps production dependencies only, and no build cache.
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf .next/cache

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 CAIRN_DATA_DIR=/data
WORKDIR /app
COPY --from=builder /app/package.json /app/next.config.js /app/tsconfig.json ./
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/.next ./.next
COPY --from=builder /app/server ./server
COPY --from=builder /app/scripts/serve.ts ./scripts/
COPY --from=builder /app/bin ./bin
COPY --from=builder /app/drizzle ./drizzle
COPY --from=builder /app/openapi ./openapi
# The application's files stay root's; only the data volume is writable by the server's user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (not npm, which does not pass SIGTERM on): `docker stop` stops the server
# cleanly, closing the embedded database. Run with --init so that a process reaps orphans.
CMD ["node", "--import", "tsx", "scripts/serve.ts", "start"]
