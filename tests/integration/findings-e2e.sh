#!/bin/bash
# findings-e2e.sh - end to end from fixtures, no external component: the
# feed fixtures are imported with `slipway import`, host reports of a
# Debian docker.io host, a Debian docker-ce host and an Ubuntu host
# (tests/data/reports/e2e/, built from real reports by build-e2e.py) with
# `slipway inventory --import`; then `slipway findings --json`, `slipway
# hosts --json` and `slipway impact --json` must equal the tables written
# by hand in tests/data/expected/*-e2e.tsv, and --fail-on must exit 3
# exactly when a finding at or above the threshold exists. Never skips.
set -euo pipefail

src=${SLIPWAY_SOURCE_ROOT:?}
bin=${SLIPWAY_BUILD_ROOT:?}/slipway
feeds=$src/tests/data/feeds
reports=$src/tests/data/reports/e2e
expected=$src/tests/data/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

export SLIPWAY_DB=$tmp/slipway.db
: > "$tmp/slipway.conf"
export SLIPWAY_CONFIG=$tmp/slipway.conf

fail() { echo "findings-e2e: $*" >&2; exit 1; }

"$bin" -q import osv-go "$feeds/osv/go" "$feeds/osv/ghsa" > /dev/null
"$bin" -q import osv-ubuntu "$feeds/osv/ubuntu" > /dev/null
"$bin" -q import osv-linux "$feeds/osv/linux" > /dev/null
"$bin" -q import debian-tracker "$feeds/debian-tracker/containers-assembled.json" > /dev/null
"$bin" -q import kev "$feeds/kev/known_exploited_vulnerabilities.slice.json" > /dev/null
"$bin" -q import epss "$feeds/epss/epss_scores-current.slice.csv" > /dev/null
"$bin" -q inventory --import "$reports/deb-web.json" "$reports/ce-1.json" \
	"$reports/ubu-db.json" > /dev/null

# JSON -> sorted TSV with python3 (a CI dependency), '-' for null.
tsv() {
	python3 -c '
import json, sys
rows = json.load(sys.stdin)
keys = sys.argv[1:]
def cell(v):
    if v is None: return "-"
    if v is True: return "true"
    if v is False: return "false"
    return str(v)
for line in sorted("\t".join(cell(r[k]) for k in keys) for r in rows):
    print(line)
' "$@"
}

compare() {   # name expected-file actual-file
	grep -v '^#' "$2" | sort > "$tmp/want"
	if ! diff -u "$tmp/want" "$3"; then
		fail "$1 differs from $2 (- expected, + slipway)"
	fi
}

"$bin" findings --json > "$tmp/findings.json"
tsv host id component package installed fixed feed approximate \
	< "$tmp/findings.json" > "$tmp/findings.tsv"
compare findings "$expected/findings-e2e.tsv" "$tmp/findings.tsv"

"$bin" hosts --json | tsv name urgency bundle targets > "$tmp/hosts.tsv"
compare hosts "$expected/hosts-e2e.tsv" "$tmp/hosts.tsv"

"$bin" impact --json | tsv host container effect > "$tmp/impact.tsv"
compare impact "$expected/impact-e2e.tsv" "$tmp/impact.tsv"

# --fail-on: exit 3 when a finding is at or above the threshold.
expect_exit() {   # code args...
	local want=$1 got=0
	shift
	"$bin" findings "$@" > /dev/null 2>&1 || got=$?
	[ "$got" = "$want" ] || fail "'findings $*' exited $got, expected $want"
}
expect_exit 3 --fail-on critical
expect_exit 0 --fail-on kev
expect_exit 0 --host deb-web --fail-on critical
expect_exit 3 --host deb-web --fail-on high
expect_exit 2 --fail-on severe
echo "findings-e2e: ok"
