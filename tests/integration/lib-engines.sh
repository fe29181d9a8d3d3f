# lib-engines.sh - sourced by tests/integration/engine-*.sh and the
# inventory benchmark: starts a real dockerd and a real podman API service
# on private sockets under a temporary directory (the way
# ../shared/tools/engine-lab.sh does, with its safe flags: no bridge, no
# iptables, no forwarding, containers on --network none or host), imports a
# busybox image built from Debian's busybox-static, and stops everything
# it started by pid.
#
# Exit 77 (skipped) when a component cannot start, unless
# SLIPWAY_REQUIRE_REAL=1 (then 1).

set -u

: "${SLIPWAY_BUILD_ROOT:?run through meson test}"
SLIPWAY=${SLIPWAY:-$SLIPWAY_BUILD_ROOT/slipway}
DOCKER_BIN=/usr/bin/docker
DIMG=local/busybox:1.35
PIMG=localhost/busybox:1.35

T=$(mktemp -d /tmp/slipway-it-XXXXXX)
chmod 700 "$T"
PIDS=()
export SLIPWAY_DB=$T/slipway.db
export SLIPWAY_CONFIG=$T/slipway.conf
: > "$SLIPWAY_CONFIG"

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
skip() {
	if [ "${SLIPWAY_REQUIRE_REAL:-0}" = 1 ]; then
		log "cannot run (SLIPWAY_REQUIRE_REAL=1): $*"
		exit 1
	fi
	log "SKIP: $*"
	exit 77
}

cleanup() {
	local pid m
	if [ -n "${DOCKER_SOCK:-}" ] && [ -S "$DOCKER_SOCK" ]; then
		"$DOCKER_BIN" -H "unix://$DOCKER_SOCK" rm -f $("$DOCKER_BIN" -H "unix://$DOCKER_SOCK" ps -aq) >/dev/null 2>&1
	fi
	if [ -n "${PODMAN_SOCK:-}" ]; then
		pm pod rm -af >/dev/null 2>&1
		pm rm -af -t 0 >/dev/null 2>&1
	fi
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
	done
	for m in $(awk -v t="$T/" 'index($5, t) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

wait_ping() { # sock seconds
	local i
	for i in $(seq 1 $(($2 * 5))); do
		curl -s --max-time 1 --unix-socket "$1" http://localhost/_ping >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

need() { # commands...
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "'$c' not installed"
	done
	[ "$(id -u)" = 0 ] || skip "needs root to start engines"
	[ -x "$SLIPWAY" ] || fail "no slipway binary at $SLIPWAY"
}

make_rootfs() {
	local r=$T/rootfs a
	[ -f "$T/busybox.tar" ] && return 0
	[ -x /bin/busybox ] || skip "busybox-static not installed"
	mkdir -p "$r"/{bin,etc,proc,sys,dev,tmp,root,run}
	cp /bin/busybox "$r/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
	chmod 1777 "$r/tmp"
	tar --numeric-owner -C "$r" -cf "$T/busybox.tar" .
}

dk() { "$DOCKER_BIN" -H "unix://$DOCKER_SOCK" "$@"; }

# start_dockerd [extra dockerd args...]
start_dockerd() {
	need dockerd "$DOCKER_BIN" curl
	DK=$T/docker
	DOCKER_SOCK=$T/docker.sock
	mkdir -p "$DK/data" "$DK/exec"
	dockerd --data-root "$DK/data" --exec-root "$DK/exec" --pidfile "$DK/dockerd.pid" \
		-H "unix://$DOCKER_SOCK" \
		--bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
		"$@" >"$DK/dockerd.log" 2>&1 </dev/null &
	PIDS+=($!)
	wait_ping "$DOCKER_SOCK" 60 || { tail -5 "$DK/dockerd.log" >&2; skip "dockerd did not start"; }
	make_rootfs
	dk import -c 'CMD ["/bin/sh"]' "$T/busybox.tar" "$DIMG" >/dev/null || fail "docker import"
}

pm() {
	CONTAINERS_CONF=$T/podman/containers.conf CONTAINERS_STORAGE_CONF=$T/podman/storage.conf \
	TMPDIR=$T/podman/tmp podman "$@"
}

start_podman() {
	local nofile nproc
	need podman curl
	PM=$T/podman
	PODMAN_SOCK=$T/podman.sock
	mkdir -p "$PM/root" "$PM/run" "$PM/tmp"
	nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
	[ "$nofile" = unlimited ] && nofile=1048576
	[ "$nproc" = unlimited ] && nproc=4096
	[ "$nproc" -gt 4096 ] 2>/dev/null && nproc=4096
	cat > "$PM/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
	cat > "$PM/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$PM/root"
runroot = "$PM/run"
EOF
	# exec, so that $! is podman itself and cleanup stops it by that pid
	( export CONTAINERS_CONF=$PM/containers.conf CONTAINERS_STORAGE_CONF=$PM/storage.conf TMPDIR=$PM/tmp
	  exec podman system service --time=0 "unix://$PODMAN_SOCK" ) >"$PM/service.log" 2>&1 </dev/null &
	PIDS+=($!)
	wait_ping "$PODMAN_SOCK" 30 || { tail -5 "$PM/service.log" >&2; skip "podman service did not start"; }
	make_rootfs
	pm import -q -c 'CMD ["/bin/sh"]' "$T/busybox.tar" "$PIMG" >/dev/null || fail "podman import"
}

# Compares `slipway containers --json --host NAME` with what the engine's
# own CLI lists: same ids and names, same state, same restart policy.
# compare_with_cli CLI-FUNCTION HOST-NAME
compare_with_cli() {
	local cli=$1 host=$2
	"$cli" ps -a --no-trunc --format '{{.ID}}' | sort > "$T/cli-ids"
	: > "$T/cli-rows"
	for id in $(cat "$T/cli-ids"); do
		"$cli" inspect -f '{{.Id}} {{.Name}} {{.State.Status}} {{.HostConfig.RestartPolicy.Name}}' "$id" \
			| sed 's# /# #' >> "$T/cli-rows"
	done
	sort -o "$T/cli-rows" "$T/cli-rows"
	"$SLIPWAY" containers --json --host "$host" > "$T/slipway.json" || fail "slipway containers failed"
	python3 - "$T/slipway.json" > "$T/slipway-rows" <<'EOF'
import json, sys
for c in json.load(open(sys.argv[1])):
    print(c["id"], c["name"], c["state"], c["restart_policy"])
EOF
	sort -o "$T/slipway-rows" "$T/slipway-rows"
	if ! diff -u "$T/cli-rows" "$T/slipway-rows" >&2; then
		fail "slipway lists other containers than '$cli ps -a' (diff above)"
	fi
	[ -s "$T/cli-rows" ] || fail "no containers to compare"
}
