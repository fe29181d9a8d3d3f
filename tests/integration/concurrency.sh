#!/usr/bin/env bash
# concurrency.sh - readers and writers on one database at once (issue 8,
# DESIGN.md §4: the UI reads while the timer's refresh writes; WAL mode):
#   - readers: a loop of `hosts --json`, `findings --json` and `feeds --json`
#     and, when tmux is installed, the UI itself (`slipway tui` in a private
#     tmux server), open for the whole test;
#   - writers at the same time: `refresh epss` (a 300 000-row EPSS day from a
#     local http:// mirror, tests/integration/fault-server.py) and
#     `inventory --import` of 300 generated reports (tests/bench/gen-reports.py);
# CONCURRENCY_ROUNDS rounds (default 3). Every reader run and both writers
# exit 0 with nothing on stderr (no "database is locked"); afterwards the
# readers see the new data, and the UI shows it after R (reload).
# Two refreshes never interleave: a second one waits, then exits 1 naming
# the holder; tests/integration/feeds-nginx.sh (part 5) checks that.
# SLIPWAY_BIN names the binary. Needs python3 and sqlite3 (exit 77 when
# missing; a failure under SLIPWAY_REQUIRE_REAL=1).
set -u

SRC=${SLIPWAY_SOURCE_ROOT:?}
SLIPWAY=${SLIPWAY_BIN:-${SLIPWAY_BUILD_ROOT:?}/slipway}
SAMPLES=${SLIPWAY_SAMPLES:-$SRC/../shared/samples}
DATA=$SRC/tests/data
ROUNDS=${CONCURRENCY_ROUNDS:-3}
NREPORTS=300

skip() {
	if [ "${SLIPWAY_REQUIRE_REAL:-}" = 1 ]; then
		echo "FAIL: $* (SLIPWAY_REQUIRE_REAL=1)"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
[ -x "$SLIPWAY" ] || { echo "FAIL: '$SLIPWAY' is not built"; exit 1; }
for tool in python3 sqlite3; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done

T=$(mktemp -d /tmp/slipway-concurrency-XXXXXX)
TMUX_SOCK=slipway-concurrency-$$
PIDS=
cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	command -v tmux >/dev/null && tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}

python3 - "$T/epss.csv.gz" <<'PY'
import gzip, sys
with gzip.open(sys.argv[1], "wt", compresslevel=1) as f:
    f.write("#model_version:v2023.03.01,score_date:2025-02-21T00:00:00+0000\n")
    f.write("cve,epss,percentile\n")
    for i in range(300000):
        f.write("CVE-%d-%05d,0.%05d,0.%05d\n" % (2000 + i // 100000, i % 100000,
                                                 (i * 37) % 100000, (i * 91) % 100000))
PY
python3 "$SRC/tests/bench/gen-reports.py" "$SAMPLES/engine" "$DATA/reports" "$T/reports" "$NREPORTS" >/dev/null ||
	skip "gen-reports.py needs the engine samples in '$SAMPLES'"
python3 "$SRC/tests/integration/fault-server.py" --body "$T/epss.csv.gz" --port-file "$T/port" 2>/dev/null &
PIDS="$PIDS $!"
for _ in $(seq 100); do
	[ -s "$T/port" ] && break
	sleep 0.1
done
[ -s "$T/port" ] || skip "fault-server.py does not start"
printf '[feed epss]\nmirror = http://127.0.0.1:%s/ok\n' "$(cat "$T/port")" >"$T/slipway.conf"
chmod 644 "$T/slipway.conf"
export SLIPWAY_CONFIG=$T/slipway.conf
export SLIPWAY_DB=$T/db/slipway.db

"$SLIPWAY" -q import kev "$DATA/feeds/kev/known_exploited_vulnerabilities.slice.json" >/dev/null &&
	"$SLIPWAY" -q import osv-go "$DATA/feeds/osv/go" >/dev/null &&
	"$SLIPWAY" -q import epss "$DATA/feeds/epss/epss_scores-current.slice.csv.gz" >/dev/null &&
	"$SLIPWAY" -q inventory --import "$DATA/reports/docker-debian12.json" >/dev/null ||
	{ echo "FAIL: the starting database does not load"; exit 1; }
cp "$SLIPWAY_DB" "$T/start.db"

