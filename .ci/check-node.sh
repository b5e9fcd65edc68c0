#!/usr/bin/env bash
# The Node.js version is stated in one place, the "engines" of web/package.json, and everything else
# must agree with it: mobile/package.json's engines, the "Node.js X.Y+" of the READMEs and the Makefile,
# and the Dockerfile's node image (the same major line, at or above the minimum). With --installed it
# also checks the node on PATH meets it (what .ci/run builds and tests with).
#   bash .ci/check-node.sh [--installed]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fail=0
problem() {
  echo "check-node: $*" >&2
  fail=1
}

engines() { node -p "require('./$1').engines?.node ?? ''"; }
want="$(engines web/package.json)"
if [[ ! "$want" =~ ^\>=([0-9]+)\.([0-9]+)\.0$ ]]; then
  echo "check-node: web/package.json engines.node must read \">=MAJOR.MINOR.0\" (found \"$want\")" >&2
  exit 1
fi
major="${BASH_REMATCH[1]}" minor="${BASH_REMATCH[2]}"
[[ "$(engines mobile/package.json)" == "$want" ]] ||
  problem "mobile/package.json engines.node is \"$(engines mobile/package.json)\", web/package.json says \"$want\""

# Every "Node.js X.Y+" in the docs and the Makefile's hint names the same minimum.
for f in README.md web/README.md mobile/README.md Makefile; do
  found="$(grep -o 'Node\.js [0-9][0-9]*\.[0-9][0-9]*+' "$f" | sort -u || true)"
  [[ -n "$found" ]] || problem "$f does not say which Node.js it needs (\"Node.js $major.$minor+\")"
  while read -r line; do
    [[ -z "$line" || "$line" == "Node.js $major.$minor+" ]] || problem "$f says \"$line\", the engines say $major.$minor+"
  done <<<"$found"
done

# The image builds with the major line CI tests, at or above the minimum.
tag="$(sed -n 's/^FROM node:\([^ ]*\) AS web$/\1/p' Dockerfile)"
if [[ "$tag" =~ ^([0-9]+)\.([0-9]+)(\.[0-9]+)?-[a-z-]+$ ]]; then
  ((BASH_REMATCH[1] == major && BASH_REMATCH[2] >= minor)) ||
    problem "Dockerfile builds on node:$tag, the engines say $major.$minor+ on the $major line"
else
  problem "Dockerfile's web stage must use node:MAJOR.MINOR[-variant] (found \"$tag\")"
fi

# The public CI workflow tests on the same line, at or above the minimum.
while read -r v; do
  if [[ "$v" =~ ^([0-9]+)\.([0-9]+)$ ]]; then
    ((BASH_REMATCH[1] == major && BASH_REMATCH[2] >= minor)) ||
      problem ".github/workflows/ci.yml sets node-version $v, the engines say $major.$minor+ on the $major line"
  else
    problem ".github/workflows/ci.yml node-version must read \"MAJOR.MINOR\" (found \"$v\")"
  fi
done < <(sed -n 's/^ *node-version: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' .github/workflows/ci.yml)

if [[ "${1:-}" == "--installed" ]]; then
  have="$(node -p 'process.versions.node')"
  IFS=. read -r a b _ <<<"$have"
  ((a > major || (a == major && b >= minor))) ||
    problem "node $have is installed; the web and patient apps need $major.$minor+ (install it)"
fi

((fail == 0)) && echo "check-node: Node.js $major.$minor+ everywhere (engines, READMEs, Makefile, Dockerfile node:$tag, GitHub workflow)"
exit "$fail"
