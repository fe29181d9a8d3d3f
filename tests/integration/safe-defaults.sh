#!/usr/bin/env bash
# safe-defaults.sh - the safe default posture of issue 8, checked on the
# built program and its sources:
#   1. no config key turns TLS verification off (the keys people try are
#      unknown keys, refused with the file and line), and a feed url must be
#      https:// while a mirror may be http://;
#   2. the database directory is created 0700 and the database 0600, its
#      WAL and lock files too;
#   3. a world-writable config is refused with the reason;
#   4. no shell anywhere: src/, feeds/ and tui/ call no system(), popen(),
#      execl*() or "sh -c", and exec only argv arrays;
#   5. ssh:// checks host keys as OpenSSH does: slipway passes no
#      StrictHostKeyChecking=no / UserKnownHostsFile=/dev/null, and a
#      real sshd whose host key is not known is refused (BatchMode turns
#      OpenSSH's "ask" into a refusal) with one line, exit 1 (needs sshd;
#      that part is skipped without it).
# Engine TLS keys readable by others are refused: tests/integration/engine-tls.sh
# and test_engine.c (refusing '...key.pem': readable by others; chmod 600).
set -u

SRC=${SLIPWAY_SOURCE_ROOT:?}
SLIPWAY=${SLIPWAY_BIN:-${SLIPWAY_BUILD_ROOT:?}/slipway}
DATA=$SRC/tests/data
[ -x "$SLIPWAY" ] || { echo "FAIL: '$SLIPWAY' is not built"; exit 1; }

T=$(mktemp -d /tmp/slipway-safe-XXXXXX)
SSHD_PID=
cleanup() {
	[ -n "$SSHD_PID" ] && kill -TERM "$SSHD_PID" 2>/dev/null && wait "$SSHD_PID" 2>/dev/null
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

# 1. TLS verification and schemes ------------------------------------------
for kv in "insecure = yes" "verify = no" "tls-verify = no" "ssl-verify = no" "verify-peer = no" \
	"ca-file = /dev/null" "proxy-insecure = yes"; do
	printf '[feed kev]\n%s\n' "$kv" >"$T/c.conf"
	"$SLIPWAY" -c "$T/c.conf" -d "$T/x.db" feeds >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" = 1 ] && grep -q "c.conf:2: unknown key" "$T/err" ||
		fail "'$kv' in [feed kev]: exit $rc: $(cat "$T/err")"
done
[ "$failures" = 0 ] && ok "no config key turns TLS verification off (7 tried, each an unknown key)"
printf '[feed kev]\nurl = http://127.0.0.1/kev.json\n' >"$T/c.conf"
"$SLIPWAY" -c "$T/c.conf" -d "$T/x.db" feeds >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && grep -q "c.conf:2:.*use https://" "$T/err" && ok "an http:// url is refused: $(cat "$T/err")" ||
	fail "http:// url: exit $rc: $(cat "$T/err")"
printf '[feed kev]\nmirror = http://127.0.0.1/feeds\n' >"$T/c.conf"
"$SLIPWAY" -c "$T/c.conf" -d "$T/x.db" feeds >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 4 ] || [ "$rc" = 0 ] && [ "$(grep -c 'c.conf' "$T/err")" = 0 ] && ok "an http:// mirror is allowed" ||
	fail "http:// mirror: exit $rc: $(cat "$T/err")"
