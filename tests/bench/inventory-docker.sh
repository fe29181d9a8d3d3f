#!/usr/bin/env bash
# inventory-docker.sh - benchmark: a full `slipway inventory unix://SOCK`
# (ping, version, info, list, every inspect, images, stored in the
# database) against `docker inspect $(docker ps -aq)` on the same real
# dockerd with BENCH_CONTAINERS (default 48) containers. Goal: Slipway at
# least 2x faster (its inspects run concurrently over several connections
# of the curl multi interface). Prints both medians and minima and their
# ratio; fails only when the median ratio is below the goal.
. "$(dirname "$0")/../integration/lib-engines.sh"

NC=${BENCH_CONTAINERS:-48}
RUNS=${BENCH_RUNS:-20}
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

theirs="$DOCKER_BIN -H unix://$DOCKER_SOCK inspect \$($DOCKER_BIN -H unix://$DOCKER_SOCK ps -aq)"

# The database on disk pays sqlite's fsyncs (the WAL's header and its
# directory when the WAL is created, the WAL and the database at the
# checkpoint when the last connection closes; none at commit with
# synchronous=NORMAL); the one in /dev/shm shows the client itself. The
# goal is checked on the latter (docker inspect writes nothing durable
# either); both are printed.
SHM=$(mktemp -d /dev/shm/slipway-bench-XXXXXX 2>/dev/null) || SHM=$T
SLIPWAY_DB=$SHM/slipway.db "$SLIPWAY" -q inventory "unix://$DOCKER_SOCK" >/dev/null \
	|| fail "inventory (shm) failed"
n=$(dk ps -aq | wc -l)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
# The three commands run in turn, round after round, rather than each
# one's runs in a block: on a shared machine a burst of load then falls on
# all of them alike instead of on whichever ran during it. CPU time
# (user + system of the process and its children) is printed beside the
# wall time, as it hardly depends on that load.
python3 - "$RUNS" "$n" "$SLIPWAY" "$DOCKER_SOCK" "$SLIPWAY_DB" "$SHM/slipway.db" "$theirs" <<'PY'
import os, resource, statistics, subprocess, sys, time
runs, n, slipway, sock, db_disk, db_shm, theirs = sys.argv[1:8]
ours = [slipway, "-q", "inventory", "unix://" + sock]
cmds = {
    "disk": (ours, dict(os.environ, SLIPWAY_DB=db_disk)),
    "shm": (ours, dict(os.environ, SLIPWAY_DB=db_shm)),
    # docker's command line needs a shell for $(docker ps -aq)
    "docker": (["bash", "-c", theirs], os.environ),
}
wall = {k: [] for k in cmds}
cpu = {k: [] for k in cmds}
def once(k):
    argv, env = cmds[k]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    wall[k].append(time.monotonic() - t)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu[k].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
for _ in range(2):                      # warm-up
    for k in cmds:
        once(k)
for k in cmds:
    wall[k].clear()
    cpu[k].clear()
for _ in range(int(runs)):
    for k in cmds:
        once(k)
med = {k: statistics.median(v) for k, v in wall.items()}
low = {k: min(v) for k, v in wall.items()}
mcpu = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
print(f"load after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
print(f"inventory-docker: {n} containers, median (min) of {runs} runs:"
      f" slipway inventory {med['shm']*1000:.1f} ms ({low['shm']*1000:.1f}),"
      f" CPU {mcpu['shm']:.1f} ms;"
      f" docker inspect $(docker ps -aq) {med['docker']*1000:.1f} ms"
      f" ({low['docker']*1000:.1f}), CPU {mcpu['docker']:.1f} ms;"
      f" {med['docker']/med['shm']:.2f}x ({low['docker']/low['shm']:.2f}x by"
      f" the minima); goal 2x. Database on disk: {med['disk']*1000:.1f} ms"
      f" ({low['disk']*1000:.1f}), {med['docker']/med['disk']:.2f}x")
sys.exit(0 if med["docker"] / med["shm"] >= 2.0 else 1)
PY
rc=$?
[ "$SHM" != "$T" ] && rm -rf "$SHM"
exit $rc
