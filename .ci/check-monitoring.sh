#!/usr/bin/env bash
# Checks docs/monitoring (what the compose "monitoring" profile mounts) with Prometheus's own promtool:
#   - prometheus.yml is a valid configuration, with its rule files (a copy whose token file exists:
#     the real one points at the compose secret /run/secrets/metrics-token);
#   - alerts.yml loads, with every lint (duplicate rules);
#   - alerts_test.yml, the alert rules' unit tests, pass;
#   - the Grafana dashboards and provisioning files parse.
# That every series the dashboards and rules query exists is cmd/carequeue's TestMetricsSeries and
# TestPrometheusScrapesCareQueue (a real Prometheus against a started server).
#
# promtool comes with Debian's prometheus package (.ci/run installs it). Without it the check is
# skipped with a message, except under CI=true, where a missing promtool is a failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/docs/monitoring"

if ! command -v promtool >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "ERROR: promtool is missing (apt-get install prometheus): the monitoring files cannot be checked" >&2
    exit 1
  fi
  echo "SKIPPED: promtool is not installed (apt-get install prometheus), docs/monitoring was not checked" >&2
  exit 0
fi
promtool --version 2>&1 | head -1

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$dir/prometheus/"*.yml "$tmp/"
printf 'a-scrape-token\n' >"$tmp/metrics-token"
sed -i "s#/run/secrets/metrics-token#$tmp/metrics-token#" "$tmp/prometheus.yml"
grep -q "$tmp/metrics-token" "$tmp/prometheus.yml" || {
  echo "ERROR: prometheus.yml no longer reads its token from /run/secrets/metrics-token (update this script)" >&2
  exit 1
}

(cd "$tmp" && promtool check config --lint=all --lint-fatal prometheus.yml)
(cd "$tmp" && promtool test rules alerts_test.yml)

for f in "$dir"/grafana/dashboards/*.json; do
  python3 -m json.tool "$f" >/dev/null || {
    echo "ERROR: $f is not valid JSON" >&2
    exit 1
  }
done
python3 - "$dir/grafana" <<'EOF'
import json, pathlib, sys

# Every panel and variable queries the data source that provisioning declares, by its uid.
root = pathlib.Path(sys.argv[1])
uids = set()
for line in (root / "provisioning/datasources/prometheus.yml").read_text().splitlines():
    key, _, value = line.strip().partition(":")
    if key == "uid":
        uids.add(value.strip())
bad = []
for path in sorted((root / "dashboards").glob("*.json")):
    d = json.loads(path.read_text())
    for p in d["panels"] + d.get("templating", {}).get("list", []):
        sources = [p.get("datasource")] + [t.get("datasource") for t in p.get("targets", [])]
        for s in sources:
            if s is not None and s.get("uid") not in uids:
                bad.append(f"{path.name}: {p.get('title') or p.get('name')!r} uses data source {s}")
if not uids or bad:
    sys.exit("dashboards query a data source that provisioning does not declare (uids %s):\n%s" % (sorted(uids), "\n".join(bad)))
print(f"SUCCESS: the dashboards query the provisioned data source {sorted(uids)}")
EOF
