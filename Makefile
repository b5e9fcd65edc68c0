# CareQueue developer commands: `make` lists them. Each target is a thin wrapper over the go tool, so a
# laptop and CI (.ci/run) run the same commands.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

GO ?= go
# golangci-lint runs as a Go tool from its own module file, so its many dependencies never move go.mod's.
GOLANGCI_LINT ?= $(GO) tool -modfile=.ci/golangci-lint.mod golangci-lint
NPM ?= npm
# Where the tests find PostgreSQL (a maintenance database: each test creates its own) and Redis.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# A hang guard per package, not a speed target: cmd/carequeue took 714-1,100 s under -race on CI (2 cores).
TEST_TIMEOUT ?= 25m
# Parallel tests per package: go's default is GOMAXPROCS (2 here), and many of cmd/carequeue's tests
# wait on sockets, timers and the databases; with 4 that package ran in 583 s alone (1.8 cores busy).
TEST_PARALLEL ?= 4
GO_TEST = $(GO) test -race -count=1 -parallel $(TEST_PARALLEL) -timeout $(TEST_TIMEOUT)
# Says what the run covers: the suite loops over the dialects itself, so ./... runs once.
SAY_DIALECTS = @echo "go test ./... once; database tests loop over CAREQUEUE_TEST_DIALECTS=$$CAREQUEUE_TEST_DIALECTS (PostgreSQL: TEST_POSTGRES_URL, Redis: TEST_REDIS_URL)"

# -race needs cgo; tests read these from the environment (internal/store/storetest, internal/redis).
test test-sqlite test-postgres: export CGO_ENABLED := 1
test test-sqlite test-postgres: export TEST_POSTGRES_URL := $(TEST_POSTGRES_URL)
test test-sqlite test-postgres: export TEST_REDIS_URL := $(TEST_REDIS_URL)
test test-sqlite test-postgres: export REDIS_URL := $(TEST_REDIS_URL)
test: export CAREQUEUE_TEST_DIALECTS := sqlite,postgres
test-sqlite: export CAREQUEUE_TEST_DIALECTS := sqlite
test-postgres: export CAREQUEUE_TEST_DIALECTS := postgres

.PHONY: help run test test-sqlite test-postgres fuzz generate check-generated lint check-monitoring fmt build web test-web generate-web mobile test-mobile mobile-web

help: ## Show this list
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## Build the web app, then run CareQueue with embedded SQLite, in-process pub/sub and demo data (development mode)
	@$(WEB_IF_NPM)
	APP_ENV=development $(GO) run ./cmd/carequeue serve --migrate --demo

test: ## Run every test: Go with -race on SQLite and on PostgreSQL + Redis, then the web and patient-app tests (what CI runs)
	$(SAY_DIALECTS)
	$(GO_TEST) ./...
	$(MAKE) --no-print-directory test-web
	$(MAKE) --no-print-directory test-mobile

test-sqlite: ## Run every Go test with -race on SQLite only (Redis tests still need Redis)
	$(SAY_DIALECTS)
	$(GO_TEST) ./...

test-postgres: ## Run every Go test with -race on PostgreSQL + Redis only
	$(SAY_DIALECTS)
	$(GO_TEST) ./...

fuzz: ## Run every Go fuzz target for FUZZTIME each (default 10s); make test already replays their seeds and committed corpora
	GO=$(GO) bash .ci/fuzz.sh

generate: ## Regenerate ent, the entgql SDL, migrations and gqlgen code (needs PostgreSQL), then the GraphQL types of the web and patient apps
	$(GO) generate ./...
	$(MAKE) --no-print-directory generate-web

check-generated: ## Regenerate and fail if any committed generated file changed or a new one appeared
	bash .ci/check-generated.sh

lint: ## golangci-lint (vet, staticcheck, the layering rules in .golangci.yml, gofmt/goimports) and the PostgreSQL migration linter (squawk, fetched by npm on first use)
	$(GOLANGCI_LINT) run ./...
	bash .ci/lint-migrations.sh

check-monitoring: ## Check docs/monitoring with promtool (Prometheus config, alert rules and their unit tests) and the Grafana dashboards' data source
	bash .ci/check-monitoring.sh

fmt: ## Format every Go file (gofmt, and goimports grouping as the linter wants it)
	$(GOLANGCI_LINT) fmt ./...

