#!/usr/bin/env bash
# damaged-inputs.sh - every damaged input of tests/data/damaged/ (written by
# make-damaged.py: feeds, host reports, config files, engine answers) and
# every network fault of tests/integration/fault-server.py (an enormous
# answer, a slow server, a body cut short, a Content-Length longer than the
# body, a 500 then success) given to slipway. For each one, what a
# sysadmin relies on (issue 8, DESIGN.md §9):
#   - exactly one line on stderr, naming the input (file or URL);
#   - exit status 1 (0 for the 500-then-success retry);
#   - no crash: status < 128, no sanitizer report, no hang (timeout);
#   - the stored data unchanged (a dump of every table before and after,
#     without the clock and last-error columns of `feed` and `host`);
#   - PRAGMA integrity_check ok.
# Prints one line per input that misbehaves and a summary of outcomes.
# SLIPWAY_BIN names the binary (default: the build's), so the same test runs
# against an ASan/UBSan build. Needs python3 and sqlite3 (exit 77 when
# missing, a failure under SLIPWAY_REQUIRE_REAL=1).
set -u

SRC=${SLIPWAY_SOURCE_ROOT:?}
SLIPWAY=${SLIPWAY_BIN:-${SLIPWAY_BUILD_ROOT:?}/slipway}
SAMPLES=${SLIPWAY_SAMPLES:-$SRC/../shared/samples}
DATA=$SRC/tests/data
CMD_TIMEOUT=${DAMAGED_TIMEOUT:-300}

skip() {
	if [ "${SLIPWAY_REQUIRE_REAL:-}" = 1 ]; then
		echo "FAIL: $* (SLIPWAY_REQUIRE_REAL=1)"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
[ -x "$SLIPWAY" ] || { echo "FAIL: '$SLIPWAY' is not built"; exit 1; }
for tool in python3 sqlite3 timeout gzip; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ -d "$SAMPLES/engine/docker" ] || skip "no engine samples in '$SAMPLES'"

T=$(mktemp -d /tmp/slipway-damaged-XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
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

# --- the corpus: regenerated; the committed part must be the same -------
python3 "$DATA/damaged/make-damaged.py" "$SRC" "$SAMPLES" "$T/small" --small >/dev/null ||
	{ echo "FAIL: make-damaged.py --small failed"; exit 1; }
if diff -r -x make-damaged.py -x README.md -x '__pycache__' "$T/small" "$DATA/damaged" >"$T/diff"; then
	ok "the committed corpus is what make-damaged.py writes ($(($(wc -l <"$T/small/MANIFEST") - 1)) small inputs)"
else
	fail "tests/data/damaged differs from make-damaged.py's output: $(head -5 "$T/diff")"
fi
rm -rf "$T/small"
python3 "$DATA/damaged/make-damaged.py" "$SRC" "$SAMPLES" "$T/corpus" >/dev/null ||
	{ echo "FAIL: make-damaged.py failed"; exit 1; }
C=$T/corpus

# --- a database holding good data of every kind --------------------------
: >"$T/empty.conf"
export SLIPWAY_CONFIG=$T/empty.conf
unset SLIPWAY_DB
DB=$T/db/slipway.db
S() {
	"$SLIPWAY" -q -d "$DB" "$@"
}

ENGINE_SOCK=$T/engine.sock
: >"$T/engine.control"
python3 "$SRC/tests/integration/fault-server.py" --unix "$ENGINE_SOCK" \
	--engine "$SAMPLES/engine/docker" --control "$T/engine.control" 2>"$T/engine.log" &
PIDS="$PIDS $!"
python3 "$SRC/tests/integration/fault-server.py" \
	--body "$DATA/feeds/kev/known_exploited_vulnerabilities.slice.json" \
	--port-file "$T/port" 2>"$T/http.log" &
PIDS="$PIDS $!"
for _ in $(seq 100); do
	[ -S "$ENGINE_SOCK" ] && [ -s "$T/port" ] && break
	sleep 0.1
done
[ -S "$ENGINE_SOCK" ] && [ -s "$T/port" ] || skip "fault-server.py does not start"
PORT=$(cat "$T/port")
ENGINE_URL=unix://$ENGINE_SOCK

mkdir -p "$T/kcna"
(cd "$DATA/feeds/kernel-cna" && tar -czf "$T/kcna/vulns.tar.gz" cve)
baseline_ok=1
for args in "kev $DATA/feeds/kev/known_exploited_vulnerabilities.slice.json" \
	"epss $DATA/feeds/epss/epss_scores-current.slice.csv.gz" \
	"osv-go $DATA/feeds/osv/go" \
	"kernel-cna $T/kcna/vulns.tar.gz" \
	"debian-tracker $DATA/feeds/debian-tracker/real-entries-renamed.json" \
	"kernel-releases $DATA/feeds/kernel-releases/releases.2020-12-14.excerpt.json" \
	"releases-runc $DATA/feeds/releases-atom/runc.releases.atom"; do
	# shellcheck disable=SC2086
	S import $args >/dev/null 2>"$T/err" || { fail "baseline import $args: $(cat "$T/err")"; baseline_ok=0; }
done
S inventory --import "$DATA/reports/ubuntu-livepatch-no-engine.json" "$DATA/reports/docker-debian12.json" \
	>/dev/null 2>"$T/err" || { fail "baseline reports: $(cat "$T/err")"; baseline_ok=0; }
S inventory "$ENGINE_URL" >/dev/null 2>"$T/err" || { fail "baseline engine: $(cat "$T/err")"; baseline_ok=0; }
[ "$baseline_ok" = 1 ] || { echo "the baseline does not load; giving up"; exit 1; }

# Everything stored, without what a failed attempt records on purpose
# (feed.last_attempt/last_error, host.last_inventory/last_error).
dump() {
	sqlite3 "$DB" .dump | grep -v -e '^INSERT INTO feed ' -e '^INSERT INTO host '
	sqlite3 "$DB" "SELECT name, source, etag, last_modified, last_success, last_change,
		records, rejected, state FROM feed WHERE last_success IS NOT NULL ORDER BY name"
	sqlite3 "$DB" "SELECT * FROM host ORDER BY name" | sed 's/|[^|]*|[^|]*$//'
}
dump >"$T/before"
n_hosts=$(sqlite3 "$DB" 'SELECT count(*) FROM host')
n_adv=$(sqlite3 "$DB" 'SELECT count(*) FROM advisory')
ok "baseline: 7 feeds ($n_adv advisories), $n_hosts hosts (2 reports, 1 engine)"
cp "$DB" "$T/baseline.db"

restore() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	cp "$T/baseline.db" "$DB"
}

