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

# snapshot prints one line per file that differs from HEAD or is untracked: its content hash and path.
snapshot() {
  { git diff HEAD --name-only && git ls-files --others --exclude-standard; } | sort -u |
    while IFS= read -r f; do
      if [[ -e "$f" ]]; then
        printf '%s %s\n' "$(sha256sum <"$f" | cut -c1-16)" "$f"
      else
        printf 'deleted %s\n' "$f"
      fi
    done
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
  after="$(snapshot)"
  if [[ "$before" != "$after" ]]; then
    echo "files that generation changed, created or deleted:" >&2
    diff <(echo "$before") <(echo "$after") | sed -n 's/^[<>] [^ ]* /  /p' | sort -u >&2 || true
    stale
  fi
fi
echo "generated code is up to date"
