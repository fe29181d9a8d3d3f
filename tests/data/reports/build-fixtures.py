#!/usr/bin/env python3
"""build-fixtures.py - writes the good host reports of tests/data/reports/
from the REAL engine answers in ../shared/samples/engine/ (Docker 20.10.24
and Podman 4.3.1 on Debian 12, captured 2026-11-23; see its README.md) and
host facts in the formats Debian and Ubuntu really print (os-release,
uname -r/-v, dpkg-query ${Package} ${source:Package} ${Version}
${source:Version}, canonical-livepatch status --format json).

The engine member is the real answers, untouched: /version, /info, every
container's inspect, the images' inspect, and for the swarm manager
/services?status=true, /tasks and /nodes.

Usage: build-fixtures.py SAMPLES_DIR OUT_DIR   (run again after the samples
change; the outputs are committed)."""
import json
import os
import sys

samples, out = sys.argv[1], sys.argv[2]


def load(*p):
    with open(os.path.join(samples, *p)) as f:
        return json.load(f)


def containers(engine, names):
    return [load(engine, "containers", n + ".json") for n in names]


DOCKER_CONTAINERS = [
    "plain-norestart", "exited-3", "created-only", "paused-one", "priv-always",
    "unconfined-hostns", "limits-onfail", "mounts-ro", "unhealthy-one",
    "crashloop", "graceful-onfail", "autoremove-one", "from-registry-tag",
    "from-registry-digest", "shop_web_1", "shop_worker_1", "shop_worker_2",
    "shop_db_1", "shop_worker_run_69246c987e50",
]
PODMAN_CONTAINERS = [
    "pm-plain", "pm-exited-3", "pm-always", "pm-priv", "pm-unconfined",
    "pm-limits-onfail", "pm-mounts", "pm-from-registry", "d7cde3d83bed-infra",
    "pm-pod-app", "compat-run", "pmshop_web_1", "pmshop_worker_1",
    "pmshop_worker_2", "pmshop_db_1",
]

# Debian 12 (bookworm): /etc/os-release, and the packages the Debian docker
# host of the samples ran (the versions its /version reports as GitCommit).
DEBIAN12_OS = {"id": "debian", "version_id": "12", "codename": "bookworm",
               "pretty_name": "Debian GNU/Linux 12 (bookworm)"}
# The sample engines ran on a Firecracker VM kernel that no package ships
# (/info KernelVersion 6.18.44-fc-v782, `uname -v` "#1 SMP PREEMPT_DYNAMIC
# @0"), with Debian's kernels installed beside it: the running kernel has
# no package, and a reboot would change the kernel.
DEBIAN12_KERNEL = {
    "release": "6.18.44-fc-v782",
    "version": "#1 SMP PREEMPT_DYNAMIC @0",
    "package": None,
    "installed": [
        {"release": "6.1.0-28-amd64",
         "package": {"name": "linux-image-6.1.0-28-amd64", "source": "linux-signed-amd64",
                     "version": "6.1.119-1"}},
        {"release": "6.1.0-29-amd64",
         "package": {"name": "linux-image-6.1.0-29-amd64", "source": "linux-signed-amd64",
                     "version": "6.1.123-1"}},
    ],
    "reboot_required": True,
    "livepatch": None,
}
DEBIAN12_PACKAGES = [
    {"name": "linux-image-6.1.0-28-amd64", "source": "linux-signed-amd64",
     "version": "6.1.119-1", "source_version": "6.1.119+1"},
    {"name": "linux-image-6.1.0-29-amd64", "source": "linux-signed-amd64",
     "version": "6.1.123-1", "source_version": "6.1.123+1"},
    {"name": "linux-image-amd64", "source": "linux-signed-amd64",
     "version": "6.1.123-1", "source_version": "6.1.123+1"},
    {"name": "runc", "source": "runc", "version": "1.1.5+ds1-1+deb12u1",
     "source_version": "1.1.5+ds1-1+deb12u1"},
    {"name": "containerd", "source": "containerd", "version": "1.6.20~ds1-1+deb12u3",
     "source_version": "1.6.20~ds1-1+deb12u3"},
]
DOCKER_PACKAGES = [
    {"name": "docker.io", "source": "docker.io", "version": "20.10.24+dfsg1-1+deb12u1",
     "source_version": "20.10.24+dfsg1-1+deb12u1"},
]
PODMAN_PACKAGES = [
    {"name": "podman", "source": "libpod", "version": "4.3.1+ds1-8+deb12u1",
     "source_version": "4.3.1+ds1-8+deb12u1"},
    {"name": "conmon", "source": "conmon", "version": "2.1.6+ds1-1",
     "source_version": "2.1.6+ds1-1"},
]


def report(name, machine_id, boot_id, uptime, collected, os_, kernel, packages, engine):
    r = {"schema": "slipway.host-report/1", "collected_at": collected,
         "host": {"name": name, "machine_id": machine_id, "boot_id": boot_id,
                  "uptime_seconds": uptime}}
    if os_ is not None:
        r["os"] = os_
    if kernel is not None:
        r["kernel"] = kernel
    if packages is not None:
        r["packages"] = packages
    r["engine"] = engine
    return r


