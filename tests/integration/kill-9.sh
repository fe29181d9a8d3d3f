#!/usr/bin/env bash
# kill-9.sh - crash safety (issue 8, DESIGN.md §10): slipway killed with
# SIGKILL at random points of
#   refresh          epss from a local http:// mirror (fault-server.py,
#                    /ok/), a 300 000-row EPSS day;
#   import           kernel-cna from a 3 000-record vulns.git tarball
#                    (tests/bench/gen-kernel-cna.py over the real records);
#   inventory --import  400 generated host reports (tests/bench/gen-reports.py);
#   plan             the HTML export (-o) of the plan of those hosts;
# KILL9_RUNS times each (default 30), each from the same starting database,
# after a random delay within the command's own running time. After every
# kill: PRAGMA integrity_check says ok, and the data equals the state
# before the command or the state after a complete run of it, never a mix
# (for inventory --import, which commits a batch of whole reports at a
# time, every stored host has all of its report: the invariant of
# tests/bench/import-kill.sh, here under many random kills); an export
# file is either missing or the complete plan (exports are written to a
# temporary name and renamed).
# Then disk full: the database on a 2 MiB tmpfs (root only; unmounted in a
# trap), an import that does not fit fails with one line naming the
# database and "database or disk is full", exit 1, integrity_check ok, the
# earlier data intact.
# SLIPWAY_BIN names the binary (default: the build's). Needs python3 and
# sqlite3 (exit 77 when missing; a failure under SLIPWAY_REQUIRE_REAL=1).
set -u

SRC=${SLIPWAY_SOURCE_ROOT:?}
SLIPWAY=${SLIPWAY_BIN:-${SLIPWAY_BUILD_ROOT:?}/slipway}
SAMPLES=${SLIPWAY_SAMPLES:-$SRC/../shared/samples}
DATA=$SRC/tests/data
RUNS=${KILL9_RUNS:-30}

skip() {
	if [ "${SLIPWAY_REQUIRE_REAL:-}" = 1 ]; then
		echo "FAIL: $* (SLIPWAY_REQUIRE_REAL=1)"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
[ -x "$SLIPWAY" ] || { echo "FAIL: '$SLIPWAY' is not built"; exit 1; }
for tool in python3 sqlite3 gzip tar awk; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done

T=$(mktemp -d /tmp/slipway-kill9-XXXXXX)
PIDS=
MNT=
cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ -n "$MNT" ]; then
		umount "$MNT" 2>/dev/null
	fi
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

DB=$T/db/slipway.db
mkdir -p "$T/db"

# Everything stored, without the clocks a run sets (feed times, the host's
# last inventory): two complete runs of the same command give the same dump.
dump() {
	sqlite3 "$1" .dump | grep -v -e '^INSERT INTO feed ' -e '^INSERT INTO host '
	sqlite3 "$1" "SELECT name, source, etag, last_modified, records, rejected, last_error,
		state FROM feed ORDER BY name"
	sqlite3 "$1" "SELECT * FROM host ORDER BY name" | sed 's/|[^|]*|[^|]*$//'
}

now_ms() {
	date +%s%3N
}

# --- inputs -------------------------------------------------------------
python3 - "$T/epss.csv.gz" <<'PY'
import gzip, sys
# A real EPSS day's shape: the model comment line, the header, then rows.
with gzip.open(sys.argv[1], "wt", compresslevel=1) as f:
    f.write("#model_version:v2023.03.01,score_date:2025-02-21T00:00:00+0000\n")
    f.write("cve,epss,percentile\n")
    for i in range(300000):
        f.write("CVE-%d-%05d,0.%05d,0.%05d\n" % (2000 + i // 100000, i % 100000,
                                                 (i * 37) % 100000, (i * 91) % 100000))
PY
python3 "$SRC/tests/bench/gen-kernel-cna.py" "$DATA/feeds/kernel-cna-subset" "$T/kcna" 3000 >/dev/null
(cd "$T/kcna" && tar -czf "$T/vulns.tar.gz" cve)
python3 "$SRC/tests/bench/gen-reports.py" "$SAMPLES/engine" "$DATA/reports" "$T/reports" 400 >/dev/null ||
	skip "gen-reports.py needs the engine samples in '$SAMPLES'"

python3 "$SRC/tests/integration/fault-server.py" --body "$T/epss.csv.gz" --port-file "$T/port" 2>/dev/null &
PIDS="$PIDS $!"
for _ in $(seq 100); do
	[ -s "$T/port" ] && break
	sleep 0.1
done
[ -s "$T/port" ] || skip "fault-server.py does not start"
cat >"$T/slipway.conf" <<CONF
[feed epss]
mirror = http://127.0.0.1:$(cat "$T/port")/ok

