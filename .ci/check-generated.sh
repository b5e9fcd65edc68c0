#!/usr/bin/env bash
# Fails when committed generated code is stale: it runs `go generate ./...` (ent, the entgql SDL,
# migrations, gqlgen) and checks that nothing changed and no new file appeared. Generation must be
# deterministic for this to work; if it ever is not, fix the generator rather than this check.
#
# In a clean checkout (CI) that is `git diff --exit-code` plus an empty `git status --porcelain`. In a
# working tree with uncommitted edits it compares the tree before and after generation instead, so it
# answers "is generated code in sync with my edits?" without asking you to commit first.
# Needs PostgreSQL on 127.0.0.1:5432 (or MIGRATE_DEV_POSTGRES_URL): the migration generator diffs there.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# snapshot prints the tree's state: the status, and a hash of every changed and untracked file's content.
snapshot() {
  git status --porcelain=v1 --untracked-files=all
  git diff HEAD --binary | sha256sum
  git ls-files -z --others --exclude-standard | xargs -0 -r sha256sum
}

clean=false
if [[ -z "$(git status --porcelain --untracked-files=all)" ]]; then
  clean=true
fi
before="$(snapshot)"

echo "go generate ./..."
go generate ./...

stale() {
  echo >&2
  echo "ERROR: generated code is stale: \`go generate ./...\` changed the files above." >&2
  echo "Run \`make generate\` and commit the result (never edit generated files by hand)." >&2
  exit 1
}

if $clean; then
  if ! git diff --exit-code --stat; then
    git diff | head -n 200 >&2
    stale
  fi
  untracked="$(git status --porcelain --untracked-files=all)"
  if [[ -n "$untracked" ]]; then
    echo "new files after generation:" >&2
    echo "$untracked" >&2
    stale
  fi
else
  echo "(working tree has uncommitted changes: comparing it before and after generation)"
  if [[ "$before" != "$(snapshot)" ]]; then
    diff <(echo "$before") <(snapshot) >&2 || true
    stale
  fi
fi
echo "generated code is up to date"