def write(name, doc):
    with open(os.path.join(out, name), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


docker_engine = {
    "kind": "docker", "service_enabled": True, "api_version": "1.41",
    "version": load("docker", "version.json"), "info": load("docker", "info.json"),
    "containers": containers("docker", DOCKER_CONTAINERS),
    "images": [load("docker", "images", "127.0.0.1-5000-lab-busybox-1.35.json")],
}
write("docker-debian12.json", report(
    "web-1", "3d1219c7c4c5404aaa1f6d2a48adfda4", "3e570002-40a4-44e2-be4d-01b1e1e96f51",
    86512.27, "2026-11-23T16:30:00Z", DEBIAN12_OS, DEBIAN12_KERNEL,
    DEBIAN12_PACKAGES + DOCKER_PACKAGES, docker_engine))

podman_engine = {
    "kind": "podman", "service_enabled": False, "api_version": "1.41",
    "version": load("podman", "version.json"), "info": load("podman", "info.json"),
    "containers": containers("podman", PODMAN_CONTAINERS),
    "images": [load("podman", "images", "127.0.0.1-5000-lab-busybox-pm.json"),
               load("podman", "images", "localhost-podman-pause-4.3.1-0.json")],
    "pods": load("podman", "libpod", "pods-json.json"),
}
write("podman-debian12.json", report(
    "pm-1", "6f2a1b0c9d8e4f7a8b6c5d4e3f2a1b0c", "b2f1c0d9-8e7a-4b6c-9d5e-4f3a2b1c0d9e",
    3605.5, "2026-11-23T16:31:00+01:00", DEBIAN12_OS,
    dict(DEBIAN12_KERNEL, reboot_required=False),
    DEBIAN12_PACKAGES + PODMAN_PACKAGES, podman_engine))

swarm_tasks = [f for f in sorted(os.listdir(os.path.join(samples, "docker", "swarm")))
               if f.startswith("container-")]
swarm_engine = {
    "kind": "docker", "service_enabled": True, "api_version": "1.41",
    "version": load("docker", "version.json"),
    "info": load("docker", "swarm", "info-swarm-active.json"),
    "containers": [load("docker", "swarm", f) for f in swarm_tasks],
    "images": [load("docker", "images", "127.0.0.1-5000-lab-busybox-1.35.json")],
    "swarm": {"services": load("docker", "swarm", "services-status.json"),
              "tasks": load("docker", "swarm", "tasks.json"),
              "nodes": load("docker", "swarm", "nodes.json")},
}
write("swarm-manager.json", report(
    "mgr-1", "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
    7200, "2026-11-23T16:32:00Z", DEBIAN12_OS, dict(DEBIAN12_KERNEL, reboot_required=None),
    DEBIAN12_PACKAGES + DOCKER_PACKAGES, swarm_engine))

# A live inventory of web-1 later that day: only what the engine says
# (report.h REPORT_ENGINE_ONLY); a container fewer (autoremove-one is gone).
engine_only = {"schema": "slipway.host-report/1", "collected_at": "2026-11-23T18:00:00Z",
               "host": {"name": "web-1"},
               "engine": dict(docker_engine, service_enabled=None,
                              containers=containers("docker", [
                                  n for n in DOCKER_CONTAINERS if n != "autoremove-one"]))}
write("engine-only-web-1.json", engine_only)

# Ubuntu 22.04 with Canonical Livepatch and no container engine reachable:
# the formats of /etc/os-release, uname and `canonical-livepatch status
# --format json` (livepatch keeps the running kernel's fixes).
write("ubuntu-livepatch-no-engine.json", {
    "schema": "slipway.host-report/1", "collected_at": "2026-11-23T16:33:00.123456Z",
    "host": {"name": "db-7", "machine_id": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
             "boot_id": "0f1e2d3c-4b5a-4697-8877-665544332211", "uptime_seconds": 2592000},
    "os": {"id": "ubuntu", "version_id": "22.04", "codename": "jammy",
           "pretty_name": "Ubuntu 22.04.5 LTS"},
    "kernel": {
        "release": "5.15.0-126-generic",
        "version": "#136-Ubuntu SMP Wed Nov 6 10:38:22 UTC 2024",
        "package": {"name": "linux-image-5.15.0-126-generic", "source": "linux-signed",
                    "version": "5.15.0-126.136"},
        "installed": [{"release": "5.15.0-126-generic",
                       "package": {"name": "linux-image-5.15.0-126-generic",
                                   "source": "linux-signed", "version": "5.15.0-126.136"}}],
        "reboot_required": False,
        "livepatch": {"active": True, "fixed_cves": ["CVE-2024-1086", "CVE-2024-26581"],
                      "covered_until": "2025-05-01T00:00:00Z"}},
    "packages": [
        {"name": "linux-image-5.15.0-126-generic", "source": "linux-signed",
         "version": "5.15.0-126.136", "source_version": "5.15.0-126.136"},
        {"name": "runc", "source": "runc", "version": "1.1.12-0ubuntu2~22.04.1",
         "source_version": "1.1.12-0ubuntu2~22.04.1"},
        {"name": "containerd", "source": "containerd", "version": "1.7.12-0ubuntu2~22.04.1",
         "source_version": "1.7.12-0ubuntu2~22.04.1"},
    ],
    "engine": None,
})
