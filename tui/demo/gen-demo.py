#!/usr/bin/env python3
"""gen-demo.py - writes the demo fleet of `slipway demo` (tui/demo/hosts/)
from the REAL engine answers and host facts in tests/data/reports/ (Docker
20.10.24 and Podman 4.3.1 on Debian 12, captured 2026-11-23, and a docker
swarm manager; built by tests/data/reports/build-fixtures.py from
../shared/samples/engine/) and the Ubuntu facts of the same directory.

Every container, image, /version and /info is one of those real answers.
What varies per host, and how (the only edits made to real answers):
  * container and image Ids are re-hashed per host (two hosts never share
    a container), as tests/bench/gen-reports.py does;
  * each host runs a fixed subset of the real containers (the compose
    project `shop` is spread: shop/web on 3 hosts, shop/db on 2, workers
    on 3);
  * on the docker-ce hosts the version numbers of /version (Version,
    Components[].Version) are those of Docker's own packages, docker-ce
    24.0.7, containerd.io 1.6.24 and its runc 1.1.9 (GitCommit fields,
    which differ per build, are dropped); on the Ubuntu hosts those of
    Ubuntu's docker.io 24.0.7;
  * /info LiveRestoreEnabled is true on the hosts configured so;
  * on the "stale" hosts the containers' and images' Created time is
    moved back to 2026-05-12 (an image half a year old).
Host facts (os-release, uname, dpkg versions, livepatch) are in the
formats build-fixtures.py documents; package versions are real releases
of Debian 12, Ubuntu 22.04/24.04 and Docker's apt repository.

Usage: gen-demo.py [REPORTS_DIR [OUT_DIR]]   (defaults: tests/data/reports
and tui/demo/hosts of this tree). The output is committed, so the demo
needs no python at run time; run this again only on purpose."""
import copy
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
reports = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "data", "reports")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "hosts")


def load(name):
    with open(os.path.join(reports, name)) as f:
        return json.load(f)


DOCKER = load("docker-debian12.json")
PODMAN = load("podman-debian12.json")
SWARM = load("swarm-manager.json")
UBUNTU = load("ubuntu-livepatch-no-engine.json")

DCT = {c["Name"].lstrip("/"): c for c in DOCKER["engine"]["containers"]}
PCT = {c["Name"].lstrip("/"): c for c in PODMAN["engine"]["containers"]}

DEB_OS = DOCKER["os"]
JAMMY_OS = UBUNTU["os"]
NOBLE_OS = {"id": "ubuntu", "version_id": "24.04", "codename": "noble",
            "pretty_name": "Ubuntu 24.04.1 LTS"}

STALE = "2026-05-12T09:14:03.118925493Z"


def deb_kernel(release, version):
    return {"release": release, "version": "#1 SMP PREEMPT_DYNAMIC Debian %s" % version,
            "package": {"name": "linux-image-" + release, "source": "linux-signed-amd64",
                        "version": version}}


DEB_K28 = ("6.1.0-28-amd64", "6.1.119-1")
DEB_K29 = ("6.1.0-29-amd64", "6.1.123-1")


def deb_packages(kernels, extra):
    pk = [{"name": "linux-image-" + r, "source": "linux-signed-amd64", "version": v,
           "source_version": v.replace("-", "+", 1)} for r, v in kernels]
    return pk + extra


DEB_RUNC = {"name": "runc", "source": "runc", "version": "1.1.5+ds1-1+deb12u1",
            "source_version": "1.1.5+ds1-1+deb12u1"}
DEB_CONTAINERD = {"name": "containerd", "source": "containerd", "version": "1.6.20~ds1-1+deb12u3",
                  "source_version": "1.6.20~ds1-1+deb12u3"}
DEB_DOCKER = {"name": "docker.io", "source": "docker.io", "version": "20.10.24+dfsg1-1+deb12u1",
              "source_version": "20.10.24+dfsg1-1+deb12u1"}
