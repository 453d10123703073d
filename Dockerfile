# syntax=docker/dockerfile:1
# One image for every service (docs/operations.md). The service is chosen at
# run time by SERVICE (routing, timer, disposition, reporting, ingest,
# notifications); the command is `serve` (default) or `migrate`.
# TypeScript runs through @swc-node/register, exactly as in development and
# tests, so what is deployed is what was tested (no separate build output).

ARG NODE_IMAGE=node:24-bookworm-slim

# Stage 1: production dependencies only, from the lock file.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# Stage 2: type check the sources with the dev toolchain, so a broken tree never becomes an image.
FROM ${NODE_IMAGE} AS check
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY contracts ./contracts
COPY libs ./libs
COPY services ./services
COPY infra ./infra
RUN npx tsc -p tsconfig.json --noEmit

# Stage 3: the runtime image.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    KAFKAJS_NO_PARTITIONER_WARNING=1 \
    SERVICE=routing \
    POLICY_FILE=/app/infra/policy/example.policy.yaml
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=check /app/tsconfig.base.json /app/tsconfig.json ./
COPY package.json ./
COPY contracts ./contracts
COPY libs ./libs
COPY services ./services
COPY infra/policy ./infra/policy
USER node
EXPOSE 3000
# The shell form resolves ${SERVICE}; exec hands PID 1 to Node so SIGTERM reaches it (graceful shutdown).
ENTRYPOINT ["/bin/sh", "-c", "exec node --enable-source-maps --no-warnings=ExperimentalWarning -r @swc-node/register \"services/${SERVICE}/src/main.ts\" \"$@\"", "--"]
CMD ["serve"]