build: ## Build a static, stripped ./carequeue release binary (with the web app when npm is available)
	@$(WEB_IF_NPM)
	CGO_ENABLED=0 $(GO) build $(RELEASE_FLAGS) -o carequeue ./cmd/carequeue

# A release binary carries no symbol table, DWARF or build-machine paths (the Dockerfile builds the same way).
RELEASE_FLAGS = -trimpath -ldflags="-s -w"

# --- web app (web/: see web/README.md) ---------------------------------------------------------
# The Go binary embeds web/site/app (web/embed.go). Without npm the server still runs and its pages say
# to run `make web`.
WEB_IF_NPM = if command -v $(NPM) >/dev/null 2>&1; then $(MAKE) --no-print-directory web; \
	else echo "npm not found: building without the web app (install Node.js 20.19+, then make web)"; fi

# Everything the built app depends on. web/site/app/index.html, which Vite writes last, is the stamp: `make web`
# (and so `make run`) rebuilds only when one of these is newer, so an unchanged app costs nothing on the next start.
WEB_INPUTS := $(shell find web/src web/graphql/src web/public web/scripts -type f 2>/dev/null) \
	$(wildcard schema/*.graphql web/index.html web/*.ts web/tsconfig*.json web/graphql/*.ts web/graphql/tsconfig*.json) \
	web/package.json web/package-lock.json web/graphql/package.json

# npm ci only when the lock file or a package.json changed since the last install.
web/node_modules/.package-lock.json: web/package-lock.json web/package.json web/graphql/package.json
	cd web && $(NPM) ci --no-audit --no-fund
	@touch $@

web: web/site/app/index.html ## Build the web app into web/site/app (only when its sources changed): npm ci, stale-types check, type-check, Vite build, size report

web/site/app/index.html: web/node_modules/.package-lock.json $(WEB_INPUTS)
	cd web && $(NPM) run check
	cd web && $(NPM) run build
	@touch $@

generate-web: web/node_modules/.package-lock.json ## Regenerate the typed GraphQL layer both apps use (web/graphql/src/generated) from schema/*.graphql
	cd web && $(NPM) run codegen

test-web: web ## Web tests: Vitest (shared GraphQL package and app), then the browser end-to-end tests in Chromium
	cd web && $(NPM) test
	@# One server binary (embedding the fresh web/site/app) for every end-to-end file, built as the
	@# release is, so the image check (.ci/image.py) finds its packages in the build cache.
	CGO_ENABLED=0 $(GO) build $(RELEASE_FLAGS) -o web/e2e/.bin/carequeue ./cmd/carequeue
	cd web && CAREQUEUE_BIN=e2e/.bin/carequeue $(NPM) run e2e

# --- patient app (mobile/: see mobile/README.md) -------------------------------------------------
# An Expo project of its own (its own React Native React), compiling the shared typed GraphQL layer
# from web/graphql/src: no second codegen, so `make generate` and `npm run check` in web/ cover it.
MOBILE_BIN := mobile/e2e/.bin/carequeue

mobile/node_modules/.package-lock.json: mobile/package-lock.json mobile/package.json web/graphql/package.json
	cd mobile && $(NPM) ci --no-audit --no-fund
	@touch $@

mobile: web/node_modules/.package-lock.json mobile/node_modules/.package-lock.json ## Patient app: stale-types check, tsc and lint
	cd web && $(NPM) run check --workspace @carequeue/graphql
	cd mobile && $(NPM) run typecheck
	cd mobile && $(NPM) run lint

mobile-web: mobile ## Build the patient app for a browser into mobile/dist/web (API on the same origin: serve it with mobile/e2e/serve.mjs)
	cd mobile && EXPO_PUBLIC_API_URL=/ $(NPM) run export:web

test-mobile: mobile-web ## Patient-app tests: Jest, the Android and iOS JS bundles, then the web build in Chromium against a real server
	cd mobile && $(NPM) test -- --maxWorkers=2
	cd mobile && $(NPM) run export:native
	CGO_ENABLED=0 $(GO) build $(RELEASE_FLAGS) -o $(MOBILE_BIN) ./cmd/carequeue
	cd mobile && CAREQUEUE_BIN=e2e/.bin/carequeue $(NPM) run e2e
