# lib-nginx.sh - sourced by tests/integration/feeds-nginx.sh and
# osv-incremental.sh: `slipway refresh` against a private nginx on
# 127.0.0.1 that serves a directory with real ETag and Last-Modified
# headers. Gives the checks' reporting (ok, fail, skip, checks_done), a
# temporary directory removed on exit, the nginx started and stopped by its
# pid, its access log read since a mark, and a slipway configuration that
# points the served feeds at it.
#
# Sourcing it checks that slipway is built and nginx, curl and sqlite3 are
# installed: exit 77 (skipped) when a tool is missing, unless
# SLIPWAY_REQUIRE_REAL=1 (then 1).
#
# Sets: SRC, SLIPWAY; after nginx_tmpdir: T, WWW; after nginx_start: PORT,
# BASE, NGINX_PID; after mirror_conf: CONF, DB; after refresh: rc, out,
# errout.

set -u

SRC=${SLIPWAY_SOURCE_ROOT:?}
SLIPWAY=${SLIPWAY_BUILD_ROOT:?}/slipway

skip() {
	if [ "${SLIPWAY_REQUIRE_REAL:-}" = 1 ]; then
		echo "FAIL: $* (SLIPWAY_REQUIRE_REAL=1)"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}

# The last line of a test: its exit status from the failures counted.
checks_done() {
	if [ "$failures" -gt 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}

# require_tools TOOL...: skips the test when one is not installed.
require_tools() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || skip "$tool is not installed"
	done
}

if [ ! -x "$SLIPWAY" ]; then
	echo "FAIL: '$SLIPWAY' is not built"
	exit 1
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || skip "nginx is not installed"
require_tools curl sqlite3

# What the test may change before nginx_start:
NGINX_LOG_FORMAT='$status $uri'  # an access log line
NGINX_PROBE=/                    # a path that answers once nginx is up
NGINX_LOCATIONS=                 # location blocks of the server
NGINX_LOG_IGNORE=                # log lines log_since leaves out

NGINX_PID=
nginx_stop() {
	if [ -n "$NGINX_PID" ]; then
		kill -TERM "$NGINX_PID" 2>/dev/null
		wait "$NGINX_PID" 2>/dev/null
	fi
	NGINX_PID=
}
nginx_cleanup() {
	nginx_stop
	rm -rf "$T"
}

# nginx_tmpdir NAME: the test's directory T (/tmp/NAME-XXXXXX), removed
# on exit after stopping nginx, and WWW below it, the served tree.
nginx_tmpdir() {
	T=$(mktemp -d "/tmp/$1-XXXXXX")
	trap nginx_cleanup EXIT
	# The nginx workers may run as nobody: the tree they serve must be
	# readable by everyone.
	chmod 755 "$T"
	WWW=$T/www
	mkdir -p "$WWW" "$T/tmp" "$T/db"
}

free_port() {
	if command -v python3 >/dev/null; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
	else
		echo $((20000 + RANDOM % 30000))
	fi
}

# One try: a private configuration under $T on a free port; the nginx
# runs in the foreground of a background job, so its pid is ours.
nginx_try() {
	PORT=$(free_port)
	cat >"$T/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/error.log;
events { worker_connections 64; }
http {
	log_format short '$NGINX_LOG_FORMAT';
	access_log $T/access.log short;
	client_body_temp_path $T/tmp/body;
	proxy_temp_path $T/tmp/proxy;
	fastcgi_temp_path $T/tmp/fastcgi;
	uwsgi_temp_path $T/tmp/uwsgi;
	scgi_temp_path $T/tmp/scgi;
	types {
		application/json json;
		application/gzip gz;
		application/zip zip;
		text/csv csv;
	}
	default_type application/octet-stream;
	server {
		listen 127.0.0.1:$PORT;
		root $WWW;
		# Static files carry Last-Modified; ETag is mtime and size.
		etag on;
$NGINX_LOCATIONS
	}
}
CONF
	"$NGINX" -c "$T/nginx.conf" -p "$T/" -e "$T/error.log" &
	NGINX_PID=$!
	for _ in $(seq 50); do
		curl -s -o /dev/null "http://127.0.0.1:$PORT$NGINX_PROBE" && return 0
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

# nginx_start: serves $WWW on 127.0.0.1:$PORT (three tries at a free
# port), or skips the test. Before it, the test may set the NGINX_
# variables below.
nginx_start() {
	local started=0
	for _ in 1 2 3; do
		if nginx_try; then
			started=1
			break
		fi
		nginx_stop
	done
	if [ "$started" != 1 ]; then
		cat "$T/error.log" 2>/dev/null
		skip "nginx does not start here"
	fi
	BASE=http://127.0.0.1:$PORT
	ok "nginx serves on 127.0.0.1:$PORT (pid $NGINX_PID)"
}

# The access log since the last mark_log, a line per request in
# NGINX_LOG_FORMAT, without the lines NGINX_LOG_IGNORE matches whole.
mark_log() {
	log_mark=$(wc -l <"$T/access.log")
}
log_since() {
	if [ -n "$NGINX_LOG_IGNORE" ]; then
		tail -n +"$((log_mark + 1))" "$T/access.log" | grep -vx "$NGINX_LOG_IGNORE"
	else
		tail -n +"$((log_mark + 1))" "$T/access.log"
	fi
}

# mirror_conf FEED...: CONF enabling these feeds from this nginx, every
# other feed the program knows (its own JSON listing) disabled so the test
# never leaves this machine; DB the database. Also writes $T/empty.conf.
mirror_conf() {
	local name all
	DB=$T/db/slipway.db
	CONF=$T/slipway.conf
	: >"$T/empty.conf"
	SLIPWAY_CONFIG=$T/empty.conf "$SLIPWAY" -d "$T/probe.db" feeds --json >"$T/feeds.json"
	all=$(sqlite3 :memory: "SELECT json_extract(value, '\$.name') FROM json_each(readfile('$T/feeds.json'))")
	{
		for name in $all; do
			echo "[feed $name]"
			case " $* " in
			*" $name "*) echo "mirror = $BASE" ;;
			*) echo "enabled = no" ;;
			esac
		done
	} >"$CONF"
	for name in "$@"; do
		grep -qx "\[feed $name\]" "$CONF" || fail "feed '$name' is not in the feed table"
	done
}

# refresh [FEED...]; sets rc, out, errout.
refresh() {
	"$SLIPWAY" -c "$CONF" -d "$DB" refresh "$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	errout=$(cat "$T/err")
}

q() {
	sqlite3 "$DB" "$1"
}
