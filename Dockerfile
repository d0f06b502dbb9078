# One image for the whole sandbox: `docker-compose --profile services up` runs the launcher in it
# (the same `npm start`: it migrates, starts every process, stops them all on SIGTERM).
FROM node:20-bookworm-slim
# Prisma's engines need OpenSSL; the launcher's checks need nothing else.
RUN apt-get update && apt-get install -y --no-install-recommends openssl ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so a source change does not reinstall them (postinstall needs prisma/ and scripts/db/).
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY scripts/db ./scripts/db
RUN npm ci
COPY . .
# The dashboard's production build, with the source hash the launcher checks, so the first start reuses it.
RUN node --import tsx --input-type=module -e "const m = await import('./scripts/launcher/dashboard-build.ts'); await m.ensureDashboardBuild(process.cwd());"
# Direct, not through npm: the launcher itself gets SIGTERM from `docker stop`.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
