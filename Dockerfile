# Multi-stage build: compile TypeScript with the dev dependencies, run with production ones only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund
COPY dictionaries ./dictionaries
COPY config ./config

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    TOLLGATE_DATA_DIR=/var/lib/tollgate
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY dictionaries ./dictionaries
COPY config ./config
RUN mkdir -p /var/lib/tollgate && chown node:node /var/lib/tollgate
USER node
# RADIUS authentication and accounting (UDP), admin API + metrics, captive portal.
EXPOSE 1812/udp 1813/udp 9812/tcp 8080/tcp
# The admin listener must be reachable from inside the container for the health check.
ENV TOLLGATE_ADMIN_LISTEN=0.0.0.0
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.TOLLGATE_ADMIN_PORT||9812)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["serve"]
