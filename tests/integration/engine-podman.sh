#!/usr/bin/env bash
# engine-podman.sh - `slipway inventory unix://SOCK` against a real podman
# API service (compat API): restart policies, created-only, exited, a pod
# with its infra container, limits and security options; `slipway
# containers --json` must list exactly what `podman ps -a` lists, with the
# same state and restart policy, and the host must read as Podman with
# runc's version taken from /version Components.
. "$(dirname "$0")/lib-engines.sh"

start_podman
I=$PIMG
N="--network none"
pm run -d $N --name pm-plain $I sleep 86400 >/dev/null || fail "podman run"
pm run -d $N --name pm-exited-3 $I sh -c 'exit 3' >/dev/null
pm run -d $N --name pm-always --restart always $I sleep 86400 >/dev/null
pm create $N --name pm-priv --privileged --restart always $I sleep 86400 >/dev/null
pm run -d --network host --pid host --security-opt seccomp=unconfined --cap-add NET_ADMIN \
	--name pm-unconfined --restart unless-stopped $I sleep 86400 >/dev/null
pm run -d $N --memory 64m --restart on-failure:3 --name pm-limits $I sleep 86400 >/dev/null
if pm pod create --name pm-pod --network none >/dev/null 2>"$T/pod.err"; then
	pm run -d --pod pm-pod --name pm-pod-app $I sleep 86400 >/dev/null || fail "pod app"
else
	log "no pod here: $(cat "$T/pod.err")"
fi

"$SLIPWAY" -q inventory "unix://$PODMAN_SOCK" > "$T/inv.out" 2> "$T/inv.err" \
	|| fail "inventory failed: $(cat "$T/inv.err")"
n=$(pm ps -aq | wc -l)
grep -q "podman .* $n containers" "$T/inv.out" || fail "summary: $(cat "$T/inv.out") (want $n)"
compare_with_cli pm "unix://$PODMAN_SOCK"

python3 - "$T/slipway.json" <<'PY' || fail "fields differ"
import json, sys
rows = {c["name"]: c for c in json.load(open(sys.argv[1]))}
def want(name, **kv):
    c = rows[name]
    for k, v in kv.items():
        if c[k] != v:
            print(f"{name}.{k}: slipway says {c[k]!r}, expected {v!r}", file=sys.stderr)
            sys.exit(1)
# Podman says Health.Status "" without a health check: no health
want("pm-plain", health=None, restart_policy="")
want("pm-always", restart_policy="always", state="running")
want("pm-priv", privileged=True, state="created", started_at=None)
want("pm-unconfined", host_pid=True, host_network=True, seccomp_unconfined=True, cap_add=["NET_ADMIN"])
want("pm-limits", restart_policy="on-failure", max_retries=3, memory_limit=64 * 1024 * 1024)
want("pm-exited-3", state="exited")
PY

"$SLIPWAY" hosts --json > "$T/hosts.json" || fail "slipway hosts"
rv=$(runc --version 2>/dev/null | sed -n 's/^runc version //p')
python3 - "$T/hosts.json" "unix://$PODMAN_SOCK" "$rv" <<'PY' || fail "hosts --json: $(cat "$T/hosts.json")"
import json, sys
h = [x for x in json.load(open(sys.argv[1])) if x["name"] == sys.argv[2]][0]
assert h["engine_kind"] == "podman", h
# Podman's /info has empty RuncCommit/ContainerdCommit: runc comes from
# the "OCI Runtime (runc)" component, containerd is unknown
if sys.argv[3]:
    assert h["runc_version"] == sys.argv[3], h
assert h["containerd_version"] is None, h
PY
log "ok: $(wc -l < "$T/cli-rows") containers match podman ps -a"
