#!/usr/bin/env bash
# feeds-nginx.sh - `slipway refresh` against a real nginx on 127.0.0.1
# serving the feed fixtures of tests/data/feeds/ with real ETag and
# Last-Modified headers. Checks what a sysadmin relies on:
#   1. a first refresh loads every feed; a second is all 304 and changes
#      nothing in the database;
#   2. touching or changing one file re-ingests that feed only;
#   3. a truncated archive and a feed answering 500 fail with one line
#      each, the other feeds commit, the failed ones keep their data, exit 1;
#   4. kill -9 of a refresh in the middle of a large ingest leaves a
#      database that passes integrity_check and holds the previous data;
#   5. a second refresh while one runs waits briefly, then exits 1 naming
#      the pid of the one running;
#   6. a feed older than its allowed age makes `feeds` and `refresh` exit 4;
#   7. a 404 is not tried again; a body over max-bytes is refused.
# Needs nginx, sqlite3, curl, gzip, zip (exit 77 = skipped when missing,
# a failure under SLIPWAY_REQUIRE_REAL=1).
. "$(dirname "$0")/lib-nginx.sh"
require_tools gzip zip awk
DATA=$SRC/tests/data/feeds

nginx_tmpdir slipway-feeds-nginx
mkdir -p "$WWW/sites/default/files/feeds" "$WWW/Go" "$WWW/opencontainers/runc"
KEV=$WWW/sites/default/files/feeds/known_exploited_vulnerabilities.json
EPSS=$WWW/epss_scores-current.csv.gz
OSVGO=$WWW/Go/all.zip
RELEASES=$WWW/releases.json
RUNC=$WWW/opencontainers/runc/releases.atom
cp "$DATA/kev/known_exploited_vulnerabilities.slice.json" "$KEV"
cp "$DATA/epss/epss_scores-current.slice.csv.gz" "$EPSS"
(cd "$DATA/osv/go" && zip -q -X "$OSVGO" ./*.json)
cp "$DATA/kernel-releases/releases.2020-12-14.excerpt.json" "$RELEASES"
cp "$DATA/releases-atom/runc.releases.atom" "$RUNC"
# Fixed times, so a later touch always gives a new ETag.
touch -d '2025-01-01 00:00:00 UTC' "$KEV" "$EPSS" "$OSVGO" "$RELEASES" "$RUNC"
chmod -R a+rX "$WWW"

# The access log: "200 /uri" per line.
NGINX_LOG_FORMAT='$status $uri'
NGINX_PROBE=/releases.json
# Switches that the test flips with a file, without a reload.
NGINX_LOCATIONS="
		location = /sites/default/files/feeds/known_exploited_vulnerabilities.json {
			if (-f $T/FAIL500) { return 500; }
			if (-f $T/FAIL404) { return 404; }
		}
		location = /epss_scores-current.csv.gz {
			if (-f $T/SLOW) { limit_rate 2m; }
		}"
# This server has no OSV change list: osv-go asks for Go/modified_id.csv,
# gets a 404 and reads all.zip as before; log_since leaves those 404s out
# (tests/integration/osv-incremental.sh covers the change list).
NGINX_LOG_IGNORE='404 /Go/modified_id.csv'
nginx_start

SERVED="kev epss osv-go kernel-releases releases-runc"
NSERVED=5
mirror_conf $SERVED

# Everything stored, without the feed table's clock columns.
dump() {
	sqlite3 "$DB" .dump | grep -v '^INSERT INTO feed '
	q "SELECT name, source, etag, last_modified, last_change, records, rejected,
	   last_error, state FROM feed ORDER BY name"
}
# The feeds' data alone, without the HTTP validators either.
data_dump() {
	sqlite3 "$DB" .dump | grep -v '^INSERT INTO feed '
	q "SELECT name, source, records, rejected, last_error, state FROM feed ORDER BY name"
}

# --- 1. first refresh, then all 304 ---------------------------------
mark_log
refresh
[ "$rc" = 0 ] || fail "first refresh exits $rc: $errout"
[ -z "$errout" ] && ok "first refresh is silent on stderr (not a terminal)" ||
	fail "first refresh wrote to stderr: $errout"
[ "$(q 'SELECT count(*) FROM kev')" = 3 ] && ok "kev: 3 entries" || fail "kev holds $(q 'SELECT count(*) FROM kev')"
[ "$(q 'SELECT count(*) FROM epss')" = 5 ] && ok "epss: 5 scores" || fail "epss holds $(q 'SELECT count(*) FROM epss')"
[ "$(q "SELECT count(*) FROM advisory WHERE feed = 'osv-go'")" -gt 0 ] && ok "osv-go: advisories stored" ||
	fail "osv-go stored nothing"
[ "$(q "SELECT count(*) FROM upstream_release WHERE feed = 'releases-runc'")" -gt 0 ] &&
	ok "releases-runc: releases stored" || fail "releases-runc stored nothing"
[ "$(q "SELECT count(*) FROM feed WHERE etag IS NOT NULL AND last_modified IS NOT NULL")" = $NSERVED ] &&
	ok "validators stored for the $NSERVED feeds" || fail "validators missing: $(q 'SELECT name, etag, last_modified FROM feed')"
[ "$(log_since | grep -c '^200 ')" = $NSERVED ] || fail "first refresh: expected $NSERVED answers 200, log: $(log_since)"
dump >"$T/dump1"

mark_log
refresh
[ "$rc" = 0 ] || fail "second refresh exits $rc: $errout"
[ "$(log_since | grep -c '^304 ')" = $NSERVED ] && [ "$(log_since | wc -l)" = $NSERVED ] &&
	ok "second refresh: all $NSERVED answers are 304" || fail "second refresh log: $(log_since)"
[ "$(grep -c ': not modified$' "$T/out")" = $NSERVED ] || fail "second refresh output: $out"
dump >"$T/dump2"
data_dump >"$T/data2"
cmp -s "$T/dump1" "$T/dump2" && ok "second refresh changed nothing" ||
	fail "second refresh changed the database: $(diff "$T/dump1" "$T/dump2")"

# --- 2. touch one file, change another ------------------------------
touch -d '2025-01-02 00:00:00 UTC' "$KEV"
mark_log
refresh
[ "$rc" = 0 ] || fail "refresh after touch exits $rc: $errout"
[ "$(log_since | grep '^200 ')" = "200 /sites/default/files/feeds/known_exploited_vulnerabilities.json" ] &&
	[ "$(log_since | grep -c '^304 ')" = $((NSERVED - 1)) ] && ok "touching kev re-fetches kev only" ||
	fail "after touching kev: $(log_since)"
echo "$out" | grep -qx 'kev: 3 records' || fail "kev was not re-ingested: $out"
data_dump >"$T/dump3"
cmp -s "$T/data2" "$T/dump3" && ok "same content re-ingested gives the same data" ||
	fail "re-ingesting the same kev changed data: $(diff "$T/data2" "$T/dump3")"

# A new day of EPSS: one score more (a real row shape, new id).
{
	gzip -dc "$DATA/epss/epss_scores-current.slice.csv.gz"
	echo "CVE-1999-0006,0.01077,0.83822"
} | gzip -n >"$EPSS"
touch -d '2025-01-03 00:00:00 UTC' "$EPSS"
chmod a+r "$EPSS"
kev_before=$(q 'SELECT * FROM kev ORDER BY cve')
osv_before=$(q "SELECT id, digest FROM advisory WHERE feed = 'osv-go' ORDER BY id")
mark_log
refresh
[ "$rc" = 0 ] || fail "refresh after the epss change exits $rc: $errout"
[ "$(log_since | grep '^200 ')" = "200 /epss_scores-current.csv.gz" ] && ok "changing epss re-fetches epss only" ||
	fail "after changing epss: $(log_since)"
[ "$(q 'SELECT count(*) FROM epss')" = 6 ] && ok "epss now holds 6 scores" || fail "epss holds $(q 'SELECT count(*) FROM epss')"
[ "$(q 'SELECT * FROM kev ORDER BY cve')" = "$kev_before" ] || fail "kev changed although only epss did"

# --- 3. a truncated archive and a 500 -------------------------------
cp "$OSVGO" "$T/all.zip.good"
size=$(stat -c %s "$OSVGO")
head -c $((size / 2)) "$T/all.zip.good" >"$OSVGO"
touch -d '2025-01-04 00:00:00 UTC' "$OSVGO"
touch "$T/FAIL500"
# ... while a third feed changes and must still commit.
sed 's/"latest_stable"/"latest_stable" /' "$DATA/kernel-releases/releases.2020-12-14.excerpt.json" >"$RELEASES"
touch -d '2025-01-04 00:00:00 UTC' "$RELEASES"
chmod a+r "$OSVGO" "$RELEASES"
releases_change=$(q "SELECT last_change FROM feed WHERE name = 'kernel-releases'")
releases_attempt=$(q "SELECT last_attempt FROM feed WHERE name = 'kernel-releases'")
sleep 1
refresh
[ "$rc" = 1 ] && ok "a failing feed makes refresh exit 1" || fail "refresh with failures exits $rc"
[ "$(echo "$errout" | grep -c "^slipway: feed 'kev': .*HTTP 500")" = 1 ] && ok "kev fails with one line: $(echo "$errout" | grep "'kev'")" ||
	fail "no single kev error line: $errout"
[ "$(echo "$errout" | grep -c "^slipway: feed 'osv-go': .*all.zip")" = 1 ] && ok "osv-go fails with one line: $(echo "$errout" | grep "'osv-go'")" ||
	fail "no single osv-go error line: $errout"
[ "$(echo "$errout" | wc -l)" = 2 ] || fail "expected exactly 2 error lines: $errout"
[ "$(q 'SELECT * FROM kev ORDER BY cve')" = "$kev_before" ] && ok "kev data intact after its 500" || fail "kev data changed"
[ "$(q "SELECT id, digest FROM advisory WHERE feed = 'osv-go' ORDER BY id")" = "$osv_before" ] &&
	ok "osv-go data intact after the truncated archive" || fail "osv-go data changed"
[ "$(q "SELECT count(*) FROM feed WHERE name IN ('kev', 'osv-go') AND last_error IS NOT NULL")" = 2 ] ||
	fail "last_error not recorded: $(q 'SELECT name, last_error FROM feed')"
[ "$(q "SELECT last_attempt > $releases_attempt FROM feed WHERE name = 'kernel-releases'")" = 1 ] &&
	echo "$out" | grep -q '^kernel-releases: ' && ok "kernel-releases committed in the same run" ||
	fail "kernel-releases did not commit: $out ($releases_change)"
q "SELECT name, last_error FROM feed WHERE last_error IS NOT NULL" | grep -q "osv-go|.*all.zip" ||
	fail "osv-go last_error does not name the archive"
rm -f "$T/FAIL500"
cp "$T/all.zip.good" "$OSVGO"
touch -d '2025-01-05 00:00:00 UTC' "$OSVGO"
chmod a+r "$OSVGO"
refresh
[ "$rc" = 0 ] && ok "the failed feeds recover on the next refresh" || fail "recovery refresh exits $rc: $errout"
[ "$(q "SELECT count(*) FROM feed WHERE last_error IS NOT NULL")" = 0 ] || fail "last_error not cleared"

# --- 4. kill -9 in the middle of a large ingest ---------------------
# A full-size EPSS day (1 000 000 rows in the real row shape).
awk 'BEGIN {
	print "#model_version:v2023.03.01,score_date:2025-02-21T00:00:00+0000"
	print "cve,epss,percentile"
	for (i = 0; i < 1000000; i++)
		printf "CVE-%d-%05d,0.%05d,0.%05d\n", 2000 + int(i / 100000), i % 100000,
			(i * 37) % 100000, (i * 91) % 100000
}' | gzip -1 -n >"$T/big.csv.gz"
cp "$T/big.csv.gz" "$EPSS"
touch -d '2025-01-06 00:00:00 UTC' "$EPSS"
chmod a+r "$EPSS"
sqlite3 "$DB" .dump >"$T/before-kill"
hits=0
for delay in 0.4 0.8 1.2 1.6; do
	"$SLIPWAY" -c "$CONF" -d "$DB" refresh epss >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -9 "$pid" 2>/dev/null; then
		hits=$((hits + 1))
	fi
	wait "$pid" 2>/dev/null
	[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] ||
		fail "integrity_check after kill -9 at ${delay}s: $(sqlite3 "$DB" 'PRAGMA integrity_check')"
	sqlite3 "$DB" .dump >"$T/after-kill"
	cmp -s "$T/before-kill" "$T/after-kill" ||
		fail "kill -9 at ${delay}s changed the data: $(diff "$T/before-kill" "$T/after-kill" | head -5)"
done
[ "$hits" -ge 2 ] && ok "kill -9 mid-refresh ($hits times): integrity ok, previous data kept" ||
	fail "only $hits of 4 kills hit a running refresh; the ingest is too fast to test"
refresh epss
[ "$rc" = 0 ] && [ "$(q 'SELECT count(*) FROM epss')" = 1000000 ] && ok "the full EPSS day loads after the kills" ||
	fail "epss after the kills: rc $rc, $(q 'SELECT count(*) FROM epss') rows, $errout"

# --- 5. two refreshes at once ---------------------------------------
touch "$T/SLOW"
touch -d '2025-01-07 00:00:00 UTC' "$EPSS"
"$SLIPWAY" -c "$CONF" -d "$DB" refresh epss >"$T/first.out" 2>"$T/first.err" &
first=$!
sleep 0.5
start=$(date +%s.%N)
refresh epss
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
[ "$rc" = 1 ] || fail "the second refresh exits $rc"
echo "$errout" | grep -Eq "^slipway: refresh already running \(pid $first since [0-9]{2}:[0-9]{2}:[0-9]{2}\); try again later$" &&
	ok "the second refresh waited ${took}s and names the holder: $errout" || fail "second refresh said: $errout"
awk -v t="$took" 'BEGIN { exit !(t >= 2 && t < 10) }' || fail "the second refresh gave up after ${took}s"
wait "$first"
first_rc=$?
[ "$first_rc" = 0 ] && ok "the first refresh finished normally" || fail "the first refresh exits $first_rc: $(cat "$T/first.err")"
rm -f "$T/SLOW"

# --- 6. stale feeds --------------------------------------------------
"$SLIPWAY" -c "$CONF" -d "$DB" feeds >/dev/null 2>&1
[ $? = 0 ] && ok "feeds exits 0 when all are fresh" || fail "feeds exits non-zero while fresh"
q "UPDATE feed SET last_success = strftime('%s', 'now') - 10 * 86400 WHERE name = 'kev'"
"$SLIPWAY" -c "$CONF" -d "$DB" feeds --json >"$T/feeds.json"
frc=$?
[ "$frc" = 4 ] && ok "feeds exits 4 with a stale feed" || fail "feeds exits $frc with a stale feed"
[ "$(sqlite3 :memory: "SELECT json_extract(value, '\$.stale') FROM json_each(readfile('$T/feeds.json')) WHERE json_extract(value, '\$.name') = 'kev'")" = 1 ] ||
	fail "feeds --json does not mark kev stale: $(cat "$T/feeds.json")"
touch "$T/FAIL500"
refresh kev
[ "$rc" = 4 ] && ok "refresh exits 4 when a failing feed is older than allowed" || fail "stale refresh exits $rc: $errout"
echo "$errout" | grep -q "feed 'kev' is stale" || fail "no stale line: $errout"
rm -f "$T/FAIL500"
refresh kev
[ "$rc" = 0 ] && ok "a successful refresh (304) makes it fresh again" || fail "refresh after recovery exits $rc: $errout"

# --- 7. 4xx answers and the byte cap --------------------------------
touch "$T/FAIL404"
mark_log
refresh kev
rm -f "$T/FAIL404"
[ "$rc" = 1 ] && echo "$errout" | grep -q "HTTP 404$" && [ "$(log_since | wc -l)" = 1 ] &&
	ok "a 404 fails at once, without retries: $errout" || fail "404: rc $rc, $errout, log: $(log_since)"
sed '/^\[feed epss\]$/a max-bytes = 64k' "$CONF" >"$T/capped.conf"
touch -d '2025-01-08 00:00:00 UTC' "$EPSS"
epss_before=$(q 'SELECT count(*) FROM epss')
"$SLIPWAY" -c "$T/capped.conf" -d "$DB" refresh epss >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && grep -q "larger than the limit of 65536 bytes" "$T/err" &&
	[ "$(q 'SELECT count(*) FROM epss')" = "$epss_before" ] &&
	ok "max-bytes = 64k refuses the big file and keeps the data: $(cat "$T/err")" ||
	fail "byte cap: rc $rc, $(cat "$T/err")"

checks_done
