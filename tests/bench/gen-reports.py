#!/usr/bin/env python3
"""gen-reports.py - writes N varied host reports (slipway.host-report/1) for
the import benchmark, built from the REAL engine answers in
../shared/samples/engine/ (Docker 20.10 and Podman 4.3 containers, images,
/version, /info, swarm answers) and the host facts of
tests/data/reports/*.json (Debian 12 and Ubuntu 22.04 formats).

Each host gets a random subset of the real containers (Ids made unique per
host by re-hashing, as two hosts never share a container), a kernel among
a few releases, package versions, boot id, uptime and time; about 1 in 10
hosts has no engine reachable, 1 in 20 is a swarm manager.

Usage: gen-reports.py SAMPLES_DIR FIXTURES_DIR OUT_DIR N [SEED]"""
import copy
import hashlib
import json
import os
import random
import sys
import uuid

samples, fixtures, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rnd = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 4)


def load(*p):
    with open(os.path.join(*p)) as f:
        return json.load(f)


docker = load(fixtures, "docker-debian12.json")
podman = load(fixtures, "podman-debian12.json")
swarm = load(fixtures, "swarm-manager.json")
ubuntu = load(fixtures, "ubuntu-livepatch-no-engine.json")
bases = [docker] * 12 + [podman] * 5 + [swarm] + [ubuntu] * 2

KERNELS = [("6.1.0-26-amd64", "6.1.112-1"), ("6.1.0-27-amd64", "6.1.115-1"),
           ("6.1.0-28-amd64", "6.1.119-1"), ("6.1.0-29-amd64", "6.1.123-1")]
os.makedirs(out, exist_ok=True)
total = 0
for i in range(n):
    base = rnd.choice(bases)
    r = copy.deepcopy(base)
    name = "host-%05d" % i
    r["host"] = {"name": name, "machine_id": uuid.UUID(int=rnd.getrandbits(128)).hex,
                 "boot_id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                 "uptime_seconds": round(rnd.uniform(60, 90 * 86400), 2)}
    r["collected_at"] = "2026-11-%02dT%02d:%02d:%02dZ" % (
        rnd.randint(1, 23), rnd.randint(0, 23), rnd.randint(0, 59), rnd.randint(0, 59))
    if base is not ubuntu:
        rel, ver = rnd.choice(KERNELS)
        k = r["kernel"]
        k["release"] = rel
        k["package"] = {"name": "linux-image-" + rel, "source": "linux-signed-amd64",
                        "version": ver}
        k["reboot_required"] = rnd.choice([True, False, None])
        r["packages"] = [p for p in r["packages"] if not p["name"].startswith("linux-image-6")]
        r["packages"].append({"name": "linux-image-" + rel, "source": "linux-signed-amd64",
                              "version": ver, "source_version": ver.replace("-", "+")})
    e = r.get("engine")
    if e and rnd.random() < 0.1:
        r["engine"] = None
    elif e:
        k = rnd.randint(0, len(e["containers"]))
        cs = rnd.sample(e["containers"], k)
        for c in cs:
            c["Id"] = hashlib.sha256((name + c["Id"]).encode()).hexdigest()
        e["containers"] = cs
    data = json.dumps(r, separators=(",", ":"))
    total += len(data)
    with open(os.path.join(out, name + ".json"), "w") as f:
        f.write(data)
print("%d reports, %.1f MB" % (n, total / 1e6))
