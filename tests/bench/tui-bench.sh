#!/bin/sh
# tui-bench.sh - benchmark (issue 7): the UI on a generated fleet of
# 10 000 hosts opens in under 0.5 s and answers a key (scroll, page,
# sort, reverse, switch view) in under 50 ms. The fleet is
# gen-reports.py's (real engine answers, like import-reports.sh) with the
# demo's advisory records, imported and its findings computed first.
# The UI measures itself: SLIPWAY_TUI_TIMING=FILE makes it log "open MS"
# (command start to the first screen drawn) and "key K VIEW MS" (key read
# to its screen drawn, doupdate() included). Keys are sent through tmux.
# HOSTS, OPEN_MS and KEY_MS change the fleet size and the limits.
set -eu
. "${SLIPWAY_SOURCE_ROOT:?}/tests/tui/lib.sh"
N=${HOSTS:-10000}
OPEN_MS=${OPEN_MS:-500}
KEY_MS=${KEY_MS:-50}
command -v python3 >/dev/null || skip "no python3"
: > "$T/empty.conf"
export SLIPWAY_CONFIG=$T/empty.conf SLIPWAY_DB=$T/fleet.db
python3 "$SRC/tests/bench/gen-reports.py" "${SLIPWAY_SAMPLES:-$SRC/../shared/samples}/engine" \
	"$SRC/tests/data/reports" "$T/r" "$N" >/dev/null
for f in osv-go osv-ubuntu debian-tracker kev; do
	"$SLIPWAY" -q import "$f" "$SRC/feeds/demo/$f" >/dev/null
done
find "$T/r" -name '*.json' | xargs "$SLIPWAY" -q inventory --import >/dev/null
"$SLIPWAY" -q findings >/dev/null
hosts=$(sqlite3 "$SLIPWAY_DB" 'SELECT count(*) FROM host' 2>/dev/null || echo "$N")
ctrs=$(sqlite3 "$SLIPWAY_DB" 'SELECT count(*) FROM container' 2>/dev/null || echo "?")

start 120 40 SLIPWAY_TUI_TIMING="$T/timing" SLIPWAY_CONFIG="$SLIPWAY_CONFIG" "$SLIPWAY" -d "$SLIPWAY_DB" tui
wait_for "Findings" 30
keys 2
wait_for "URGENCY" 30
for k in j j j j j NPage NPage PPage G g s s r; do keys "$k"; sleep 0.3; done
for k in 3 4 1 2 Tab; do keys "$k"; sleep 0.5; done
# once the worker has the findings, the impact of every container and
# the plan
wait_gone "working..." 300
sleep 0.5
for k in 4 j NPage s r 5 2 G s s r 3 s 1; do keys "$k"; sleep 0.5; done
keys Q
ended 0
cat "$T/timing"
open=$(awk '$1 == "open" { print $2 }' "$T/timing")
worst=$(awk '$1 == "key" { if ($4 > m) { m = $4; k = $2 " in " $3 } } END { print m, k }' "$T/timing")
keys_n=$(grep -c '^key ' "$T/timing")
echo "fleet: $hosts hosts, $ctrs containers; open ${open} ms (limit $OPEN_MS); $keys_n keys, slowest ${worst} ms (limit $KEY_MS)"
awk -v o="$open" -v l="$OPEN_MS" 'BEGIN { exit !(o < l) }' || { echo "FAIL: open took $open ms"; exit 1; }
awk -v l="$KEY_MS" '$1 == "key" && $4 >= l { print "FAIL: key " $2 " in " $3 " took " $4 " ms"; bad = 1 } END { exit bad }' "$T/timing"