# The UI as a reader, in a private tmux server, started on each round's
# fresh database (a database file replaced under an open UI is another file).
tui=0
command -v tmux >/dev/null && tui=1 || echo "note: tmux is not installed; the UI is not part of the readers"
printf '%s\n' "exec '$SLIPWAY' tui" >"$T/tui.sh"
tui_start() {
	local try
	rm -f "$T/screen0"
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	# kill-server returns before the old server has gone; a new session
	# started at once can fail against the dying one.
	for _ in $(seq 50); do
		tmux -L "$TMUX_SOCK" has-session 2>/dev/null || break
		sleep 0.1
	done
	for try in 1 2 3; do
		tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 160 -y 48 \
			"TERM=xterm-256color SLIPWAY_DB='$SLIPWAY_DB' SLIPWAY_CONFIG='$SLIPWAY_CONFIG' sh '$T/tui.sh'" &&
			break
		[ "$try" = 3 ] && return 1
		sleep 0.5
	done
	for _ in $(seq 200); do
		tmux -L "$TMUX_SOCK" capture-pane -p >"$T/screen0" 2>/dev/null
		grep -q '1 hosts' "$T/screen0" && return 0
		sleep 0.1
	done
	return 1
}
# After the writes: R reloads; the overview counts the new hosts.
tui_check() {
	local i
	if ! tmux -L "$TMUX_SOCK" list-panes -F '#{pane_dead}' 2>/dev/null | grep -qx 0; then
		fail "round $1: the UI died during the writes"
		return
	fi
	tmux -L "$TMUX_SOCK" send-keys R
	for i in $(seq 200); do
		tmux -L "$TMUX_SOCK" capture-pane -p >"$T/screen1"
		grep -q "$((NREPORTS + 1)) hosts" "$T/screen1" && break
		sleep 0.1
	done
	grep -q "$((NREPORTS + 1)) hosts" "$T/screen1" &&
		ok "round $1: the UI was open through the writes and shows $((NREPORTS + 1)) hosts after R" ||
		fail "round $1: the UI does not show the new hosts after R: $(grep hosts "$T/screen1" | head -2)"
}

# reader: until $T/stop exists, runs the listings; one line per run:
# "STATUS COMMAND" and stderr collected.
reader() {
	local n=0 cmd
	while [ ! -e "$T/stop" ]; do
		for cmd in "hosts --json" "findings --json" "feeds --json"; do
			# shellcheck disable=SC2086
			"$SLIPWAY" $cmd >/dev/null 2>>"$T/reader.err"
			echo "$? $cmd" >>"$T/reader.log"
			n=$((n + 1))
		done
	done
}

reader_runs=0
writer_runs=0
for round in $(seq "$ROUNDS"); do
	rm -f "$SLIPWAY_DB" "$SLIPWAY_DB-wal" "$SLIPWAY_DB-shm" "$T/stop" "$T/reader.log" "$T/reader.err"
	cp "$T/start.db" "$SLIPWAY_DB"
	if [ "$tui" = 1 ] && ! tui_start; then
		fail "round $round: the UI does not start: $(head -5 "$T/screen0" 2>/dev/null)"
		tui=0
	fi
	reader &
	rpid=$!
	reader &
	rpid2=$!
	sleep 0.3
	"$SLIPWAY" -q refresh epss >/dev/null 2>"$T/refresh.err" &
	wpid1=$!
	"$SLIPWAY" -q inventory --import "$T"/reports/*.json >/dev/null 2>"$T/inventory.err" &
	wpid2=$!
	wait "$wpid1"
	rc1=$?
	wait "$wpid2"
	rc2=$?
	writer_runs=$((writer_runs + 2))
	sleep 0.3
	touch "$T/stop"
	wait "$rpid" "$rpid2"
	n=$(wc -l <"$T/reader.log")
	reader_runs=$((reader_runs + n))
	[ "$rc1" = 0 ] && [ ! -s "$T/refresh.err" ] || fail "round $round: refresh exits $rc1: $(cat "$T/refresh.err")"
	[ "$rc2" = 0 ] && [ ! -s "$T/inventory.err" ] || fail "round $round: inventory exits $rc2: $(cat "$T/inventory.err")"
	# feeds --json exits 4 when a feed is stale (most are never loaded here).
	bad=$(grep -v -e '^0 ' -e '^4 feeds' "$T/reader.log" | sort | uniq -c)
	[ -z "$bad" ] && [ ! -s "$T/reader.err" ] &&
		ok "round $round: $n reader runs during the writes, all succeeded; refresh and inventory succeeded" ||
		fail "round $round: readers failed: $bad $(sort "$T/reader.err" | uniq -c | head -3)"
	hosts=$("$SLIPWAY" hosts --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	epss=$("$SLIPWAY" feeds --json | python3 -c 'import json,sys; print([f["records"] for f in json.load(sys.stdin) if f["name"] == "epss"][0])')
	[ "$hosts" = $((NREPORTS + 1)) ] && [ "$epss" = 300000 ] &&
		ok "round $round: afterwards a reader sees $hosts hosts and $epss EPSS scores" ||
		fail "round $round: afterwards: $hosts hosts, epss $epss"
	[ "$(sqlite3 "$SLIPWAY_DB" 'PRAGMA integrity_check')" = ok ] || fail "round $round: integrity_check"
	[ "$tui" = 1 ] && tui_check "$round"
done

echo "concurrent runs: $writer_runs writers ($ROUNDS refresh + $ROUNDS inventory --import, pairwise at once)" \
	"with $reader_runs reader runs$([ "$tui" = 1 ] && echo ' and the UI') open"

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all checks passed"
