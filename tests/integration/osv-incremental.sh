#!/usr/bin/env bash
# osv-incremental.sh - the incremental OSV refresh through modified_id.csv
# (feed_format.plan, feeds/osv.c) against a real nginx on 127.0.0.1 serving
# an osv.dev bucket folder: Go/all.zip, Go/modified_id.csv and Go/<ID>.json.
# The records are the Go fixtures of tests/data/feeds/osv/go/ with real
# `modified` times in place of the vulndb repo's 0001-01-01 placeholders,
# as the served copies carry (../shared/samples/feeds/README.md). Checks:
#   1. no cursor yet: the first refresh reads all.zip, like `import`;
#   2. an unchanged modified_id.csv is a 304 and nothing else is fetched;
#   3. one record changed upstream: only its <ID>.json (and the record of
#      the cursor's own second, fetched again by design) is fetched, no
#      all.zip, and the database shows the change;
#   4. a record removed upstream (404) is deleted;
#   5. a failing record (500) rolls the whole run back, cursor included;
#   6. a modified_id.csv line with a bad time, or an id with '/' or '..',
#      fails the refresh with one line and changes nothing;
#   7. 200 changed records in one run (timed).
# Needs nginx, sqlite3, curl, zip (exit 77 = skipped when missing, a
# failure under SLIPWAY_REQUIRE_REAL=1).
. "$(dirname "$0")/lib-nginx.sh"
require_tools zip awk sed
DATA=$SRC/tests/data/feeds/osv/go

nginx_tmpdir slipway-osv-incremental
GO=$WWW/Go
mkdir -p "$GO"