tried=0
declare -A outcome
note() { # KIND OUTCOME
	outcome["$1 $2"]=$((${outcome["$1 $2"]:-0} + 1))
}

# check KIND NAME WHAT WANT_RC [FEED]: judges the run whose status is in
# $rc and stderr in $T/err; NAME must appear in the one line. With FEED,
# one record refused among others is an outcome of its own: a feed of many
# records (an OSV all.zip, the tracker's JSON) drops a bad record with one
# line ("N records rejected, the first: FILE: ...") and exit 0, and keeps
# the rest (feeds/run.h); it must not leave the feed empty.
check() {
	local kind=$1 name=$2 what=$3 want=$4 feed=${5:-} lines bad= class=refused
	tried=$((tried + 1))
	lines=$(wc -l <"$T/err")
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		bad="hang (no answer within ${CMD_TIMEOUT}s)"
	elif [ "$rc" -ge 128 ]; then
		bad="crash (status $rc)"
	elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$T/err"; then
		bad="sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$T/err")"
	elif [ -n "$feed" ] && [ "$rc" = 0 ] && [ "$lines" = 1 ] && grep -q 'records\? rejected' "$T/err"; then
		class="record rejected, the rest kept"
		if ! grep -qF -- "$name" "$T/err"; then
			bad="the line does not name '$name'"
		elif [ "$(sqlite3 "$DB" "SELECT coalesce(records, 0) FROM feed WHERE name = '$feed'")" = 0 ]; then
			bad="every record was rejected and the feed's data was replaced by nothing (exit 0)"
		fi
	elif [ "$rc" != "$want" ]; then
		bad="exit $rc, want $want"
		if [ "$rc" = 0 ] && [ -n "$feed" ]; then
			dump >"$T/after"
			cmp -s "$T/before" "$T/after" || bad="$bad, and the stored data changed"
		fi
	elif [ "$want" != 0 ] && [ "$lines" != 1 ]; then
		bad="$lines lines on stderr"
	elif [ "$want" = 0 ] && [ "$lines" != 0 ]; then
		bad="$lines lines on stderr"
	elif [ "$want" != 0 ] && ! grep -qF -- "$name" "$T/err"; then
		bad="the line does not name '$name'"
	fi
	if [ -z "$bad" ] && [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" != ok ]; then
		bad="integrity_check: $(sqlite3 "$DB" 'PRAGMA integrity_check' | head -1)"
	fi
	if [ -z "$bad" ] && [ "$want" != 0 ] && [ "$class" = refused ]; then
		dump >"$T/after"
		cmp -s "$T/before" "$T/after" || bad="stored data changed: $(diff "$T/before" "$T/after" | head -3 | tr '\n' ' ')"
	fi
	[ "$want" = 0 ] && [ "$class" = refused ] && class="accepted (as designed)"
	if [ -n "$bad" ]; then
		fail "$kind $what ($name): $bad; stderr: $(head -c 300 "$T/err" | tr '\n' '|')"
		note "$kind" "misbehaved"
		restore
	else
		note "$kind" "$class"
		[ "$class" = refused ] || restore
	fi
}

