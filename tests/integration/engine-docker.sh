#!/usr/bin/env bash
# engine-docker.sh - `slipway inventory unix://SOCK` against a real dockerd
# with containers of every restart policy, --rm, created-only, paused,
# exited, a health check, a docker-compose project (Debian's
# docker-compose), limits and security options; `slipway containers
# --json` must list exactly what `docker ps -a` lists, with the same state
# and restart policy, and the exposure fields must match docker inspect.
. "$(dirname "$0")/lib-engines.sh"

start_dockerd
I=$DIMG
N="--network none"
dk run -d $N --name plain-norestart $I sleep 86400 >/dev/null
dk run -d $N --name exited-3 $I sh -c 'exit 3' >/dev/null
dk create $N --name created-only --restart always $I sleep 86400 >/dev/null
dk run -d $N --name paused-one $I sleep 86400 >/dev/null && dk pause paused-one >/dev/null
dk create $N --name priv-always --privileged --restart always $I sleep 86400 >/dev/null
dk run -d --network host --pid host --name unconfined-hostns \
	--security-opt seccomp=unconfined --security-opt no-new-privileges \
	--cap-add NET_ADMIN --cap-add SYS_PTRACE --restart unless-stopped $I sleep 86400 >/dev/null
dk run -d $N --name limits-onfail --memory 64m --cpus 0.5 --pids-limit 100 \
	--restart on-failure:3 --health-cmd 'test -e /bin/sh' --health-interval 1s \
	$I sleep 86400 >/dev/null
dk run -d $N --name autoremove-one --rm $I sleep 86400 >/dev/null
dk run -d $N --name always-one --restart always $I sleep 86400 >/dev/null
if command -v docker-compose >/dev/null; then
	mkdir -p "$T/shop"
	cat > "$T/shop/docker-compose.yml" <<YML
version: "3.8"
services:
  web:
    image: $I
    command: ["sleep", "86400"]
    restart: unless-stopped
    network_mode: none
    mem_limit: 128m
  worker:
    image: $I
    command: ["sleep", "86400"]
    restart: on-failure
    network_mode: none
YML
	( cd "$T/shop" && DOCKER_HOST="unix://$DOCKER_SOCK" docker-compose -p shop up -d ) >"$T/compose.log" 2>&1 \
		|| fail "docker-compose up: $(tail -3 "$T/compose.log")"
fi
sleep 3  # let the health check run once

"$SLIPWAY" -q inventory "unix://$DOCKER_SOCK" > "$T/inv.out" 2> "$T/inv.err" \
	|| fail "inventory failed: $(cat "$T/inv.err")"
n=$(dk ps -aq | wc -l)
grep -q "unix://$DOCKER_SOCK .*docker .* $n containers" "$T/inv.out" \
	|| fail "summary line: $(cat "$T/inv.out") (want $n containers)"
compare_with_cli dk "unix://$DOCKER_SOCK"

# the exposure and policy fields, as docker inspect states them
python3 - "$T/slipway.json" <<'PY' || fail "fields differ (see above)"
import json, sys
rows = {c["name"]: c for c in json.load(open(sys.argv[1]))}
def want(name, **kv):
    c = rows[name]
    for k, v in kv.items():
        if c[k] != v:
            print(f"{name}.{k}: slipway says {c[k]!r}, expected {v!r}", file=sys.stderr)
            sys.exit(1)
want("priv-always", privileged=True, state="created", restart_policy="always", started_at=None)
want("unconfined-hostns", host_pid=True, host_network=True, seccomp_unconfined=True,
     cap_add=["NET_ADMIN", "SYS_PTRACE"], restart_policy="unless-stopped")
want("limits-onfail", restart_policy="on-failure", max_retries=3, memory_limit=64 * 1024 * 1024,
     health="healthy")
want("autoremove-one", auto_remove=True, health=None)
want("paused-one", state="paused", restart_policy="no")
want("exited-3", state="exited")
want("plain-norestart", privileged=False, host_pid=False, host_network=False,
     seccomp_unconfined=False, cap_add=[], memory_limit=0)
if "shop_web_1" in rows:
    want("shop_web_1", compose_project="shop", compose_service="web", memory_limit=128 * 1024 * 1024)
    want("shop_worker_1", compose_project="shop", compose_service="worker", restart_policy="on-failure")
for c in rows.values():
    assert isinstance(c["created"], int) and c["created"] > 1600000000, c
PY

# hosts: engine kind/version and the runc/containerd of /version
"$SLIPWAY" hosts --json > "$T/hosts.json" || fail "slipway hosts"
dv=$(dk version -f '{{.Server.Version}}')
python3 - "$T/hosts.json" "unix://$DOCKER_SOCK" "$dv" "$n" <<'PY' || fail "hosts --json: $(cat "$T/hosts.json")"
import json, sys
h = [x for x in json.load(open(sys.argv[1])) if x["name"] == sys.argv[2]][0]
assert h["engine_kind"] == "docker" and h["engine_version"] == sys.argv[3], h
assert h["containers"] == int(sys.argv[4]), h
assert h["runc_version"] and h["containerd_version"], h
assert h["live_restore"] is False, h
assert h["last_inventory"] > 1600000000 and h["last_error"] is None, h
PY

# a container removed and one added show on the next inventory
dk rm -f plain-norestart >/dev/null
dk run -d $N --name late-one $I sleep 86400 >/dev/null
"$SLIPWAY" -q inventory "unix://$DOCKER_SOCK" >/dev/null 2>&1 || fail "second inventory"
compare_with_cli dk "unix://$DOCKER_SOCK"
log "ok: $(wc -l < "$T/cli-rows") containers match docker ps -a"
