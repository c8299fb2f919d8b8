# syntax=docker/dockerfile:1
#
# One image for all four Recourse services (intake, investigation, refund, notification).
# The image holds every service's build; SERVICE picks the one the container runs:
#
#   docker build -t recourse:latest .                                  # pick SERVICE at run time
#   docker run -e SERVICE=intake -p 3001:3001 recourse:latest
#   docker build --build-arg SERVICE=refund -t recourse-refund .       # or bake a default in
#
# No HEALTHCHECK: the orchestrators probe /health/live and /health/ready themselves
# (docker-compose.yml, k8s/base).

# ---- build: full dependency tree, compile every project with Nx -------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# No Nx daemon or remote cache inside a one-shot build.
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build

# ---- prod-deps: production node_modules only, from the same lockfile -------------------------
# A separate stage so dev tooling (nx, typescript, jest, swc) never reaches the runtime image.
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# ---- runtime ----------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
# Files stay owned by root: the service user can read its code but not change it.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./

# Declared late so that changing it reuses every layer above (compose builds the image four times).
ARG SERVICE
ENV SERVICE=${SERVICE}

# The node user (uid 1000) ships with the base image; Kubernetes pins runAsUser: 1000 to match,
# since runAsNonRoot cannot verify a user given by name.
USER node

# intake 3001, investigation 3002, refund 3003, notification 3004
# (INTAKE_PORT, INVESTIGATION_PORT, REFUND_PORT, NOTIFICATION_PORT override them).
EXPOSE 3001-3004

# A shell expands ${SERVICE}, then `exec` replaces it so node is PID 1 and receives SIGTERM
# directly (the services shut down gracefully on it). An unset SERVICE stops with a clear message.
CMD ["/bin/sh", "-c", "exec node \"dist/apps/${SERVICE:?set SERVICE to intake, investigation, refund or notification}/apps/${SERVICE}/src/main.js\""]