# The bucket's records: one `modified` each, a day apart, oldest first in
# file name order. $T/times holds "<time> <id>" for modified_id.csv.
day=1
: >"$T/times"
for f in "$DATA"/*.json; do
	id=$(basename "$f" .json)
	when=$(printf '2025-03-%02dT10:00:00Z' "$day")
	sed "s/\"modified\": \"0001-01-01T00:00:00Z\"/\"modified\": \"$when\"/" "$f" >"$GO/$id.json"
	grep -q "\"modified\": \"$when\"" "$GO/$id.json" || fail "no modified placeholder in $f"
	echo "$when $id" >>"$T/times"
	day=$((day + 1))
done
NEWEST_ID=$(tail -n 1 "$T/times" | cut -d' ' -f2)

# modified_id.csv as the bucket writes it: "<time>,<id>", newest first.
# Each version gets its own mtime: nginx's ETag is mtime and size, and a
# rewrite in the same second with the same size would keep it.
csv_version=0
write_csv() {
	sort -r "$T/times" | awk '{ print $1 "," $2 }' >"$GO/modified_id.csv"
	csv_version=$((csv_version + 1))
	touch -d "@$((1740000000 + csv_version * 60))" "$GO/modified_id.csv"
	chmod a+r "$GO/modified_id.csv"
}
write_zip() {
	rm -f "$GO/all.zip"
	(cd "$GO" && zip -q -X all.zip ./*-*.json)
	chmod a+r "$GO/all.zip"
}
# Sets a record's time in $T/times (the line moves to the top of the CSV).
set_time() {
	sed -i "/ $1\$/d" "$T/times"
	echo "$2 $1" >>"$T/times"
}
write_csv
write_zip
chmod -R a+rX "$WWW"

# The access log: "GET 200 /uri" per line.
NGINX_LOG_FORMAT='$request_method $status $uri'
NGINX_PROBE=/Go/modified_id.csv
# A record that answers 500 while the file FAIL500 exists.
NGINX_LOCATIONS="
		location = /Go/GO-2025-4100.json {
			if (-f $T/FAIL500) { return 500; }
		}"
nginx_start

# Only osv-go is enabled, from this server.
mirror_conf osv-go

cursor() {
	q "SELECT json_extract(state, '\$.osv_modified') FROM feed WHERE name = 'osv-go'"
}
epoch() {
	date -u -d "$1" +%s
}
advisories() {
	q "SELECT id, digest, summary FROM advisory WHERE feed = 'osv-go' ORDER BY id"
}

# --- 1. no cursor: all.zip --------------------------------------------
mark_log
refresh
[ "$rc" = 0 ] || fail "first refresh exits $rc: $errout"
[ "$(log_since)" = "GET 200 /Go/modified_id.csv
GET 200 /Go/all.zip" ] && ok "first refresh: the change list, then all.zip" ||
	fail "first refresh log: $(log_since)"
"$SLIPWAY" -c "$T/empty.conf" -d "$T/db/import.db" import osv-go "$GO/all.zip" >/dev/null 2>&1 ||
	fail "import of the same all.zip fails"
[ "$(advisories)" = "$(sqlite3 "$T/db/import.db" "SELECT id, digest, summary FROM advisory WHERE feed = 'osv-go' ORDER BY id")" ] &&
	[ -n "$(advisories)" ] && ok "the full refresh stores what import stores ($(advisories | wc -l) advisories)" ||
	fail "refresh and import differ"
newest=$(sort "$T/times" | tail -n 1 | cut -d' ' -f1)
[ "$(cursor)" = "$(epoch "$newest")" ] && ok "cursor at the newest record ($newest)" ||
	fail "cursor is '$(cursor)', want $(epoch "$newest")"
[ "$(q "SELECT source FROM feed WHERE name = 'osv-go'")" = "$BASE/Go/modified_id.csv" ] ||
	fail "source is $(q "SELECT source FROM feed WHERE name = 'osv-go'")"

# --- 2. unchanged modified_id.csv: 304, nothing else -----------------
before=$(advisories)
mark_log
refresh
[ "$rc" = 0 ] && [ "$(log_since)" = "GET 304 /Go/modified_id.csv" ] && [ "$out" = "osv-go: not modified
refresh: 0 updated, 1 not modified, 0 failed; 0 new, 0 changed, 0 removed advisories" ] &&
	ok "unchanged change list: one 304, nothing fetched" || fail "unchanged: rc $rc, log: $(log_since), out: $out"
[ "$(advisories)" = "$before" ] || fail "a 304 changed advisories"

# --- 3. one record changed upstream ----------------------------------
CHANGED=GO-2024-2491
grep -q "\"id\": \"$CHANGED\"" "$GO/$CHANGED.json" || fail "$CHANGED is not a fixture"
[ "$(q "SELECT count(*) FROM advisory WHERE feed = 'osv-go' AND id = '$CHANGED'")" = 1 ] ||
	fail "$CHANGED was not stored by the full run"
sed -i -e 's/"summary": "Container breakout through process.cwd trickery/"summary": "Container breakout (revised) through process.cwd trickery/' \
	-e 's/"modified": "[^"]*"/"modified": "2025-04-01T08:30:00Z"/' "$GO/$CHANGED.json"
set_time "$CHANGED" 2025-04-01T08:30:00Z
write_csv
write_zip
mark_log
refresh
[ "$rc" = 0 ] || fail "incremental refresh exits $rc: $errout"
[ "$(log_since | grep -c "^GET 200 /Go/$CHANGED.json$")" = 1 ] && ok "exactly one GET of $CHANGED.json" ||
	fail "GETs of $CHANGED.json: $(log_since)"
log_since | grep -q 'all.zip' && fail "the incremental refresh fetched all.zip: $(log_since)" ||
	ok "no all.zip fetched"
# The only other record fetched is the one at the old cursor's second.
others=$(log_since | grep '\.json$' | grep -v "/Go/$CHANGED.json$")
[ "$others" = "GET 200 /Go/$NEWEST_ID.json" ] && ok "the other GET is the cursor's own record $NEWEST_ID" ||
	fail "other records fetched: $others"
[ "$(q "SELECT summary FROM advisory WHERE feed = 'osv-go' AND id = '$CHANGED'")" = \
	"Container breakout (revised) through process.cwd trickery and leaked fds in github.com/opencontainers/runc" ] &&
	ok "the database holds the new summary of $CHANGED" || fail "summary: $(q "SELECT summary FROM advisory WHERE id = '$CHANGED'")"
[ "$(q "SELECT modified FROM advisory WHERE feed = 'osv-go' AND id = '$CHANGED'")" = "$(epoch 2025-04-01T08:30:00Z)" ] ||
	fail "modified of $CHANGED not updated"
echo "$out" | grep -qx 'osv-go: [0-9]* records, 0 new, 1 changed, 0 removed advisories' &&
	ok "refresh says: $(echo "$out" | head -n 1)" || fail "output: $out"
[ "$(cursor)" = "$(epoch 2025-04-01T08:30:00Z)" ] && ok "cursor moved to 2025-04-01T08:30:00Z" ||
	fail "cursor is $(cursor)"
[ "$(advisories | grep -v "^$CHANGED|")" = "$(echo "$before" | grep -v "^$CHANGED|")" ] &&
	ok "every other advisory is as it was" || fail "other advisories changed"
mark_log
refresh
[ "$(log_since)" = "GET 304 /Go/modified_id.csv" ] && ok "and the next refresh is one 304 again" ||
	fail "after the incremental run: $(log_since)"

# --- 4. a record removed upstream: 404 -> deleted ---------------------
GONE=GO-2025-4096
[ "$(q "SELECT count(*) FROM advisory WHERE feed = 'osv-go' AND id = '$GONE'")" = 1 ] ||
	fail "$GONE was not stored"
rm "$GO/$GONE.json"
set_time "$GONE" 2025-04-02T09:00:00Z
write_csv
write_zip
mark_log
refresh
[ "$rc" = 0 ] && [ "$(log_since | grep -c "^GET 404 /Go/$GONE.json$")" = 1 ] &&
	[ "$(q "SELECT count(*) FROM advisory WHERE feed = 'osv-go' AND id = '$GONE'")" = 0 ] &&
	ok "$GONE answered 404 and is deleted" || fail "removed record: rc $rc, $errout, log: $(log_since)"
echo "$out" | grep -q ', 1 removed advisories' || fail "output does not count the removal: $out"
log_since | grep -q 'all.zip' && fail "fetched all.zip: $(log_since)"

# --- 5. a failing record rolls everything back ------------------------
before=$(advisories)
cursor_before=$(cursor)
etag_before=$(q "SELECT etag FROM feed WHERE name = 'osv-go'")
sed -i 's/"summary": "Container breakout (revised)/"summary": "Container breakout (revised twice)/' "$GO/$CHANGED.json"
set_time "$CHANGED" 2025-04-03T10:00:00Z
sed -i 's/"modified": "[^"]*"/"modified": "2025-04-03T11:00:00Z"/' "$GO/GO-2025-4100.json"
set_time GO-2025-4100 2025-04-03T11:00:00Z
write_csv
touch "$T/FAIL500"
refresh
rm -f "$T/FAIL500"
[ "$rc" = 1 ] && [ "$(echo "$errout" | wc -l)" = 1 ] &&
	echo "$errout" | grep -q "^slipway: feed 'osv-go': cannot fetch '$BASE/Go/GO-2025-4100.json': HTTP 500" &&
	ok "a record answering 500 fails the feed with one line: $errout" || fail "500: rc $rc, $errout"
[ "$(advisories)" = "$before" ] && [ "$(cursor)" = "$cursor_before" ] &&
	[ "$(q "SELECT etag FROM feed WHERE name = 'osv-go'")" = "$etag_before" ] &&
	ok "nothing of the failed run is kept: advisories, cursor and validators as before" ||
	fail "the failed run left changes (cursor $(cursor), was $cursor_before)"
q "SELECT last_error FROM feed WHERE name = 'osv-go'" | grep -q 'GO-2025-4100.json' ||
	fail "last_error: $(q "SELECT last_error FROM feed WHERE name = 'osv-go'")"
refresh
[ "$rc" = 0 ] && [ "$(q "SELECT count(*) FROM advisory WHERE summary LIKE 'Container breakout (revised twice)%'")" = 1 ] &&
	[ "$(cursor)" = "$(epoch 2025-04-03T11:00:00Z)" ] && ok "the next refresh recovers and moves the cursor" ||
	fail "recovery: rc $rc, $errout, cursor $(cursor)"

# --- 6. a bad change list changes nothing ----------------------------
before=$(advisories)
cursor_before=$(cursor)
cp "$GO/modified_id.csv" "$T/csv.good"
for line in "2025-05-01T00:00:00Z,../secrets" "2025-05-01T00:00:00Z,Go/x/GO-2025-9999" \
	"2025-05-01T00:00:00Z,GO-2025-..9" "yesterday,GO-2025-4100"; do
	{ echo "$line"; cat "$T/csv.good"; } >"$GO/modified_id.csv"
	chmod a+r "$GO/modified_id.csv"
	mark_log
	refresh
	[ "$rc" = 1 ] && [ "$(echo "$errout" | wc -l)" = 1 ] &&
		echo "$errout" | grep -Eq "^slipway: feed 'osv-go': .*modified_id.csv: line 1: bad (id|time 'yesterday')$" &&
		[ "$(log_since | grep -vc '/Go/modified_id.csv$')" = 0 ] &&
		ok "'$line' is refused: $errout" || fail "'$line': rc $rc, $errout, log: $(log_since)"
done
[ "$(advisories)" = "$before" ] && [ "$(cursor)" = "$cursor_before" ] &&
	ok "bad change lists left the data and the cursor alone" || fail "a bad change list changed data"
write_csv

# --- 7. 200 changed records in one run --------------------------------
# New records in GO-2024-2491's real shape, each under its own id.
for i in $(seq 1 200); do
	id=$(printf 'GO-2099-%04d' "$i")
	when=$(printf '2025-06-01T10:%02d:%02dZ' $((i / 60)) $((i % 60)))
	sed -e "s/GO-2024-2491/$id/g" -e "s/\"modified\": \"[^\"]*\"/\"modified\": \"$when\"/" \
		"$GO/$CHANGED.json" >"$GO/$id.json"
	echo "$when $id" >>"$T/times"
done
write_csv
chmod -R a+rX "$WWW"
n_before=$(q "SELECT count(*) FROM advisory WHERE feed = 'osv-go'")
# The feed's max-bytes caps the records together (about 3 KB each here).
sed '/^\[feed osv-go\]$/a max-bytes = 64k' "$CONF" >"$T/capped.conf"
"$SLIPWAY" -c "$T/capped.conf" -d "$DB" refresh >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && grep -q "^slipway: feed 'osv-go': cannot fetch '$BASE/Go/GO-2099-[0-9]*.json': the feed's records exceed 65536 bytes (max-bytes)$" "$T/err" &&
	[ "$(q "SELECT count(*) FROM advisory WHERE feed = 'osv-go'")" = "$n_before" ] &&
	ok "max-bytes = 64k stops the records and keeps the data: $(cat "$T/err")" ||
	fail "cap: rc $rc, $(cat "$T/err")"
mark_log
start=$(date +%s.%N)
refresh
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
[ "$rc" = 0 ] && [ -z "$errout" ] || fail "200 records: rc $rc, $errout"
[ "$(log_since | grep -c '^GET 200 /Go/GO-2099-[0-9]*\.json$')" = 200 ] &&
	[ "$(q "SELECT count(*) FROM advisory WHERE feed = 'osv-go'")" = $((n_before + 200)) ] &&
	ok "200 changed records fetched one by one and stored in ${took}s" ||
	fail "200 records: $(log_since | grep -c json) fetched, $(q "SELECT count(*) FROM advisory WHERE feed = 'osv-go'") stored"
log_since | grep -q 'all.zip' && fail "the 200-record run fetched all.zip"
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"

checks_done
