#!/usr/bin/env bash
# inventory-docker.sh - benchmark: a full `slipway inventory unix://SOCK`
# (ping, version, info, list, every inspect, images, stored in the
# database) against `docker inspect $(docker ps -aq)` on the same real
# dockerd with BENCH_CONTAINERS (default 48) containers. Goal: Slipway at
# least 2x faster (its inspects run concurrently over several connections
# of the curl multi interface). Prints both medians and minima and their
# ratio; fails only when the median ratio is below the goal.
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

stats_of() { # command -> "median min" seconds
	if command -v hyperfine >/dev/null; then
		hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$T/h.json" "$1" >/dev/null 2>&1 \
			|| hyperfine --warmup 2 --runs "$RUNS" --export-json "$T/h.json" "$1" >/dev/null 2>&1 \
			|| return 1
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"], r["min"])' "$T/h.json"
	else
		python3 - "$1" "$RUNS" <<'PY'
import statistics, subprocess, sys, time
cmd, n = sys.argv[1], int(sys.argv[2])
for _ in range(2):
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, check=True)
ts = []
for _ in range(n):
    t = time.monotonic()
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, check=True)
    ts.append(time.monotonic() - t)
print(statistics.median(ts), min(ts))
PY
	fi
}

# The database on disk pays sqlite's fsyncs (the WAL's header and its
# directory when the WAL is created, the WAL and the database at the
# checkpoint when the last connection closes; none at commit with
# synchronous=NORMAL); the one in /dev/shm shows the client itself. The
# goal is checked on the latter (docker inspect writes nothing durable
# either); both are printed.
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
a_disk=$(stats_of "$ours") || fail "timing slipway"
SHM=$(mktemp -d /dev/shm/slipway-bench-XXXXXX 2>/dev/null) || SHM=$T
export SLIPWAY_DB=$SHM/slipway.db
"$SLIPWAY" -q inventory "unix://$DOCKER_SOCK" >/dev/null || fail "inventory (shm) failed"
a=$(stats_of "$ours") || fail "timing slipway"
[ "$SHM" != "$T" ] && rm -rf "$SHM"
# docker's command line needs a shell for $(docker ps -aq)
b=$(stats_of "bash -c '$theirs'") || fail "timing docker inspect"
n=$(dk ps -aq | wc -l)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$n" $a $b $a_disk <<'PY'
import sys
n = sys.argv[1]
a, a_min, b, b_min, d, d_min = map(float, sys.argv[2:8])
print(f"inventory-docker: {n} containers, median (min) of the runs:"
      f" slipway inventory {a*1000:.1f} ms ({a_min*1000:.1f});"
      f" docker inspect $(docker ps -aq) {b*1000:.1f} ms ({b_min*1000:.1f});"
      f" {b/a:.2f}x ({b_min/a_min:.2f}x by the minima); goal 2x."
      f" Database on disk: {d*1000:.1f} ms ({d_min*1000:.1f}), {b/d:.2f}x")
sys.exit(0 if b / a >= 2.0 else 1)
PY
