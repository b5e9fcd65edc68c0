# CareQueue image: one static binary on distroless (no shell, no package manager, runs as nonroot).
#   docker build -t carequeue .
#   docker run -p 127.0.0.1:8080:8080 -e JWT_SECRET=... -e DATABASE_URL=postgres://... carequeue
# Without DATABASE_URL it uses an embedded SQLite file in /data (one replica; mount a volume there:
# -v carequeue-data:/data).
#
# Health: there is no shell for a HEALTHCHECK, so let the orchestrator probe over HTTP instead:
# GET /healthz (liveness: the process answers) and GET /readyz (readiness: the database answers).

# The web app (web/): built first, then compiled into the binary with go:embed (web/embed.go).
FROM node:20.20-bookworm-slim AS web
WORKDIR /src/web
# Dependencies first: this layer stays cached until a package manifest or the lock changes.
COPY web/package.json web/package-lock.json ./
COPY web/graphql/package.json graphql/
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM golang:1.26 AS build
WORKDIR /src
# Modules first: this layer stays cached until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/web/site/app ./web/site/app
# Static, no cgo (SQLite is pure Go); time/tzdata is compiled in by cmd/carequeue for facility time zones.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/carequeue ./cmd/carequeue \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/carequeue /carequeue
# Writable by nonroot (uid 65532) for the embedded SQLite default.
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
ENV APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    SQLITE_PATH=/data/carequeue.db
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/carequeue"]
CMD ["serve"]
