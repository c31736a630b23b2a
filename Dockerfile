# syntax=docker/dockerfile:1
#
# Plexus server image. The container always talks to a ClickHouse server (CLICKHOUSE_URL),
# so the embedded engine (chdb, an optional dependency of the store workspace, ~550 MB of
# native libraries) is never installed in the image.
#
#   docker build -t plexus .
#   docker run -e CLICKHOUSE_URL=http://clickhouse:8123 plexus            # all-in-one
#   docker run ... plexus node cli/plexus.ts collector | api               # split roles
#
# The server runs its .ts sources directly on Node 24 (type stripping); only the UI is built.

FROM node:24-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Every workspace manifest plus the lockfile: the install layers below are rebuilt only when
# dependencies change. Keep this list in step with "workspaces" in the root package.json
# (test/compose.test.ts checks it).
FROM base AS manifests
COPY package.json package-lock.json ./
COPY store/package.json store/package.json
COPY collector/package.json collector/package.json
COPY catalog/package.json catalog/package.json
COPY query-api/package.json query-api/package.json
COPY ui/package.json ui/package.json
COPY cli/package.json cli/package.json
COPY test/package.json test/package.json
COPY bench/package.json bench/package.json

# Production dependencies of the server workspaces only: no dev dependencies, no optional
# dependencies (chdb), and nothing from ui/test/bench (the UI ships as static files).
FROM manifests AS deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --omit=optional \
      --workspace store --workspace collector --workspace catalog \
      --workspace query-api --workspace cli

# UI build. The toolchain (vite 8 / rolldown, lightningcss, TypeScript 7) loads native
# bindings that npm installs as optional, platform-specific dependencies, so this stage
# cannot use --omit=optional; it installs only the ui workspace and the root, which keeps
# chdb (store's optional dependency) out of this stage too. Only ui/dist leaves it.
FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace ui --include-workspace-root
COPY . .
RUN npm run build --workspace ui

FROM base AS runtime
LABEL org.opencontainers.image.title="plexus" \
      org.opencontainers.image.description="Observability and integration governance: real traffic joined with the API catalog" \
      org.opencontainers.image.licenses="Apache-2.0"
# Plexus binds 127.0.0.1 by default; in a container every port must be reachable from outside.
ENV NODE_ENV=production \
    PLEXUS_HOST=0.0.0.0 \
    PLEXUS_PORT=8080
# Manifests and node_modules (including per-workspace node_modules) from the production install.
COPY --from=deps /app/ ./
COPY store/ store/
COPY collector/ collector/
COPY catalog/ catalog/
COPY query-api/ query-api/
COPY cli/ cli/
COPY --from=build /app/ui/dist/ ui/dist/
# Code stays root-owned and read-only to the service user; only the data directory
# (PLEXUS_DATA_DIR, default ./data) is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# UI + GraphQL + /healthz + /metrics, OTLP/gRPC, OTLP/HTTP (+ /ingest/{format}), Zipkin
EXPOSE 8080 4317 4318 9411
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PLEXUS_PORT||8080)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "cli/plexus.ts", "start"]