grep -q 'SSL_VERIFYPEER, 1L' "$SRC/src/fetch.c" && grep -q 'SSL_VERIFYHOST, 2L' "$SRC/src/fetch.c" &&
	! grep -qE 'SSL_VERIFY(PEER|HOST), *0' "$SRC"/src/*.c "$SRC"/feeds/*.c &&
	ok "src/fetch.c sets SSL_VERIFYPEER 1 and SSL_VERIFYHOST 2, and nothing sets them to 0" ||
	fail "TLS verification options in the sources"

# 2. database and directory modes ------------------------------------------
: >"$T/empty.conf"
(umask 000 && SLIPWAY_CONFIG=$T/empty.conf "$SLIPWAY" -q -d "$T/new/a/slipway.db" \
	import kev "$DATA/feeds/kev/known_exploited_vulnerabilities.slice.json" >/dev/null)
modes=$(cd "$T/new" && stat -c '%a %n' . a a/* | tr '\n' ' ')
bad=$(cd "$T/new" && stat -c '%a %n' . a a/* | grep -v -e '^700 ' -e '^600 ')
[ -z "$bad" ] && [ -e "$T/new/a/slipway.db" ] && ok "created under umask 000: $modes" ||
	fail "modes under umask 000: $modes"

# 3. world-writable config -------------------------------------------------
printf '[slipway]\nmax-down = 2\n' >"$T/ww.conf"
chmod 666 "$T/ww.conf"
"$SLIPWAY" -c "$T/ww.conf" -d "$T/x.db" feeds >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && grep -q "config '$T/ww.conf' is world-writable; fix with chmod o-w" "$T/err" &&
	ok "a world-writable config is refused: $(cat "$T/err")" || fail "world-writable config: exit $rc: $(cat "$T/err")"

# 4. no shell ---------------------------------------------------------------
hits=$(grep -nE '\b(system|popen|execl|execlp|execle|wordexp)[[:space:]]*\(|"/bin/sh"|"sh",[[:space:]]*"-c"|"-c",' \
	"$SRC"/src/*.c "$SRC"/feeds/*.c "$SRC"/tui/*.c 2>/dev/null)
execs=$(grep -nE '\bexec[a-z]*[[:space:]]*\(' "$SRC"/src/*.c "$SRC"/feeds/*.c "$SRC"/tui/*.c 2>/dev/null)
[ -z "$hits" ] && ok "no system(), popen(), execl*() or sh -c in src/ feeds/ tui/; the execs: $(echo "$execs" |
	sed -E 's|^.*/([a-z_]+\.c):([0-9]+):[[:space:]]*|\1:\2 |' | tr '\n' ';')" || fail "shell use: $hits"
echo "$execs" | grep -vqE 'execvp?\([^,]+, *\(char \*const \*\)' && fail "an exec that is not execv/execvp of an argv array: $execs"

# 5. ssh host keys ------------------------------------------------------------
if grep -nE 'StrictHostKeyChecking=(no|accept-new|off)|UserKnownHostsFile=/dev/null|GlobalKnownHostsFile=/dev/null|CheckHostIP=no' \
	"$SRC"/src/*.c >"$T/ssh.hits"; then
	fail "ssh options weaken host key checks: $(cat "$T/ssh.hits")"
else
	ok "src/ passes ssh no option that weakens host key checks (BatchMode=yes makes an unknown key a refusal)"
fi
if [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null && command -v python3 >/dev/null; then
	S=$T/ssh
	mkdir -p "$S" /run/sshd
	chmod 700 "$S"
	ssh-keygen -q -t ed25519 -N '' -f "$S/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$S/other_key" &&
		ssh-keygen -q -t ed25519 -N '' -f "$S/id" || fail "ssh-keygen"
	cp "$S/id.pub" "$S/authorized_keys"
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$S/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
CONF
	/usr/sbin/sshd -D -e -f "$S/sshd_config" 2>"$S/sshd.log" &
	SSHD_PID=$!
	sleep 0.5
	# The user's ssh config as it may be: no StrictHostKeyChecking line
	# (OpenSSH's default, "ask"); known_hosts empty, then holding a
	# different key for the host.
	for case in unknown changed; do
		if [ "$case" = unknown ]; then
			: >"$S/known_hosts"
		else
			printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$S/other_key.pub")" >"$S/known_hosts"
		fi
		cat >"$S/ssh_config" <<CONF
Host *
	UserKnownHostsFile $S/known_hosts
	GlobalKnownHostsFile /dev/null
	IdentityFile $S/id
	IdentitiesOnly yes
CONF
		SLIPWAY_SSH_CONFIG=$S/ssh_config SLIPWAY_CONFIG=$T/empty.conf \
			timeout 60 "$SLIPWAY" -q -d "$T/ssh.db" inventory "ssh://root@127.0.0.1:$PORT/run/none.sock" \
			>/dev/null 2>"$T/err"
		rc=$?
		[ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -qi 'host key' "$T/err" &&
			[ ! -s "$S/known_hosts" -o "$case" = changed ] &&
			ok "ssh: a host key that is $case is refused: $(cat "$T/err")" ||
			fail "ssh with a host key that is $case: exit $rc: $(cat "$T/err")"
	done
	[ -s "$S/known_hosts" ] && grep -q "$(cut -d' ' -f2 "$S/host_key.pub")" "$S/known_hosts" &&
		fail "ssh wrote the server's key into known_hosts"
else
	echo "note: no sshd; the live ssh host key part is skipped"
fi

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all checks passed"
