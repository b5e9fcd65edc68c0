#!/usr/bin/env bash
# Lints the PostgreSQL migrations with squawk (npm squawk-cli, a native binary per platform) and exits
# non-zero on any finding. The aim is catching operations that lock or break a live database in later
# migrations: a NOT NULL column without default, a non-concurrent index or a validated constraint on an
# existing table, type changes, drops and renames. A finding that was reviewed and is acceptable (say an
# index on a table known to be small) is silenced in the file with a reason, right above the statement:
#   -- squawk-ignore require-concurrent-index-creation -- service_points holds a few dozen rows
# then re-run `go run ./ent/migrate/migrations/gen <name>` (or any name) to re-sum atlas.sum.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.ci/.tools"          # gitignored; kept between runs on the same machine
version="2.66.0"                  # pinned: a new squawk release can add rules and fail old files
squawk="$tools/node_modules/.bin/squawk"

if ! "$squawk" --version 2>/dev/null | grep -qx "squawk $version"; then
  echo "installing squawk-cli@$version into $tools" >&2
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$tools" "squawk-cli@$version" >&2
fi

args=(
  # The oldest PostgreSQL CareQueue supports (DESIGN.md); rules judge what is safe by version.
  --pg-version=14.0
  # `carequeue migrate` (internal/store) runs each file in one transaction. This also disables
  # prefer-robust-stmts (a failed file leaves nothing behind) and flags CREATE INDEX CONCURRENTLY,
  # which PostgreSQL refuses inside a transaction.
  --assume-in-transaction
  # require-lock-timeout, require-statement-timeout: excluded. Atlas writes the generated files and
  # cannot put SET statements in them; the timeouts belong to the one runner, which sets them for its
  # session, so a lock wait fails fast instead of queueing every query behind an ALTER TABLE.
  --exclude=require-lock-timeout,require-statement-timeout
  # Kept on purpose, though a fresh schema could trip them: prefer-bigint-over-int, prefer-text-field,
  # prefer-timestamp-tz, ban-char-field. ent's PostgreSQL output already is bigint / unbounded varchar /
  # timestamptz, so they fire only when someone overrides a column's SchemaType, which deserves a look.
  # Tables created in the same file are exempt from the lock rules, so the init migration passes.
  --reporter=gcc
)

shopt -s nullglob
files=("$root"/ent/migrate/migrations/postgres/*.sql)
if ((${#files[@]} == 0)); then
  echo "lint-migrations: no PostgreSQL migration files found" >&2
  exit 1
fi

if ! "$squawk" "${args[@]}" "${files[@]}"; then
  echo "lint-migrations: squawk found unsafe operations in the PostgreSQL migrations (see above)" >&2
  exit 1
fi
echo "lint-migrations: ${#files[@]} PostgreSQL migration files passed squawk $version"
