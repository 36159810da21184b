# syntax=docker/dockerfile:1
# Tollgate: RADIUS AAA and subscriber billing.
#
#   docker build -t tollgate .
#   docker run --init -p 1812:1812/udp -p 1813:1813/udp -p 127.0.0.1:9812:9812 \
#     -v $PWD/tollgate.yaml:/etc/tollgate/tollgate.yaml:ro -e TOLLGATE_CONFIG=/etc/tollgate/tollgate.yaml \
#     -v tollgate-data:/var/lib/tollgate tollgate
#
# Three stages: production dependencies only, a build with the dev dependencies (TypeScript) and the C++ tool
# chain for the batched UDP addon (native/udp-batch), and the runtime image with the first stage's node_modules,
# the compiled dist/ (the daemon and the operator console), the addon, the dictionaries and the example config.
# No compiler reaches the runtime image.
# deploy/compose.yaml runs two instances on PostgreSQL and Redis; docs/operations.md has the details.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- production dependencies -----------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: none of the runtime dependencies needs one, and `prepare` (the build) is not wanted here.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- build ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# node-gyp's needs (Python, make, a C++ compiler) for the addon; Node's headers come with the image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The operator console (Vite, into dist/console); it imports the role table from src/domain.
COPY console ./console
# The build also makes dist/pglite-template, the embedded database's initdb done once, here.
COPY scripts/pglite-template.mjs ./scripts/
RUN npm run build
# The batched UDP addon (radius.io). On a laptop a failed build falls back to node:dgram; the image must have it.
COPY scripts/build-native.mjs ./scripts/build-native.mjs
COPY native/udp-batch/binding.gyp ./native/udp-batch/binding.gyp
COPY native/udp-batch/src ./native/udp-batch/src
RUN node scripts/build-native.mjs && test -f native/udp-batch/build/Release/udp_batch.node

# ---- runtime -------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="tollgate" \
      org.opencontainers.image.description="RADIUS AAA and subscriber-billing daemon for ISPs" \
      org.opencontainers.image.licenses="Apache-2.0"
# A dedicated unprivileged user with fixed ids (Kubernetes' runAsNonRoot can check a numeric USER).
RUN groupadd --system --gid 10001 tollgate \
 && useradd --system --uid 10001 --gid tollgate --home-dir /var/lib/tollgate --shell /usr/sbin/nologin tollgate \
 && mkdir -p /var/lib/tollgate /etc/tollgate \
 && chown tollgate:tollgate /var/lib/tollgate \
 && chmod 0750 /var/lib/tollgate
ENV NODE_ENV=production \
    TOLLGATE_DATA_DIR=/var/lib/tollgate \
    TOLLGATE_ADMIN_LISTEN=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/native/udp-batch/build/Release/udp_batch.node ./native/udp-batch/build/Release/udp_batch.node
COPY --from=build /app/dist/pglite-template ./dist/pglite-template
COPY --from=build /app/dist/console ./dist/console
COPY package.json ./
COPY dictionaries ./dictionaries
COPY config/tollgate.example.yaml ./config/tollgate.example.yaml
# The embedded database (PGlite) lives here when no database.url is set; with PostgreSQL it stays empty.
VOLUME ["/var/lib/tollgate"]
USER 10001:10001
# RADIUS authentication and accounting (UDP); the admin listener (/metrics, /healthz, /readyz, /api/v1); the
# captive portal (portal.port). Ports above 1024: no capability is needed. CoA/Disconnect requests go out from
# an ephemeral port.
EXPOSE 1812/udp 1813/udp 9812/tcp 8080/tcp
# The daemon drains on SIGTERM (shutdown.drainTimeoutMs, 5 s by default); give it time before SIGKILL
# (docker stop -t / compose stop_grace_period, 10 s by default, is enough for the default).
STOPSIGNAL SIGTERM
# Liveness from the admin listener. It listens on 0.0.0.0 here (TOLLGATE_ADMIN_LISTEN above); if the port is
# moved in the config file rather than with TOLLGATE_ADMIN_PORT, the check cannot see it: set the variable.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const h=process.env.TOLLGATE_ADMIN_LISTEN;const host=!h||h==='0.0.0.0'||h==='::'?'127.0.0.1':h.includes(':')?'['+h+']':h;fetch('http://'+host+':'+(process.env.TOLLGATE_ADMIN_PORT||9812)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["serve"]
