# syntax=docker/dockerfile:1
#
# One image for all four Recourse services (intake, investigation, refund, notification). The image holds
# every service's build; the SERVICE variable picks the one a container runs:
#
#   docker build -t recourse:1.0.0 .
#   docker run -e SERVICE=intake -e JWT_PUBLIC_KEY="$(cat .keys/jwt-public.pem)" \
#     -e DATABASE_URL=postgres://… -e KAFKA_BROKERS=… -p 3001:3001 recourse:1.0.0
#
# With MIGRATE_ONLY=true the container migrates SERVICE's schema and exits 0 (the Kubernetes migration Job).
# .dockerignore keeps .keys/, node_modules/ and dist/ out of the build context.

ARG NODE_IMAGE=node:20.20-bookworm-slim

# ---- build: the full dependency tree, then the four services compiled by Nx -------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# No Nx daemon or remote cache inside a one-shot build.
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# Lands in dist/apps/<service>/apps/<service>/src/main.js, each with the libraries it uses beside it.
RUN npx nx run-many -t build -p intake investigation refund notification

# ---- prod-deps: production node_modules only, from the same lockfile --------------------------------------
# A separate stage so that dev tooling (nx, typescript, jest, swc) never reaches the runtime image. No
# install scripts: no production dependency needs one, and none then runs with network access at build time.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime ----------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
# Files stay owned by root: the service user can read its code but not change it.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps ./dist/apps
COPY package.json ./
COPY ops/docker/healthcheck.mjs ./healthcheck.mjs

# Empty by default: a container started without SERVICE stops with the message in CMD below.
ENV SERVICE=""

# V8's heap limit, as `npm start` and k8s/base run the services (SERVICE_NODE_ARGS in libs/testing).
ENV NODE_OPTIONS="--max-old-space-size=192 --max-semi-space-size=8"
# Two glibc malloc arenas, and its mmap and trim thresholds kept at 128 KiB (SERVICE_PROCESS_ENV in libs/testing):
# freed memory goes back to the system instead of staying in RSS.
ENV MALLOC_ARENA_MAX=2
ENV MALLOC_MMAP_THRESHOLD_=131072
ENV MALLOC_TRIM_THRESHOLD_=131072

# The node user (uid 1000) ships with the base image; Kubernetes pins runAsUser: 1000 to match, since
# runAsNonRoot can only verify a numeric user.
USER 1000:1000

# intake 3001, investigation 3002, refund 3003, notification 3004
# (INTAKE_PORT, INVESTIGATION_PORT, REFUND_PORT, NOTIFICATION_PORT override them).
EXPOSE 3001 3002 3003 3004

# For Docker and Compose (`service_healthy`); Kubernetes ignores it and probes /health/live and
# /health/ready itself. The start period covers a first boot's migrations and consumer join.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "healthcheck.mjs"]

# A shell expands ${SERVICE}, then `exec` replaces it so that node is PID 1 and receives SIGTERM directly
# (the services shut down gracefully on it).
CMD ["/bin/sh", "-c", "exec node \"dist/apps/${SERVICE:?set SERVICE to intake, investigation, refund or notification}/apps/${SERVICE}/src/main.js\""]