[window sunday-night]
rrule = FREQ=WEEKLY;BYDAY=SU
start = 02:00
duration = 4h
timezone = Europe/Berlin
hosts = *
CONF
chmod 644 "$T/slipway.conf"
export SLIPWAY_CONFIG=$T/slipway.conf
unset SLIPWAY_DB

# The starting database: some of every kind of data, so a command that
# wrongly touched other data shows.
S() { "$SLIPWAY" -q -d "$DB" "$@"; }
S import kev "$DATA/feeds/kev/known_exploited_vulnerabilities.slice.json" >/dev/null &&
	S import osv-go "$DATA/feeds/osv/go" >/dev/null &&
	S import epss "$DATA/feeds/epss/epss_scores-current.slice.csv.gz" >/dev/null &&
	S import kernel-cna "$DATA/feeds/kernel-cna" >/dev/null &&
	S inventory --import "$DATA/reports/docker-debian12.json" >/dev/null ||
	{ echo "FAIL: the starting database does not load"; exit 1; }
cp "$DB" "$T/start.db"

reset_db() { # FILE: the database becomes a copy of FILE
	rm -f "$DB" "$DB-wal" "$DB-shm"
	cp "$1" "$DB"
}

total_runs=0
total_hits=0

# killtest NAME VERIFY -- COMMAND...: RUNS kills of COMMAND; VERIFY is
# "states" (the dump is the before or the after state) or "reports"
# (whole reports only).
killtest() {
	local name=$1 verify=$2 full_ms t0 i delay pid hit=0 nbefore=0 nafter=0 nmid=0 bad=0 out=
	shift 3
	reset_db "$T/start.db"
	dump "$DB" >"$T/before.dump"
	t0=$(now_ms)
	"$@" >/dev/null 2>"$T/full.err" || { fail "$name: a complete run fails: $(cat "$T/full.err")"; return; }
	full_ms=$(($(now_ms) - t0))
	dump "$DB" >"$T/after.dump"
	cmp -s "$T/before.dump" "$T/after.dump" && [ "$name" != plan ] &&
		fail "$name: a complete run changed nothing; the test would prove nothing"
	[ "$name" != plan ] || cp "$T/out/plan.html" "$T/full/plan.html"
	cp "$DB" "$T/after.db"
	for i in $(seq "$RUNS"); do
		reset_db "$T/start.db"
		rm -rf "$T/out"
		mkdir -p "$T/out"
		# Anywhere from the start to a little past the end of a run.
		delay=$(awk -v ms="$full_ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", ms * 1.1 * r / 32768 / 1000 }')
		"$@" >/dev/null 2>&1 &
		pid=$!
		sleep "$delay"
		if kill -9 "$pid" 2>/dev/null; then
			hit=$((hit + 1))
		fi
		wait "$pid" 2>/dev/null
		if [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" != ok ]; then
			fail "$name: integrity_check after a kill at ${delay}s: $(sqlite3 "$DB" 'PRAGMA integrity_check' | head -1)"
			bad=$((bad + 1))
			continue
		fi
		dump "$DB" >"$T/kill.dump"
		if cmp -s "$T/kill.dump" "$T/before.dump"; then
			nbefore=$((nbefore + 1))
		elif cmp -s "$T/kill.dump" "$T/after.dump"; then
			nafter=$((nafter + 1))
		elif [ "$verify" = reports ] && whole_reports "$DB"; then
			nmid=$((nmid + 1))
		else
			fail "$name: a kill at ${delay}s left a mix: $(diff "$T/before.dump" "$T/kill.dump" | head -3 | tr '\n' ' ')"
			bad=$((bad + 1))
		fi
		[ "$name" != plan ] || plan_files_whole "$delay" || bad=$((bad + 1))
	done
	total_runs=$((total_runs + RUNS))
	total_hits=$((total_hits + hit))
	out="$name (a run takes ${full_ms} ms): $RUNS kills, $hit while running;"
	out="$out afterwards $nbefore before-state, $nafter after-state"
	[ "$verify" = reports ] && out="$out, $nmid whole-reports-only"
	[ "$bad" = 0 ] && ok "$out" || fail "$out, $bad bad"
	[ "$hit" -ge $((RUNS / 3)) ] || fail "$name: only $hit of $RUNS kills hit a running command"
}

# Every stored host has all the containers, images and packages of its
# report and one snapshot (tests/bench/import-kill.sh's invariant).
whole_reports() {
	python3 - "$1" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute(
    "SELECT name, source,"
    " (SELECT count(*) FROM container c WHERE c.hid = h.hid),"
    " (SELECT count(*) FROM image i WHERE i.hid = h.hid),"
    " (SELECT count(*) FROM package p WHERE p.hid = h.hid),"
    " (SELECT count(*) FROM host_snapshot s WHERE s.hid = h.hid) FROM host h").fetchall()
for name, src, nc, ni, npk, ns in rows:
    with open(src) as f:
        r = json.load(f)
    e = r.get("engine") or {}
    want = (len(e.get("containers") or []), len(e.get("images") or []),
            len(r.get("packages") or []), 1)
    if (nc, ni, npk, ns) != want:
        print("partial host %s: %r, want %r" % (name, (nc, ni, npk, ns), want))
        sys.exit(1)
PY
}

# The plan exports after a kill: missing or complete.
plan_files_whole() {
	local f
	for f in plan.html; do
		[ -e "$T/out/$f" ] || continue
		cmp -s "$T/out/$f" "$T/full/$f" || {
			fail "plan: a kill at $1 s left a half-written $f ($(stat -c %s "$T/out/$f") of $(stat -c %s "$T/full/$f") bytes)"
			return 1
		}
	done
	return 0
}

killtest refresh states -- "$SLIPWAY" -q -d "$DB" refresh epss
killtest import states -- "$SLIPWAY" -q -d "$DB" import kernel-cna "$T/vulns.tar.gz"
killtest "inventory --import" reports -- "$SLIPWAY" -q -d "$DB" inventory --import "$T"/reports/*.json

# plan brings the findings up to date (first_seen is the clock of the
# first run that saw one), then plans; its exports are the files to watch.
# The findings are computed once here, so every run starts from the same
# state and writes the same plan.
reset_db "$T/start.db"
S inventory --import "$T"/reports/*.json >/dev/null
S findings >/dev/null
cp "$DB" "$T/start.db"
mkdir -p "$T/out" "$T/full"
PLAN=("$SLIPWAY" -q -d "$DB" plan --start 2026-12-01 --weeks 8 --format html -o "$T/out/plan.html")
"${PLAN[@]}" || fail "plan does not run"
cp "$T/out/plan.html" "$T/full/"
killtest plan states -- "${PLAN[@]}"
echo "kill -9 runs: $total_runs, $total_hits of them while the command ran"

# --- disk full ------------------------------------------------------------
diskfull() {
	local mnt=$T/tmpfs err rc
	if [ "$(id -u)" != 0 ]; then
		echo "disk full: not root, cannot mount a tmpfs"
		return 77
	fi
	mkdir -p "$mnt"
	mount -t tmpfs -o size=2m,mode=0700 slipway-kill9 "$mnt" 2>"$T/mount.err" || {
		echo "disk full: cannot mount a tmpfs: $(cat "$T/mount.err")"
		return 77
	}
	MNT=$mnt
	local db=$mnt/slipway.db
	"$SLIPWAY" -q -d "$db" import kev "$DATA/feeds/kev/known_exploited_vulnerabilities.slice.json" >/dev/null ||
		fail "disk full: kev does not fit in 2 MiB"
	local kev_before
	kev_before=$(sqlite3 "$db" 'SELECT * FROM kev ORDER BY cve')
	"$SLIPWAY" -q -d "$db" import kernel-cna "$T/vulns.tar.gz" >/dev/null 2>"$T/full.err"
	rc=$?
	err=$(cat "$T/full.err")
	[ "$rc" = 1 ] || fail "disk full: import exits $rc, want 1"
	[ "$(wc -l <"$T/full.err")" = 1 ] || fail "disk full: $(wc -l <"$T/full.err") lines: $err"
	echo "$err" | grep -q "database or disk is full" && echo "$err" | grep -qF "$db" &&
		ok "disk full: one line: $err" || fail "disk full: the line does not name the database and the cause: $err"
	[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok "disk full: integrity_check ok" ||
		fail "disk full: integrity_check: $(sqlite3 "$db" 'PRAGMA integrity_check' | head -1)"
	[ "$(sqlite3 "$db" 'SELECT * FROM kev ORDER BY cve')" = "$kev_before" ] &&
		[ "$(sqlite3 "$db" "SELECT count(*) FROM advisory WHERE feed = 'kernel-cna'")" = 0 ] &&
		ok "disk full: the earlier data is intact, nothing of the failed import stored" ||
		fail "disk full: the data changed"
	umount "$mnt" 2>/dev/null
	MNT=
	return 0
}
diskfull
[ $? = 77 ] && { [ "${SLIPWAY_REQUIRE_REAL:-}" = 1 ] && fail "disk full part skipped" || echo "SKIP: disk full part"; }

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all checks passed"