CE_PACKAGES = [
    {"name": "docker-ce", "source": "docker-ce", "version": "5:24.0.7-1~debian.12~bookworm",
     "source_version": "5:24.0.7-1~debian.12~bookworm"},
    {"name": "docker-ce-cli", "source": "docker-ce", "version": "5:24.0.7-1~debian.12~bookworm",
     "source_version": "5:24.0.7-1~debian.12~bookworm"},
    {"name": "containerd.io", "source": "containerd.io", "version": "1.6.24-1",
     "source_version": "1.6.24-1"},
]


def ubuntu_packages(codename, kernel_rel, kernel_ver):
    if codename == "jammy":
        docker, runc, ctrd = "24.0.7-0ubuntu2~22.04.1", "1.1.12-0ubuntu2~22.04.1", "1.7.12-0ubuntu2~22.04.1"
    else:
        docker, runc, ctrd = "24.0.7-0ubuntu4.1", "1.1.12-0ubuntu3.1", "1.7.12-0ubuntu4.1"
    return [
        {"name": "linux-image-" + kernel_rel, "source": "linux-signed", "version": kernel_ver,
         "source_version": kernel_ver},
        {"name": "runc", "source": "runc", "version": runc, "source_version": runc},
        {"name": "containerd", "source": "containerd", "version": ctrd, "source_version": ctrd},
        {"name": "docker.io", "source": "docker.io", "version": docker, "source_version": docker},
    ]


def rehash(name, c):
    c = copy.deepcopy(c)
    c["Id"] = hashlib.sha256((name + c["Id"]).encode()).hexdigest()
    return c


def engine(base, name, names, table, versions=None, live_restore=None, stale=False,
           enabled=True):
    e = copy.deepcopy(base["engine"])
    e["service_enabled"] = enabled
    e["containers"] = [rehash(name, table[n]) for n in names]
    if stale:
        for c in e["containers"]:
            c["Created"] = STALE
        for i in e["images"]:
            i["Created"] = STALE
    if versions:
        v = e["version"]
        v["Version"] = versions["Engine"]
        v.pop("GitCommit", None)
        for comp in v.get("Components", []):
            if comp["Name"] in versions:
                comp["Version"] = versions[comp["Name"]]
                comp.get("Details", {}).pop("GitCommit", None)
    if live_restore is not None:
        e["info"]["LiveRestoreEnabled"] = live_restore
    return e


