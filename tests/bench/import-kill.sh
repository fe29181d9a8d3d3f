#!/bin/sh
# import-kill.sh - an import killed with SIGKILL in the middle leaves a
# consistent database holding whole reports only (report_import_files()
# commits batches of reports, one savepoint per report): integrity_check
# says ok, and every host stored has all the containers, images and
# packages of its report. A second import of the same files then stores
# them all. Uses 1200 generated reports (gen-reports.py) and kills the
# import once some batches are committed. Then, in one batch with worker
# threads, an invalid report and a missing file fail alone: one line each
# naming the file (and the field), exit 1, nothing stored from them.
set -eu
SLIPWAY=${SLIPWAY_BUILD_ROOT:?}/slipway
SRC=${SLIPWAY_SOURCE_ROOT:?}
N=1200
for c in python3 sqlite3; do
	command -v "$c" >/dev/null || {
		[ "${SLIPWAY_REQUIRE_REAL:-0}" = 1 ] && { echo "FAIL: no $c"; exit 1; }
		echo "SKIP: no $c"; exit 77; }
done
T=$(mktemp -d /tmp/slipway-import-kill-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
: > "$T/empty.conf"
export SLIPWAY_DB=$T/db.sqlite SLIPWAY_CONFIG=$T/empty.conf
python3 "$SRC/tests/bench/gen-reports.py" "${SLIPWAY_SAMPLES:-$SRC/../shared/samples}/engine" \
	"$SRC/tests/data/reports" "$T/r" "$N" >/dev/null
"$SLIPWAY" -q inventory --import "$T"/r/*.json >/dev/null &
pid=$!
# kill once at least one batch is committed, well before the end
i=0
while :; do
	n=$(sqlite3 "$SLIPWAY_DB" 'SELECT count(*) FROM host' 2>/dev/null || echo 0)
	[ "${n:-0}" -gt 0 ] && break
	kill -0 "$pid" 2>/dev/null || break
	i=$((i + 1))
	[ "$i" -lt 3000 ] || { echo "FAIL: nothing committed in 300 s"; exit 1; }
	sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=
[ "$(sqlite3 "$SLIPWAY_DB" 'PRAGMA integrity_check')" = ok ] || { echo "FAIL: integrity_check"; exit 1; }
python3 - "$SLIPWAY_DB" "$N" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute(
    "SELECT name, source,"
    " (SELECT count(*) FROM container c WHERE c.hid = h.hid),"
    " (SELECT count(*) FROM image i WHERE i.hid = h.hid),"
    " (SELECT count(*) FROM package p WHERE p.hid = h.hid),"
    " (SELECT count(*) FROM host_snapshot s WHERE s.hid = h.hid) FROM host h").fetchall()
partial = []
for name, src, nc, ni, npk, ns in rows:
    with open(src) as f:
        r = json.load(f)
    e = r.get("engine") or {}
    want = (len(e.get("containers") or []), len(e.get("images") or []),
            len(r.get("packages") or []), 1)
    if (nc, ni, npk, ns) != want:
        partial.append(name)
print(f"import-kill: killed after {len(rows)} of {sys.argv[2]} reports were committed;"
      f" {len(partial)} partial")
sys.exit(1 if partial or not rows else 0)
PY
"$SLIPWAY" -q inventory --import "$T"/r/*.json >/dev/null
n=$(sqlite3 "$SLIPWAY_DB" 'SELECT count(*) FROM host')
[ "$n" = "$N" ] || { echo "FAIL: $n hosts after the second import, want $N"; exit 1; }
echo "import-kill: second import stored all $N hosts"

# bad files among good ones: each fails alone, with one line
mkdir "$T/m"
for f in $(ls "$T/r" | head -10); do cp "$T/r/$f" "$T/m/"; done
bad=$(ls "$T/m" | sed -n 4p)
python3 - "$T/m/$bad" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["host"]["name"] = 5
json.dump(r, open(sys.argv[1], "w"))
PY
export SLIPWAY_DB=$T/db2.sqlite
rc=0
"$SLIPWAY" -q inventory --import "$T"/m/*.json "$T/m/missing.json" >/dev/null 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: exit $rc with a bad report, want 1"; cat "$T/err"; exit 1; }
want1="slipway: $T/m/$bad: 'host.name' is not a string"
want2="slipway: cannot open '$T/m/missing.json': No such file or directory"
[ "$(wc -l < "$T/err")" = 2 ] && grep -qxF "$want1" "$T/err" && grep -qxF "$want2" "$T/err" ||
	{ echo "FAIL: messages:"; cat "$T/err"; exit 1; }
n=$(sqlite3 "$SLIPWAY_DB" 'SELECT count(*) FROM host')
[ "$n" = 9 ] || { echo "FAIL: $n hosts stored, want the 9 good ones"; exit 1; }
[ "$(sqlite3 "$SLIPWAY_DB" "SELECT count(*) FROM host WHERE source = '$T/m/$bad'")" = 0 ] ||
	{ echo "FAIL: the bad report was stored"; exit 1; }
echo "import-kill: a bad report and a missing file among 11 failed alone"
