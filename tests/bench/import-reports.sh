#!/bin/sh
# import-reports.sh - benchmark (issue 4): import 10 000 host reports in
# under 10 s with `slipway inventory --import`. The reports are generated
# by gen-reports.py from the real engine answers and host fixtures; N and
# the limit can be changed with REPORTS and LIMIT_SECONDS.
set -eu
SLIPWAY=${SLIPWAY_BUILD_ROOT:?}/slipway
SRC=${SLIPWAY_SOURCE_ROOT:?}
N=${REPORTS:-10000}
LIMIT=${LIMIT_SECONDS:-10}
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
T=$(mktemp -d /tmp/slipway-bench-reports-XXXXXX)
trap 'rm -rf "$T"' EXIT
: > "$T/empty.conf"
export SLIPWAY_DB=$T/db.sqlite SLIPWAY_CONFIG=$T/empty.conf
python3 "$SRC/tests/bench/gen-reports.py" "${SLIPWAY_SAMPLES:-$SRC/../shared/samples}/engine" \
	"$SRC/tests/data/reports" "$T/r" "$N"
start=$(date +%s.%N)
"$SLIPWAY" -q inventory --import "$T"/r/*.json >/dev/null
end=$(date +%s.%N)
hosts=$(sqlite3 "$SLIPWAY_DB" 'SELECT count(*) FROM host' 2>/dev/null || echo "?")
secs=$(echo "$end - $start" | bc)
echo "imported $N reports ($hosts hosts) in $secs s (limit $LIMIT s)"
[ "$hosts" = "?" ] || [ "$hosts" = "$N" ] || { echo "FAIL: $hosts hosts stored, want $N"; exit 1; }
[ "$(echo "$secs < $LIMIT" | bc)" = 1 ] || { echo "FAIL: slower than $LIMIT s"; exit 1; }