run() { # runs slipway with a time limit; sets rc, stderr in $T/err
	timeout -k 5 "$CMD_TIMEOUT" "$SLIPWAY" -q -d "$DB" "$@" >/dev/null 2>"$T/err"
	rc=$?
}

# --- every damaged file ---------------------------------------------------
while IFS=$'\t' read -r kind target file what; do
	case "$kind" in '#'* | '') continue ;; esac
	path=$C/$file
	case "$kind" in
	feed)
		run import "$target" "$path"
		check feed "$(basename "$path")" "$target: $what" 1 "$target"
		;;
	report)
		run inventory --import "$path"
		check report "$(basename "$path")" "$what" 1
		;;
	config)
		chmod 644 "$path"
		run -c "$path" feeds
		check config "$(basename "$path")" "$what" 1
		;;
	engine)
		# The engine's raw inspect answers are kept as the engine sent
		# them, repeated keys included (README, host report); the
		# members Slipway reads are checked.
		want=1
		case "$file" in */inspect.duplicate-key.json | */image.duplicate-key.json) want=0 ;; esac
		printf '%s %s\n' "$target" "$path" >"$T/engine.control"
		run inventory "$ENGINE_URL"
		: >"$T/engine.control"
		check engine "$ENGINE_URL" "$target: $what" "$want"
		;;
	esac
done <"$C/MANIFEST"

# --- network faults -------------------------------------------------------
# kev through a configured http:// mirror whose first path component picks
# the fault; the body is the real kev file.
netrun() { # MODE [KEY=VALUE...]: refresh kev against the mode
	local mode=$1
	shift
	{
		echo "[feed kev]"
		echo "mirror = http://127.0.0.1:$PORT/$mode"
		for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
	} >"$T/net.conf"
	chmod 644 "$T/net.conf"
	start=$(date +%s)
	run -c "$T/net.conf" refresh kev
	took=$(($(date +%s) - start))
}
URL_PATH=/sites/default/files/feeds/known_exploited_vulnerabilities.json
for spec in "huge max-bytes=1M:an answer announcing 4 GiB (max-bytes 1M)" \
	"endless max-bytes=1M:an endless answer without Content-Length (max-bytes 1M)" \
	"slow timeout=3s:a server sending 1 byte/s (timeout 3s)" \
	"cut:a body cut in half (connection closed)" \
	"longcl:a Content-Length 1000 bytes longer than the body" \
	"fail:HTTP 500 on every try"; do
	args=${spec%%:*}
	what=${spec#*:}
	# shellcheck disable=SC2086
	netrun $args
	check network "http://127.0.0.1:$PORT/${args%% *}$URL_PATH" "$what (${took}s)" 1
	[ "${args%% *}" != slow ] || [ "$took" -le 30 ] || fail "the slow server held refresh for ${took}s"
done
grep -q 'larger than' "$T/err" 2>/dev/null || true
netrun flaky
check network "flaky" "HTTP 500, then 200 (retried)" 0
[ "$(grep -c "^flaky /flaky$URL_PATH" "$T/http.log")" = 2 ] && ok "500 then success: refresh tried again and succeeded" ||
	fail "flaky: requests: $(grep flaky "$T/http.log" | tr '\n' ' ')"

# --- summary --------------------------------------------------------------
echo "damaged inputs tried: $tried"
for key in "${!outcome[@]}"; do
	echo "  $key: ${outcome[$key]}"
done | sort
if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all checks passed"
