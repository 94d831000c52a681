# Kompetansepuls production image. See docs/deploy.md.
#
#   docker build -t kompetansepuls .
#   docker run --env-file .env -p 3978:3978 kompetansepuls
#
# The bot runs its TypeScript sources with tsx, as `npm run start:bot` does
# (Node's own type stripping cannot run them: they use parameter properties).

# --- build: all dependencies, generate the Prisma client ----------------------
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: dependency install scripts are not needed here (the project
# blocks them with allowScripts; older npm versions would run them anyway and
# download Prisma engines and a second Node binary). The one script that
# matters, the Prisma client generation (`postinstall`), is run explicitly.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/generate-prisma.mjs ./scripts/
# Writes src/generated/prisma (WASM only; no native engine, no database needed).
RUN node scripts/generate-prisma.mjs

# --- runtime: production dependencies + tsx, sources, non-root -----------------
FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev leaves out the pinned `node` devDependency and the dev tooling;
# --omit=optional also leaves out the Prisma CLI and its Studio (an optional
# peer of @prisma/client, ~250 MB). No production dependency needs an install script.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
# tsx (a devDependency) and its only dependency esbuild, from the build stage
# (same base image, so the same platform binary in @esbuild/).
COPY --from=build /app/node_modules/tsx ./node_modules/tsx
COPY --from=build /app/node_modules/esbuild ./node_modules/esbuild
COPY --from=build /app/node_modules/@esbuild ./node_modules/@esbuild
# `npm run db:migrate`, `npm run import` … inside the container need .bin/tsx.
RUN ln -s ../tsx/dist/cli.mjs node_modules/.bin/tsx \
 && mkdir -p data && chown node:node data
COPY tsconfig.json ./
COPY src ./src
COPY --from=build /app/src/generated ./src/generated
# Read at run time: prisma/migrations (applied at start-up), cards/ (Adaptive Card templates).
COPY prisma ./prisma
COPY cards ./cards
COPY manifest ./manifest
COPY scripts ./scripts

USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1 (no npm wrapper), so SIGTERM reaches the bot's graceful shutdown.
CMD ["node", "--import", "tsx", "src/index.ts"]
