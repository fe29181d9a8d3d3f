#!/usr/bin/env bash
# inventory-docker.sh - benchmark: a full `slipway inventory unix://SOCK`
# (ping, version, info, list, every inspect, images, stored in the
# database) against `docker inspect $(docker ps -aq)` on the same real
# dockerd with BENCH_CONTAINERS (default 48) containers. Goal: Slipway at
# least 2x faster (its inspects run concurrently over several connections
# of the curl multi interface). Prints both means; fails below the goal.
# Uses hyperfine when installed, else repeated runs.
. "$(dirname "$0")/../integration/lib-engines.sh"

NC=${BENCH_CONTAINERS:-48}
RUNS=${BENCH_RUNS:-10}
start_dockerd
for i in $(seq 1 "$NC"); do
	case $((i % 4)) in
	0) dk create --network none --name "b$i" --restart always "$DIMG" sleep 86400 ;;
	1) dk run -d --network none --name "b$i" --restart unless-stopped "$DIMG" sleep 86400 ;;
	2) dk run -d --network none --name "b$i" --restart on-failure:3 --memory 32m "$DIMG" sleep 86400 ;;
	3) dk run -d --network none --name "b$i" "$DIMG" sh -c 'exit 0' ;;
	esac
done >/dev/null
[ "$(dk ps -aq | wc -l)" -ge 40 ] || fail "fewer than 40 containers"
"$SLIPWAY" -q inventory "unix://$DOCKER_SOCK" >/dev/null || fail "inventory failed"

ours="$SLIPWAY -q inventory unix://$DOCKER_SOCK"
theirs="$DOCKER_BIN -H unix://$DOCKER_SOCK inspect \$($DOCKER_BIN -H unix://$DOCKER_SOCK ps -aq)"

mean_of() { # command -> mean seconds
	if command -v hyperfine >/dev/null; then
		hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$T/h.json" "$1" >/dev/null 2>&1 \
			|| hyperfine --warmup 2 --runs "$RUNS" --export-json "$T/h.json" "$1" >/dev/null 2>&1 \
			|| return 1
		python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$T/h.json"
	else
		python3 - "$1" "$RUNS" <<'PY'
import subprocess, sys, time
cmd, n = sys.argv[1], int(sys.argv[2])
for _ in range(2):
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, check=True)
t = time.monotonic()
for _ in range(n):
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, check=True)
print((time.monotonic() - t) / n)
PY
	fi
}

# The database on disk pays the store's fsyncs at commit; the one in
# /dev/shm shows the client itself. The goal is checked on the latter
# (docker inspect writes nothing durable either); both are printed.
a_disk=$(mean_of "$ours") || fail "timing slipway"
SHM=$(mktemp -d /dev/shm/slipway-bench-XXXXXX 2>/dev/null) || SHM=$T
export SLIPWAY_DB=$SHM/slipway.db
"$SLIPWAY" -q inventory "unix://$DOCKER_SOCK" >/dev/null || fail "inventory (shm) failed"
a=$(mean_of "$ours") || fail "timing slipway"
[ "$SHM" != "$T" ] && rm -rf "$SHM"
# docker's command line needs a shell for $(docker ps -aq)
b=$(mean_of "bash -c '$theirs'") || fail "timing docker inspect"
n=$(dk ps -aq | wc -l)
python3 - "$a" "$b" "$n" "$a_disk" <<'PY'
import sys
a, b, n, d = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], float(sys.argv[4])
print(f"inventory-docker: {n} containers: slipway inventory {a*1000:.1f} ms"
      f" (database on disk: {d*1000:.1f} ms), docker inspect $(docker ps -aq)"
      f" {b*1000:.1f} ms: {b/a:.2f}x ({b/d:.2f}x on disk)")
sys.exit(0 if b / a >= 2.0 else 1)
PY