def report(name, minute, uptime, os_, kernel, installed, reboot, packages, eng,
           livepatch=None):
    k = dict(kernel)
    k["installed"] = [{"release": r, "package": {"name": "linux-image-" + r,
                                                 "source": src, "version": v}}
                      for r, v, src in installed]
    k["reboot_required"] = reboot
    k["livepatch"] = livepatch
    h = hashlib.sha256(name.encode()).hexdigest()
    return {"schema": "slipway.host-report/1",
            "collected_at": "2026-11-23T%02d:%02d:00Z" % (16 + minute // 60, minute % 60),
            "host": {"name": name, "machine_id": h[:32],
                     "boot_id": "%s-%s-4%s-8%s-%s" % (h[32:40], h[40:44], h[45:48], h[49:52], h[52:64]),
                     "uptime_seconds": uptime},
            "os": os_, "kernel": k, "packages": packages, "engine": eng}


hosts = []
DEB_INSTALLED = [(r, v, "linux-signed-amd64") for r, v in (DEB_K28, DEB_K29)]

# Debian 12 with Debian's docker.io: the web tier, the databases, caches.
web_sets = [
    ["shop_web_1", "from-registry-tag", "plain-norestart", "autoremove-one"],
    ["shop_web_1", "unhealthy-one", "graceful-onfail", "mounts-ro"],
    ["shop_web_1", "from-registry-digest", "exited-3", "shop_worker_run_69246c987e50"],
    ["shop_worker_1", "limits-onfail", "crashloop", "created-only"],
    ["shop_worker_2", "paused-one", "from-registry-tag"],
    ["shop_worker_1", "unconfined-hostns", "from-registry-digest"],
]
for i, names in enumerate(web_sets):
    name = "web-%02d" % (i + 1)
    running = DEB_K28 if i % 2 == 0 else DEB_K29
    hosts.append(report(name, i, 86400 * (3 + i), DEB_OS, deb_kernel(*running), DEB_INSTALLED,
                        running == DEB_K28,
                        deb_packages((DEB_K28, DEB_K29), [DEB_RUNC, DEB_CONTAINERD, DEB_DOCKER]),
                        engine(DOCKER, name, names, DCT)))
for i, names in enumerate([["shop_db_1", "limits-onfail"], ["shop_db_1", "priv-always"]]):
    name = "db-%02d" % (i + 1)
    hosts.append(report(name, 10 + i, 86400 * 40, DEB_OS, deb_kernel(*DEB_K28), DEB_INSTALLED, True,
                        deb_packages((DEB_K28, DEB_K29), [DEB_RUNC, DEB_CONTAINERD, DEB_DOCKER]),
                        engine(DOCKER, name, names, DCT)))
for i in range(2):
    name = "cache-%02d" % (i + 1)
    hosts.append(report(name, 12 + i, 86400 * 90, DEB_OS, deb_kernel(*DEB_K29), DEB_INSTALLED, False,
                        deb_packages((DEB_K28, DEB_K29), [DEB_RUNC, DEB_CONTAINERD, DEB_DOCKER]),
                        engine(DOCKER, name, ["from-registry-tag", "unhealthy-one"], DCT,
                               stale=True)))

# Debian 12 with Docker's own docker-ce 24.0.7 (judged by upstream ranges
# on what the engine reports); live-restore on ce-01..ce-03.
CE_VERSIONS = {"Engine": "24.0.7", "containerd": "1.6.24", "runc": "1.1.9"}
ce_sets = [
    ["from-registry-tag", "unhealthy-one"], ["from-registry-digest", "graceful-onfail"],
    ["limits-onfail", "plain-norestart"], ["mounts-ro", "crashloop", "exited-3"],
    ["priv-always", "from-registry-tag"], ["unconfined-hostns", "autoremove-one"],
    ["paused-one", "created-only"],
]
for i, names in enumerate(ce_sets):
    name = "ce-%02d" % (i + 1)
    hosts.append(report(name, 20 + i, 86400 * (10 + i), DEB_OS, deb_kernel(*DEB_K29), DEB_INSTALLED,
                        False, deb_packages((DEB_K28, DEB_K29), CE_PACKAGES),
                        engine(DOCKER, name, names, DCT, versions=CE_VERSIONS,
                               live_restore=i < 3)))

# Ubuntu 22.04 and 24.04 with Ubuntu's docker.io 24.0.7.
UB_VERSIONS = {"Engine": "24.0.7", "containerd": "1.7.12", "runc": "1.1.12"}
app_sets = [["from-registry-tag", "graceful-onfail"], ["from-registry-digest", "plain-norestart"],
            ["unhealthy-one", "limits-onfail"], ["mounts-ro", "exited-3"],
            ["from-registry-tag", "autoremove-one"], ["from-registry-digest", "crashloop"],
            ["unhealthy-one", "created-only"], ["graceful-onfail", "paused-one"]]
for i, names in enumerate(app_sets):
    name = "app-%02d" % (i + 1)
    if i < 5:
        os_, rel, ver, code = JAMMY_OS, "5.15.0-126-generic", "5.15.0-126.136", "jammy"
        kver = "#136-Ubuntu SMP Wed Nov 6 10:38:22 UTC 2024"
    else:
        os_, rel, ver, code = NOBLE_OS, "6.8.0-48-generic", "6.8.0-48.48", "noble"
        kver = "#48-Ubuntu SMP PREEMPT_DYNAMIC Fri Sep 27 14:04:52 UTC 2024"
    kernel = {"release": rel, "version": kver,
              "package": {"name": "linux-image-" + rel, "source": "linux-signed", "version": ver}}
    hosts.append(report(name, 30 + i, 86400 * (5 + i), os_, kernel, [(rel, ver, "linux-signed")],
                        i == 2, ubuntu_packages(code, rel, ver),
                        engine(DOCKER, name, names, DCT, versions=UB_VERSIONS, stale=i >= 6)))

# Ubuntu 22.04 with Canonical Livepatch: the real fixture (no engine), and
# the same host facts on a Docker host.
lp = copy.deepcopy(UBUNTU)
lp["host"]["name"] = "lp-01"
hosts.append(lp)
lp2 = copy.deepcopy(UBUNTU)
lp2["host"] = dict(lp2["host"], name="lp-02", machine_id=hashlib.sha256(b"lp-02").hexdigest()[:32])
lp2["packages"] = ubuntu_packages("jammy", "5.15.0-126-generic", "5.15.0-126.136")
lp2["engine"] = engine(DOCKER, "lp-02", ["from-registry-tag", "unhealthy-one"], DCT,
                       versions=UB_VERSIONS)
hosts.append(lp2)

# Podman 4.3.1 on Debian 12; podman-restart.service enabled on pm-01, pm-02.
pm_sets = [["pm-always", "pm-plain", "pmshop_web_1"], ["pm-always", "pmshop_web_1", "pm-limits-onfail"],
           ["pm-priv", "pm-from-registry", "compat-run"], ["pm-exited-3", "pm-mounts", "pmshop_db_1"],
           ["d7cde3d83bed-infra", "pm-pod-app", "pm-unconfined"]]
for i, names in enumerate(pm_sets):
    name = "pm-%02d" % (i + 1)
    hosts.append(report(name, 40 + i, 86400 * 7, DEB_OS, deb_kernel(*DEB_K28), DEB_INSTALLED, True,
                        deb_packages((DEB_K28, DEB_K29), [DEB_RUNC, DEB_CONTAINERD] + [
                            p for p in PODMAN["packages"] if p["name"] in ("podman", "conmon")]),
                        engine(PODMAN, name, names, PCT, enabled=i < 2)))

# The swarm manager of the samples, twice (its tasks are rescheduled).
for i in range(2):
    name = "mgr-%02d" % (i + 1)
    e = copy.deepcopy(SWARM["engine"])
    e["containers"] = [rehash(name, c) for c in e["containers"]]
    hosts.append(report(name, 50 + i, 7200, DEB_OS, deb_kernel(*DEB_K29), DEB_INSTALLED, None,
                        deb_packages((DEB_K28, DEB_K29), [DEB_RUNC, DEB_CONTAINERD, DEB_DOCKER]), e))

# Self-built kernels (no package ships them): judged by the kernel CNA's
# upstream ranges; 6.6.30 is before the fix of CVE-2024-36971 (KEV) in 6.6.34.
for i, rel in enumerate(["6.6.30-ci", "6.6.30-ci", "6.1.90-ci", "6.12.10-ci"]):
    name = "ci-%02d" % (i + 1)
    kernel = {"release": rel, "version": "#1 SMP PREEMPT_DYNAMIC", "package": None}
    hosts.append(report(name, 55 + i, 3600 * (i + 2), DEB_OS, kernel, [], False,
                        [DEB_RUNC, DEB_CONTAINERD, DEB_DOCKER],
                        engine(DOCKER, name, ["from-registry-tag", "limits-onfail", "priv-always"][: 1 + i % 3],
                               DCT)))

# Bastions without a container engine.
for i in range(2):
    name = "bastion-%02d" % (i + 1)
    hosts.append(report(name, 60 + i, 86400 * 200, DEB_OS, deb_kernel(*DEB_K28), DEB_INSTALLED, True,
                        deb_packages((DEB_K28, DEB_K29), [DEB_RUNC]), None))

os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    if f.endswith(".json"):
        os.remove(os.path.join(out, f))
for r in hosts:
    with open(os.path.join(out, r["host"]["name"] + ".json"), "w") as f:
        json.dump(r, f, indent=1, sort_keys=False)
        f.write("\n")
print("%d host reports in %s" % (len(hosts), out))
