#!/usr/bin/env bash
# Runs every Go fuzz target (func FuzzXxx in a _test.go file) for FUZZTIME each (default 10s), one at a
# time. `make test` already replays each target's seeds and its committed corpus (testdata/fuzz); this
# looks for new inputs. A failing input is written to the package's testdata/fuzz/FuzzXxx: commit it
# with the fix, and it is replayed by every test run from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-10s}"
go="${GO:-go}"
n=0
while read -r file; do
  pkg="./$(dirname "$file")"
  for name in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | cut -d' ' -f2); do
    echo "fuzz $pkg $name for $fuzztime"
    "$go" test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime"
    n=$((n + 1))
  done
done < <(grep -rl --include='*_test.go' '^func Fuzz' --exclude-dir=node_modules --exclude-dir=.git . | sed 's|^\./||' | sort)
echo "fuzzed $n targets"
